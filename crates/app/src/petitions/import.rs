//! Bulk import of petitions from a table (the hotline's export as xlsx or CSV, or an analyst's CSV of
//! `lon,lat,reported_at,category`): every row is checked first and every problem is reported with its row and
//! column; if any row is wrong nothing is stored. A dry run only checks.
//!
//! Columns are found by their header, in Chinese or English (any order, unknown ones ignored):
//! 受理时间/reported_at/received_at (required), 类别/category (required, code or name), 诉求内容/description,
//! 渠道/channel (default 12345热线), 地址/address, 经度/lon, 纬度/lat, 坐标系/crs (default wgs84), 反映人/name,
//! 联系电话/phone, 状态/status (待受理, 已办结, 不予受理; default 待受理), 办结时间/closed_at, 评价/rating (1–5).

use std::collections::HashMap;

use chengguan_core::audit::AuditDraft;
use chengguan_core::geo::Crs;
use chengguan_core::petitions::workflow::{Level, Status};
use chengguan_core::petitions::{Channel, GridIndex, Petition, PetitionEvent, PetitionNumber};
use chengguan_store::prelude::*;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::sla_deadline;
use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The statuses an imported petition may arrive in (by code or by label); the rest need the workflow's steps.
const IMPORTABLE_STATUSES: [Status; 4] = [
    Status::Received,
    Status::Resolved,
    Status::Rated,
    Status::Rejected,
];

/// Problems reported at most (the count of all of them is given).
const MAX_PROBLEMS: usize = 200;

/// One wrong cell or row.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RowProblem {
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header, or empty for the row as a whole.
    pub column: String,
    /// What is wrong, in Chinese.
    pub problem: String,
}

/// The outcome of an import or a dry run.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Rows stored (0 on a dry run or when any row is wrong).
    pub imported: usize,
    /// True for a dry run.
    pub dry_run: bool,
    /// All problems found (the first 200).
    pub problems: Vec<RowProblem>,
    /// How many problems in all.
    pub problem_count: usize,
    /// First and last number given, when stored.
    pub numbers: Option<(String, String)>,
}

/// A table read from a file: its header and its rows, as text.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl App {
    /// Imports the petitions in `bytes` (an `.xlsx` or `.csv` file named `file_name`), or only checks them when
    /// `dry_run`. Administrator.
    #[tracing::instrument(skip_all, err, fields(file = file_name))]
    pub async fn import_petitions(
        &self,
        session: &Session,
        file_name: &str,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<ImportReport> {
        let actor = self
            .authorize(Some(session), UseCase::ImportPetitions)
            .await?;
        let table = read_table(file_name, bytes)?;
        let grids = self.store.grids().await?;
        let index = GridIndex::new(&grids);
        let registrar = format!("import:{}", actor.username);
        let now = self.clock.now();
        let columns = Columns::find(&table.header)?;
        let limits = self.sla_table().await?;
        let calendar = self.holiday_calendar().await?;
        let taxonomy = self.taxonomy().await?;
        let lookups = Lookups {
            grids: &index,
            limits: &limits,
            calendar: &calendar,
            taxonomy: &taxonomy,
        };
        let mut problems = Vec::new();
        let mut rows = Vec::with_capacity(table.rows.len());
        let mut read = 0;
        for (i, cells) in table.rows.iter().enumerate() {
            let line = i + 2;
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            read += 1;
            match columns.petition(cells, &lookups, &registrar, file_name, now) {
                Ok(row) => rows.push(row),
                Err(found) => {
                    problems.extend(found.into_iter().map(|(column, problem)| RowProblem {
                        row: line,
                        column,
                        problem,
                    }))
                }
            }
        }
        let mut report = ImportReport {
            rows: read,
            imported: 0,
            dry_run,
            problem_count: problems.len(),
            problems: problems.into_iter().take(MAX_PROBLEMS).collect(),
            numbers: None,
        };
        if dry_run || report.problem_count > 0 || rows.is_empty() {
            return Ok(report);
        }
        let audit = AuditDraft::new(
            &actor.username,
            "petition.import",
            "petitions",
            serde_json::json!({ "file": file_name, "rows": rows.len() }),
        );
        let numbers = self.store.import_petitions(&rows, &audit).await?;
        report.imported = numbers.len();
        report.numbers = numbers
            .first()
            .zip(numbers.last())
            .map(|(a, b): (&PetitionNumber, &PetitionNumber)| (a.to_string(), b.to_string()));
        Ok(report)
    }
}

/// Reads the first sheet of an xlsx file, or a CSV file (UTF-8, with or without BOM; comma separated), within the
/// limits of [`crate::files`]: the file's size, what it unpacks to, and the rows and columns it holds are checked
/// before or while reading, so that a sheet claiming A1:XFD1048576 is refused rather than allocated.
fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table> {
    let mut rows = read_rows(file_name, bytes)?;
    let header = rows
        .remove(0)
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    Ok(Table { header, rows })
}

/// Every row of the first sheet of an xlsx file or of a CSV file, as text, within the limits (never empty).
/// A number too long for Excel to keep exactly (an ID number typed as a number) reads as Excel shows it,
/// `6.222251976082564E17`, so that the importer can say what happened to it.
pub(crate) fn read_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let bad = |problem: String| AppError::Invalid {
        field: "文件",
        problem,
    };
    crate::files::check_import_size(file_name, bytes.len() as u64)?;
    let lower = file_name.to_lowercase();
    let rows: Vec<Vec<String>> = if lower.ends_with(".xlsx") {
        read_xlsx(file_name, bytes)?
    } else if lower.ends_with(".csv") {
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
            .map_err(|_| {
                bad(format!(
                    "{file_name} 不是 UTF-8 编码（从 Excel 另存为“CSV UTF-8”）"
                ))
            })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| bad(format!("第 {} 行无法解析：{e}", i + 1)))?;
            check_shape(file_name, i, record.len().saturating_sub(1))?;
            rows.push(record.iter().map(String::from).collect());
        }
        rows
    } else {
        return Err(bad(format!("{file_name}：只支持 .xlsx 和 .csv")));
    };
    if rows.is_empty() {
        return Err(bad(format!("{file_name} 是空的")));
    }
    Ok(rows)
}

/// Refuses a cell at `row`, `column` (both from 0, row 0 the header) outside the import limits.
fn check_shape(file_name: &str, row: usize, column: usize) -> Result<()> {
    use crate::files::{IMPORT_MAX_COLUMNS, IMPORT_MAX_ROWS};
    if row > IMPORT_MAX_ROWS || column >= IMPORT_MAX_COLUMNS {
        return Err(AppError::Invalid {
            field: "文件",
            problem: format!(
                "{file_name} 超出导入上限（至多 {IMPORT_MAX_ROWS} 行数据、{IMPORT_MAX_COLUMNS} 列；第 {} 行第 {} 列已超出），请拆分后分批导入",
                row + 1,
                column + 1
            ),
        });
    }
    Ok(())
}

/// The first sheet's cells, streamed (calamine's cell reader) so that only cells within the limits are kept.
fn read_xlsx(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    use calamine::Reader;
    let bad = |problem: String| AppError::Invalid {
        field: "文件",
        problem,
    };
    // What the file unpacks to, measured by unpacking it (the sizes its directory declares are the author's
    // word) and stopping past the limit, before calamine reads anything into memory.
    let invalid = |e: &dyn std::fmt::Display| bad(format!("{file_name} 不是有效的 xlsx：{e}"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| invalid(&e))?;
    let mut budget = crate::files::IMPORT_MAX_UNPACKED;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| invalid(&e))?;
        let read = std::io::copy(
            &mut std::io::Read::take(&mut entry, budget + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| invalid(&e))?;
        if read > budget {
            return Err(bad(format!(
                "{file_name} 解压后超过上限 {} MB",
                crate::files::IMPORT_MAX_UNPACKED / 1_048_576
            )));
        }
        budget -= read;
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("{file_name} 不是有效的 xlsx：{e}")))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad(format!("{file_name} 没有工作表")))?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| bad(format!("{file_name} 的第一个工作表无法读取：{e}")))?;
    let declared = cells.dimensions();
    check_shape(file_name, declared.end.0 as usize, declared.end.1 as usize)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    // One shared string may be referenced by every cell: the text kept is bounded as well as the cells.
    let mut kept: u64 = 0;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| bad(format!("{file_name} 的第一个工作表无法读取：{e}")))?
    {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        check_shape(file_name, row, column)?;
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        kept += text.len() as u64;
        if kept > crate::files::IMPORT_MAX_UNPACKED {
            return Err(bad(format!(
                "{file_name} 的单元格文字总量超过上限 {} MB",
                crate::files::IMPORT_MAX_UNPACKED / 1_048_576
            )));
        }
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        if rows[row].len() <= column {
            rows[row].resize(column + 1, String::new());
        }
        rows[row][column] = text;
    }
    Ok(rows)
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) if f.abs() >= 1e15 => format!("{f:E}"),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| d.to_string()),
        other => other.to_string(),
    }
}

/// Where each known column is in the header.
struct Columns {
    at: HashMap<&'static str, (usize, String)>,
}

/// Known columns: our key and the headers that name it.
const KNOWN: [(&str, &[&str]); 13] = [
    (
        "received_at",
        &["受理时间", "reported_at", "received_at", "时间"],
    ),
    ("category", &["类别", "category", "诉求类别"]),
    ("description", &["诉求内容", "description", "内容"]),
    ("channel", &["渠道", "channel", "来源"]),
    ("address", &["地址", "address"]),
    ("lon", &["经度", "lon", "lng", "longitude"]),
    ("lat", &["纬度", "lat", "latitude"]),
    ("crs", &["坐标系", "crs", "coord_system"]),
    ("name", &["反映人", "name", "姓名"]),
    ("phone", &["联系电话", "phone", "电话"]),
    ("status", &["状态", "status"]),
    ("closed_at", &["办结时间", "closed_at"]),
    ("rating", &["评价", "rating", "满意度"]),
];

type Problems = Vec<(String, String)>;

/// What rows are checked against: the grids, the time limits and working calendar, the categories.
struct Lookups<'a> {
    grids: &'a GridIndex<'a>,
    limits: &'a chengguan_core::petitions::sla::SlaTable,
    calendar: &'a chengguan_core::calendar::HolidayCalendar,
    taxonomy: &'a chengguan_core::petitions::taxonomy::Taxonomy,
}

impl Columns {
    fn find(header: &[String]) -> Result<Self> {
        let mut at = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            let h_lower = h.to_lowercase();
            if let Some((key, _)) = KNOWN
                .iter()
                .find(|(_, names)| names.contains(&h_lower.as_str()))
            {
                at.entry(*key).or_insert((i, h.clone()));
            }
        }
        for required in ["received_at", "category"] {
            if !at.contains_key(required) {
                let names = KNOWN
                    .iter()
                    .find(|(k, _)| *k == required)
                    .map(|(_, n)| n.join("、"))
                    .unwrap_or_default();
                return Err(AppError::Invalid {
                    field: "表头",
                    problem: format!(
                        "缺少必需的列（{names} 之一）；第 1 行是「{}」",
                        header.join(",")
                    ),
                });
            }
        }
        Ok(Self { at })
    }

    fn cell<'c>(&self, cells: &'c [String], key: &str) -> &'c str {
        self.at
            .get(key)
            .and_then(|(i, _)| cells.get(*i))
            .map(|c| c.trim())
            .unwrap_or("")
    }

    fn header(&self, key: &str) -> String {
        self.at
            .get(key)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| key.into())
    }

    /// The petition of one row, or every problem of the row.
    fn petition(
        &self,
        cells: &[String],
        lookups: &Lookups<'_>,
        registrar: &str,
        file_name: &str,
        now: DateTime<Utc>,
    ) -> std::result::Result<(Petition, Vec<PetitionEvent>), Problems> {
        let mut problems: Problems = Vec::new();
        let mut wrong = |key: &str, problem: String| problems.push((self.header(key), problem));
        let received = match parse_time(self.cell(cells, "received_at")) {
            Some(t) if t <= now => Some(t),
            Some(_) => {
                wrong("received_at", "时间在将来".into());
                None
            }
            None => {
                wrong(
                    "received_at",
                    format!(
                        "「{}」不是时间，应如 2026-03-01 09:30",
                        self.cell(cells, "received_at")
                    ),
                );
                None
            }
        };
        let cat_text = self.cell(cells, "category");
        let cat = lookups.taxonomy.find(cat_text).map(|c| c.code.as_str());
        if cat.is_none() {
            wrong("category", format!("未知或已停用的类别「{cat_text}」"));
        }
        let ch_text = self.cell(cells, "channel");
        let channel = if ch_text.is_empty() {
            Some(Channel::Hotline)
        } else {
            Channel::ALL
                .into_iter()
                .find(|c| c.code() == ch_text || c.label() == ch_text)
        };
        if channel.is_none() {
            wrong("channel", format!("未知渠道「{ch_text}」"));
        }
        let crs_text = self.cell(cells, "crs");
        let crs = if crs_text.is_empty() {
            Some(Crs::Wgs84)
        } else {
            Crs::from_code(&crs_text.to_lowercase())
        };
        if crs.is_none() {
            wrong(
                "crs",
                format!("未知坐标系「{crs_text}」，可选 wgs84、gcj02、bd09"),
            );
        }
        let number = |text: &str| -> std::result::Result<Option<f64>, String> {
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<f64>()
                .map(Some)
                .map_err(|_| format!("「{text}」不是数字"))
        };
        let lon = number(self.cell(cells, "lon")).unwrap_or_else(|p| {
            wrong("lon", p);
            None
        });
        let lat = number(self.cell(cells, "lat")).unwrap_or_else(|p| {
            wrong("lat", p);
            None
        });
        let location = match (lon, lat, crs) {
            (Some(x), Some(y), Some(crs))
                if (73.0..=136.0).contains(&x) && (3.0..=54.0).contains(&y) =>
            {
                let w = crs.to_wgs84(geo::Coord { x, y });
                Some([w.x, w.y])
            }
            (Some(x), Some(y), _) => {
                wrong(
                    "lon",
                    format!("({x}, {y}) 不在中国境内（经纬度是否写反？）"),
                );
                None
            }
            (Some(_), None, _) | (None, Some(_), _) => {
                wrong("lat", "经度和纬度须同时填写".into());
                None
            }
            _ => None,
        };
        let address = self.cell(cells, "address");
        if location.is_none() && address.is_empty() && lon.is_none() && lat.is_none() {
            wrong("address", "须有经纬度或地址".into());
        }
        let status_text = self.cell(cells, "status");
        let status = if status_text.is_empty() {
            Some(Status::Received)
        } else {
            let found = IMPORTABLE_STATUSES
                .into_iter()
                .find(|s| s.code() == status_text || s.label() == status_text);
            if found.is_none() {
                let choices: Vec<&str> = IMPORTABLE_STATUSES.map(Status::label).to_vec();
                wrong(
                    "status",
                    format!("「{status_text}」不可导入，可选 {}", choices.join("、")),
                );
            }
            found
        };
        let rating_text = self.cell(cells, "rating");
        let rating = match rating_text.parse::<u8>() {
            _ if rating_text.is_empty() => None,
            Ok(r @ 1..=5) => Some(r),
            _ => {
                wrong("rating", format!("「{rating_text}」应为 1–5"));
                None
            }
        };
        let closed_text = self.cell(cells, "closed_at");
        let closed = if closed_text.is_empty() {
            None
        } else {
            let t = parse_time(closed_text);
            if t.is_none() {
                wrong("closed_at", format!("「{closed_text}」不是时间"));
            }
            t
        };
        let description = self.cell(cells, "description");
        for (column, max, multiline) in [
            ("description", chengguan_core::text::DESCRIPTION_MAX, true),
            ("address", chengguan_core::text::ADDRESS_MAX, false),
            ("name", chengguan_core::text::NAME_MAX, false),
            ("phone", chengguan_core::text::SHORT_MAX, false),
        ] {
            if let Err(problem) =
                chengguan_core::text::check(self.cell(cells, column), max, multiline)
            {
                wrong(column, problem.to_string());
            }
        }
        let phone = self.cell(cells, "phone");
        if !phone.is_empty() && !(7..=15).contains(&phone.len()) {
            wrong(
                "phone",
                "不是电话号码（应为 7–15 位数字，可含连字符）".into(),
            );
        }
        let (Some(received), Some(cat), Some(channel), Some(mut status)) =
            (received, cat, channel, status)
        else {
            return Err(problems);
        };
        if rating.is_some() && status == Status::Resolved {
            status = Status::Rated;
        }
        let closes = matches!(status, Status::Resolved | Status::Rated | Status::Rejected);
        let closed_at = if closes {
            Some(closed.unwrap_or(received).max(received))
        } else {
            None
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut events = vec![PetitionEvent {
            at: received,
            actor: registrar.into(),
            action: "登记".into(),
            status_after: Status::Received.label().into(),
            note: format!("批量导入：{file_name}"),
        }];
        if let Some(at) = closed_at {
            events.push(PetitionEvent {
                at,
                actor: registrar.into(),
                action: "导入办理结果".into(),
                status_after: status.label().into(),
                note: String::new(),
            });
        }
        let petition = Petition {
            id: chengguan_core::new_id(),
            number: PetitionNumber {
                year: chengguan_core::time::beijing_year(received),
                sequence: 0,
            },
            channel,
            category: cat.into(),
            description: if description.is_empty() {
                "（导入数据未含诉求内容）".into()
            } else {
                description.into()
            },
            location,
            arrived_crs: crs.map(|c| c.code()).unwrap_or("wgs84").into(),
            address: address.into(),
            grid_code: location
                .and_then(|p| lookups.grids.grid_of(p))
                .map(|g| g.code.clone()),
            grid_override_reason: None,
            reporter_name: self.cell(cells, "name").into(),
            reporter_phone: phone.into(),
            status,
            level: closes
                .then_some(Level::Grid)
                .filter(|_| status != Status::Rejected),
            assignee: None,
            deadline: sla_deadline(lookups.limits, lookups.calendar, received, cat, Level::Grid),
            rating: rating.filter(|_| status == Status::Rated),
            rating_comment: None,
            merged_into: None,
            received_at: received,
            closed_at,
            version: events.len() as i64,
            media_url: None,
            updated_at: closed_at.unwrap_or(received),
            reporter_email: String::new(),
            reporter_device: String::new(),
        };
        Ok((petition, events))
    }
}

/// A time as the hotline writes it (Beijing time: `2026-03-01 09:30[:00]`, `2026/3/1 9:30`, a date alone) or
/// RFC 3339.
/// Times outside 1900–2200 are refused like unreadable ones (a typing error, and far-off years overflow the
/// deadline arithmetic).
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    parse_any_time(text).filter(|t| chengguan_core::time::in_range(*t))
}

fn parse_any_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let local = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        ["%Y-%m-%d", "%Y/%m/%d"]
            .iter()
            .find_map(|f| chrono::NaiveDate::parse_from_str(text, f).ok())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    chengguan_core::time::beijing()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn hotline_times_are_beijing_time() {
        let t = parse_time("2026-03-01 09:30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-01T01:30:00+00:00");
        assert_eq!(parse_time("2026/3/1 9:30"), Some(t));
        assert_eq!(parse_time("2026-03-01T01:30:00Z"), Some(t));
        assert!(parse_time("yesterday").is_none());
        assert!(
            parse_time("+262142-12-31T00:00:00Z").is_none() && parse_time("2201-01-01").is_none(),
            "far-off years are refused like unreadable times"
        );
    }
}
