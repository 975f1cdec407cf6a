//! Writing simple xlsx workbooks (a header row and text cells) for exports.

use rust_xlsxwriter::{Format, Workbook};

use crate::{AppError, Result};

/// Most characters Excel keeps in a cell.
const CELL_MAX: usize = 32_767;
/// What ends a text cut to fit a cell, so that a reader sees it was cut.
pub(crate) const CUT_MARKER: &str = "…【内容过长，已截断】";

/// `text` as it fits in a cell: whole, or cut with [`CUT_MARKER`] (texts stored before the intake's limits, or
/// imported, may be longer than Excel allows; the export must not fail on them).
fn fitted(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= CELL_MAX {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = CELL_MAX - CUT_MARKER.chars().count();
    std::borrow::Cow::Owned(text.chars().take(keep).collect::<String>() + CUT_MARKER)
}

/// One sheet named `sheet` with a bold, frozen header row and the rows as text; returns the file's bytes.
pub(crate) fn workbook<I>(sheet: &str, header: &[&str], rows: I) -> Result<Vec<u8>>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("无法生成 xlsx：{e}"));
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(fail)?;
        ws.set_column_width(c as u16, 16).map_err(fail)?;
    }
    for (r, row) in rows.into_iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, fitted(v))
                .map_err(fail)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

/// A blank workbook with a header row whose `text_columns` are formatted as text (`@`) for 1,000 rows, so that
/// Excel keeps every digit of an ID number typed into them.
pub(crate) fn template(sheet: &str, header: &[&str], text_columns: &[&str]) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("无法生成 xlsx：{e}"));
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(fail)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(fail)?;
        if text_columns.contains(h) {
            ws.set_column_width(c as u16, 22).map_err(fail)?;
            for r in 1..=1000 {
                ws.write_blank(r, c as u16, &text).map_err(fail)?;
            }
        } else {
            ws.set_column_width(c as u16, 12).map_err(fail)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_an_oversized_text_is_cut_with_a_marker_not_a_failed_export() {
        use calamine::Reader;
        let long = "长".repeat(40_000);
        let bytes = workbook("诉求", &["诉求内容"], [vec![long], vec!["短".into()]])
            .expect("the export does not fail");
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
        let sheet = book.worksheet_range("诉求").expect("sheet");
        let cut = sheet.get((1, 0)).expect("the long cell").to_string();
        assert_eq!(cut.chars().count(), CELL_MAX, "cut to Excel's limit");
        assert!(cut.ends_with(CUT_MARKER), "the cut is visible");
        assert_eq!(sheet.get((2, 0)).expect("the short cell").to_string(), "短");
    }
}
