//! Writing simple xlsx workbooks (a header row and text cells) for exports.

use rust_xlsxwriter::{Format, Workbook};

use crate::{AppError, Result};

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
            ws.write_string(r as u32 + 1, c as u16, v).map_err(fail)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
