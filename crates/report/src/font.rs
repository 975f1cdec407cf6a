//! The Chinese font every chart and page is set in.
//!
//! Nothing the town prints may fall back to boxes (豆腐块): a chart or a pack is made with a font that has the
//! glyphs, or not at all, with an error that says how to install one. The font is Noto Sans CJK (思源黑体), from
//! the system (Debian's `fonts-noto-cjk`, installed by `scripts/install-deps.sh`; the same package name on 统信 UOS
//! and 麒麟 Kylin), or any OpenType/TrueType file named by `CHENGGUAN_CJK_FONT`. Its Simplified Chinese face is
//! chosen from the collection by family name, so that 门, 骨 and 说 have their mainland forms.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::ReportError;

/// The variable naming a font file to use instead of the system's Noto Sans CJK.
pub const FONT_ENV: &str = "CHENGGUAN_CJK_FONT";

/// Where distributions put Noto Sans CJK's regular weight (Debian and its derivatives first), then the Chinese
/// fonts every Windows has.
pub const SYSTEM_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    // Windows: 微软雅黑, then 黑体.
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
];

/// Characters a usable font must have: a font without them would print the town's headings as boxes.
const MUST_HAVE: &str = "城关镇诉求办结率网格联盟值班";

/// A Chinese font: its faces for the typesetter, and the bytes of its regular face for chart metrics.
#[derive(Debug)]
pub struct CjkFont {
    /// The file it was read from.
    pub path: PathBuf,
    /// The family name of the face charts and pages name (`Noto Sans CJK SC` from the system's collection).
    pub family: String,
    /// Every face of the regular file and, when it lies beside it, of the bold one.
    pub faces: Vec<Font>,
    /// The regular file's bytes; plotters measures text with its first face (CJK metrics are the same in every
    /// face of the collection).
    pub regular: &'static [u8],
}

impl CjkFont {
    /// The font of this machine: `CHENGGUAN_CJK_FONT` when set, else the first of [`SYSTEM_CANDIDATES`] that
    /// exists. Read once per process (the collection is 20 MB).
    pub fn system() -> Result<Arc<CjkFont>, ReportError> {
        static FONT: OnceLock<Result<Arc<CjkFont>, ReportError>> = OnceLock::new();
        FONT.get_or_init(|| {
            let candidates: Vec<PathBuf> = match std::env::var_os(FONT_ENV) {
                Some(p) if !p.is_empty() => vec![PathBuf::from(p)],
                _ => SYSTEM_CANDIDATES.iter().map(PathBuf::from).collect(),
            };
            Self::locate(&candidates).map(Arc::new)
        })
        .clone()
    }

    /// The first of `candidates` that exists, read and checked.
    pub fn locate(candidates: &[PathBuf]) -> Result<CjkFont, ReportError> {
        let path =
            candidates
                .iter()
                .find(|p| p.is_file())
                .ok_or_else(|| ReportError::FontMissing {
                    searched: candidates.to_vec(),
                })?;
        Self::read(path)
    }

    /// Reads one font file (a collection or a single face) and, beside a `-Regular` file, its `-Bold` sibling.
    pub fn read(path: &Path) -> Result<CjkFont, ReportError> {
        let unreadable = |reason: String| ReportError::FontUnreadable {
            path: path.to_path_buf(),
            reason,
        };
        let data = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
        let regular: &'static [u8] = Box::leak(data.into_boxed_slice());
        let mut faces: Vec<Font> = Font::iter(Bytes::new(regular)).collect();
        if faces.is_empty() {
            return Err(unreadable("不是 OpenType/TrueType 字体文件".into()));
        }
        let usable = |f: &Font| {
            MUST_HAVE
                .chars()
                .all(|c| f.info().coverage.contains(c as u32))
        };
        let face = faces
            .iter()
            .filter(|f| usable(f))
            // The Simplified Chinese face of a pan-CJK collection, else the first that has the glyphs.
            .max_by_key(|f| f.info().family.ends_with(" SC"))
            .ok_or_else(|| unreadable(format!("字体中没有汉字（缺少「{MUST_HAVE}」中的字形）")))?;
        let family = face.info().family.clone();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.contains("-Regular") {
            let bold = path.with_file_name(name.replace("-Regular", "-Bold"));
            if let Ok(data) = std::fs::read(&bold) {
                faces.extend(Font::iter(Bytes::new(data)));
            }
        }
        plotters::style::register_font(&family, plotters::style::FontStyle::Normal, regular)
            .map_err(|_| unreadable("图表无法读取该字体".into()))?;
        Ok(CjkFont {
            path: path.to_path_buf(),
            family,
            faces,
            regular,
        })
    }
}
