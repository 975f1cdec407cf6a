//! Typeset reports of the 城关镇 command center, knowing nothing of the domain.
//!
//! - [`font`]: the Chinese font (Noto Sans CJK from the system), or a clear error instead of boxes.
//! - [`charts`]: bar, line and map charts drawn with `plotters` as SVG (for the screen and the PDF), rasterised to
//!   PNG with `resvg` (for exports), so that the two are one picture.
//! - [`typeset`]: PDF from a Typst template with `typst` as a library, the data given as virtual files.
//!
//! chengguan-app decides what a briefing says; this crate only draws and sets it.

pub mod charts;
pub mod font;
pub mod typeset;

pub use font::CjkFont;

use std::path::PathBuf;

/// Why a chart or a document could not be made.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReportError {
    /// No font file was found where Noto Sans CJK is installed (or where `CHENGGUAN_CJK_FONT` points).
    #[error(
        "找不到中文字体（思源黑体 Noto Sans CJK），图表与简报无法生成：请安装 fonts-noto-cjk（sudo apt-get install \
         fonts-noto-cjk），或以环境变量 CHENGGUAN_CJK_FONT 指定一个中文字体文件。已查找：{}",
        searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join("、")
    )]
    FontMissing {
        /// The paths looked at.
        searched: Vec<PathBuf>,
    },
    /// The font file exists but cannot be used (unreadable, not a font, or without Chinese glyphs).
    #[error("中文字体 {path} 无法使用：{reason}")]
    FontUnreadable {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// plotters or resvg failed to draw (a bug, not bad input: the chart's data is validated before drawing).
    #[error("图表「{chart}」绘制失败：{reason}")]
    Chart {
        /// The chart's title.
        chart: String,
        /// The drawing library's message.
        reason: String,
    },
    /// The template could not be compiled or exported (a bug in the template or its data).
    #[error("简报排版失败：{0}")]
    Typeset(String),
}
