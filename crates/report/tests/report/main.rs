//! Tests of chengguan-report: the font, the charts (read back as PNG) and typeset PDFs (read by poppler).

mod charts;
mod typeset;

use std::sync::Arc;

use chengguan_report::CjkFont;

/// The machine's Chinese font; `make test` installs it (scripts/install-deps.sh).
pub fn font() -> Arc<CjkFont> {
    CjkFont::system().expect("Noto Sans CJK is installed by scripts/install-deps.sh")
}
