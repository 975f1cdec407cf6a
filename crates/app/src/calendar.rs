//! The working calendar as the town uses it: the built-in notices with those imported since over them, the
//! year lists, and the import of a new year's notice (CSV as documented in docs/calendars.md, or `.ics`).

use std::sync::Arc;

use chengguan_core::audit::AuditDraft;
use chengguan_core::calendar::holidays::{parse_ics, parse_notices, HolidayCalendar, NoticeKind};
use chengguan_core::calendar::CalendarError;
use chengguan_store::prelude::*;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The largest notice file taken: a year's notice is a few hundred bytes, a holiday .ics a few kilobytes.
pub const MAX_NOTICE_BYTES: usize = 1 << 20;

/// One day a notice names.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HolidayDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `day_off` or `make_up_workday` (`NOTICE_KIND`).
    pub kind: String,
    /// `休` or `班`.
    pub kind_label: String,
    /// The festival, e.g. `国庆节`.
    pub festival: String,
    /// The day of the week in Chinese (`周六`).
    pub weekday: String,
}

/// A year's days off and make-up workdays.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HolidayYear {
    /// The year.
    pub year: i32,
    /// `built_in` (this release's data) or `imported`.
    pub source: String,
    /// The days the notice names, in date order.
    pub days: Vec<HolidayDay>,
    /// How many are days off.
    pub days_off: u32,
    /// How many are make-up workdays.
    pub make_up_workdays: u32,
    /// Working days in the year by this calendar.
    pub working_days: u32,
}

/// What an import loaded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HolidayImport {
    /// The years loaded (each replacing what was there).
    pub years: Vec<i32>,
    /// Days named.
    pub days: u32,
}

pub(crate) fn weekday(date: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [date.weekday().num_days_from_monday() as usize]
}

impl From<CalendarError> for AppError {
    fn from(e: CalendarError) -> Self {
        AppError::Invalid {
            field: "放假安排",
            problem: e.to_string(),
        }
    }
}

impl App {
    /// The working calendar: the built-in notices with the imported ones over them.
    pub(crate) async fn holiday_calendar(&self) -> Result<Arc<HolidayCalendar>> {
        self.caches
            .holidays
            .get(|| async {
                let imported = self.store.holidays().await?;
                Ok(HolidayCalendar::built_in().with_notices(imported))
            })
            .await
    }

    /// The days off and make-up workdays of `year`; a year without a notice is an error that says so.
    pub async fn holidays(&self, session: &Session, year: i32) -> Result<HolidayYear> {
        self.authorize(Some(session), UseCase::ListHolidays).await?;
        let calendar = self.holiday_calendar().await?;
        let days = calendar.notice(year)?;
        let imported = self.store.holidays().await?.iter().any(|d| d.year == year);
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(CalendarError::MissingYear(year))?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(CalendarError::MissingYear(year))?;
        let working_days =
            calendar.working_days_between(first.pred_opt().unwrap_or(first), last)?;
        Ok(HolidayYear {
            year,
            source: if imported { "imported" } else { "built_in" }.into(),
            days_off: days.iter().filter(|d| d.kind == NoticeKind::DayOff).count() as u32,
            make_up_workdays: days
                .iter()
                .filter(|d| d.kind == NoticeKind::MakeUpWorkday)
                .count() as u32,
            days: days
                .into_iter()
                .map(|d| HolidayDay {
                    date: d.date.to_string(),
                    kind: d.kind.code().into(),
                    kind_label: d.kind.label().into(),
                    festival: d.festival.clone(),
                    weekday: weekday(d.date).into(),
                })
                .collect(),
            working_days,
        })
    }

    /// Imports a year's notice (or several years'): CSV in the documented form, or an `.ics` of a Chinese
    /// holiday calendar. Each year named replaces what was there, whole; the file is checked first and nothing
    /// is written when any line is wrong. Petitions registered from now on get deadlines by it.
    #[tracing::instrument(skip_all, err, fields(file = file_name))]
    pub async fn import_holidays(
        &self,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<HolidayImport> {
        let actor = self
            .authorize(Some(session), UseCase::ImportHolidays)
            .await?;
        if bytes.len() > MAX_NOTICE_BYTES {
            return Err(AppError::Invalid {
                field: "放假安排文件",
                problem: format!(
                    "文件有 {} 字节，超过 {} 字节的上限：放假安排通常只有几百字节",
                    bytes.len(),
                    MAX_NOTICE_BYTES
                ),
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|_| AppError::Invalid {
            field: "放假安排文件",
            problem: "不是 UTF-8 文本（请另存为 UTF-8 编码的 CSV 或 .ics）".into(),
        })?;
        let ics = file_name.to_lowercase().ends_with(".ics")
            || text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with("BEGIN:VCALENDAR");
        let days = if ics {
            parse_ics(text)?
        } else {
            parse_notices(text)?
        };
        if days.is_empty() {
            return Err(AppError::Invalid {
                field: "放假安排文件",
                problem: "文件里没有任何放假或调休的日期".into(),
            });
        }
        let mut years: Vec<i32> = days.iter().map(|d| d.year).collect();
        years.sort_unstable();
        years.dedup();
        let audit = AuditDraft::new(
            &actor.username,
            "holiday.import",
            format!(
                "holidays:{}",
                years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            json!({ "file": file_name, "years": years, "days": days.len() }),
        );
        self.store.import_holidays(&days, &audit).await?;
        self.caches.holidays.forget();
        Ok(HolidayImport {
            years,
            days: days.len() as u32,
        })
    }
}
