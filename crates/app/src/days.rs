//! Days as people type them (`YYYY-MM-DD`, Beijing calendar days) turned into instants for the store's filters:
//! one place for the queue, the audit log and analysis. The time zone itself lives in `chengguan_core::time`.

use crate::{AppError, Result};

/// The start (UTC) of the Beijing calendar day `day` (`YYYY-MM-DD`) plus `add_days`; `None` for no day.
pub(crate) fn beijing_day_start(
    day: Option<&str>,
    add_days: u64,
) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(day) = day.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let date = chengguan_core::time::parse_day(day).map_err(|e| AppError::Invalid {
        field: "日期",
        problem: e.to_string(),
    })?;
    // A parsed day is within 1900–2200, so a few days more cannot overflow; checked all the same.
    let date = date
        .checked_add_days(chrono::Days::new(add_days))
        .ok_or_else(|| AppError::Invalid {
            field: "日期",
            problem: format!("「{day}」超出范围"),
        })?;
    Ok(Some(chengguan_core::time::beijing_day_start(date)))
}
