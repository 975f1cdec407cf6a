//! The briefing pack: an A4 PDF typeset by Typst (`briefing.typ`), and beside it an xlsx holding the table
//! behind every chart and figure. Both are made from one [`Figures`]; each generation is audited.
//!
//! The template gets its data as `/data.json` and the charts as `/charts/*.svg`; every number in the JSON is
//! already the text the figures module prints, so the PDF cannot round differently from the screen.

use chengguan_core::audit::AuditDraft;
use chengguan_core::figures::{show_count, Figures};
use chengguan_core::people::mask_name;
use chengguan_core::time::beijing;
use chengguan_report::charts::Theme;
use chengguan_report::typeset::{self, Document};
use chengguan_report::CjkFont;
use chengguan_store::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{json, Value};

use super::charts::PAPER;
use super::period;
use crate::access::{Session, UseCase};
use crate::analysis::Alerts;
use crate::api::Download;
use crate::petitions::{PetitionPage, PetitionQuery};
use crate::{App, AppError, Result};

/// The template, compiled into the binary.
const TEMPLATE: &str = include_str!("briefing.typ");

/// Overdue petitions the pack lists.
const OVERDUE_ROWS: i64 = 10;

/// The two files of a briefing pack.
#[derive(Debug, Clone)]
pub struct BriefingPack {
    /// The A4 PDF.
    pub pdf: Vec<u8>,
    /// The tables behind it.
    pub xlsx: Vec<u8>,
}

/// What one pack shows, gathered once for the PDF and the xlsx.
struct Contents {
    figures: Figures,
    overdue: PetitionPage,
    alerts: Alerts,
    grid_names: std::collections::HashMap<String, String>,
    now: chrono::DateTime<chrono::Utc>,
}

impl App {
    async fn pack_contents(&self, session: &Session, from: &str, to: &str) -> Result<Contents> {
        let (from, to) = period(from, to)?;
        let figures = self.figures_between(from, to).await?;
        let overdue = self
            .list_petitions(
                session,
                &PetitionQuery {
                    overdue_only: true,
                    by_deadline: true,
                    limit: OVERDUE_ROWS,
                    ..Default::default()
                },
            )
            .await?;
        let alerts = self.alerts(session, Some(&to.to_string())).await?;
        let grid_names = self
            .cached_grids()
            .await?
            .iter()
            .map(|g| (g.code.clone(), g.name.clone()))
            .collect();
        Ok(Contents {
            figures,
            overdue,
            alerts,
            grid_names,
            now: self.clock.now(),
        })
    }

    async fn audit_pack(&self, username: &str, c: &Contents, format: &str) -> Result<()> {
        self.store
            .append_audit(&AuditDraft::new(
                username,
                "briefing.pack",
                "briefing",
                json!({
                    "format": format,
                    "from": c.figures.from.to_string(),
                    "to": c.figures.to.to_string(),
                    "received": c.figures.received,
                }),
            ))
            .await?;
        Ok(())
    }

    /// The briefing pack's PDF for `from..=to` (audited).
    pub async fn briefing_pdf(&self, session: &Session, from: &str, to: &str) -> Result<Vec<u8>> {
        let actor = self.authorize(Some(session), UseCase::BriefingPack).await?;
        let font = CjkFont::system()?;
        let c = self.pack_contents(session, from, to).await?;
        let pdf = self
            .typeset_pack(session, &actor.username, &c, &font)
            .await?;
        self.audit_pack(&actor.username, &c, "pdf").await?;
        Ok(pdf)
    }

    /// The tables behind the pack's figures and charts, as xlsx (audited).
    pub async fn briefing_xlsx(&self, session: &Session, from: &str, to: &str) -> Result<Vec<u8>> {
        let actor = self.authorize(Some(session), UseCase::BriefingPack).await?;
        let c = self.pack_contents(session, from, to).await?;
        let bytes =
            pack_workbook(&c).map_err(|e| AppError::Internal(format!("无法生成 xlsx：{e}")))?;
        self.audit_pack(&actor.username, &c, "xlsx").await?;
        Ok(bytes)
    }

    /// The PDF and the xlsx of one reading of the figures, so that the two files cannot differ (audited once).
    pub async fn briefing_pack(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<BriefingPack> {
        let actor = self.authorize(Some(session), UseCase::BriefingPack).await?;
        let font = CjkFont::system()?;
        let c = self.pack_contents(session, from, to).await?;
        let pdf = self
            .typeset_pack(session, &actor.username, &c, &font)
            .await?;
        let xlsx =
            pack_workbook(&c).map_err(|e| AppError::Internal(format!("无法生成 xlsx：{e}")))?;
        self.audit_pack(&actor.username, &c, "pdf+xlsx").await?;
        Ok(BriefingPack { pdf, xlsx })
    }

    async fn typeset_pack(
        &self,
        session: &Session,
        username: &str,
        c: &Contents,
        font: &CjkFont,
    ) -> Result<Vec<u8>> {
        let now = self.clock.now().with_timezone(&beijing());
        let by = match self.store.user_by_username(username).await? {
            Some(u) => format!("{}（{}）", u.display_name, u.username),
            None => username.to_string(),
        };
        let data = pack_data(
            c,
            &by,
            &now.format("%Y-%m-%d %H:%M").to_string(),
            &font.family,
        );
        let mut files = vec![(
            "/data.json".to_string(),
            serde_json::to_vec(&data).map_err(|e| AppError::Internal(e.to_string()))?,
        )];
        for chart in self
            .briefing_charts(session, &c.figures, &Theme::PAPER, PAPER)
            .await?
        {
            files.push((
                format!("/charts/{}.svg", chart.code),
                chart.svg.into_bytes(),
            ));
        }
        Ok(typeset::pdf(
            Document {
                template: TEMPLATE,
                files,
                now: now.fixed_offset(),
            },
            font,
        )?)
    }

    /// [`App::briefing_pdf`] as a download.
    pub async fn briefing_pdf_download(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<Download> {
        let bytes = self.briefing_pdf(session, from, to).await?;
        Ok(Download {
            file_name: format!("简报-{}-{}.pdf", period_stem(from, to)?, self.file_stamp()),
            bytes,
        })
    }

    /// [`App::briefing_xlsx`] as a download.
    pub async fn briefing_xlsx_download(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<Download> {
        let bytes = self.briefing_xlsx(session, from, to).await?;
        Ok(Download {
            file_name: format!(
                "简报数据-{}-{}.xlsx",
                period_stem(from, to)?,
                self.file_stamp()
            ),
            bytes,
        })
    }
}

/// `20260101至20261206`: the period as file names carry it (from the parsed days, never the words typed).
fn period_stem(from: &str, to: &str) -> Result<String> {
    let (from, to) = period(from, to)?;
    Ok(format!(
        "{}至{}",
        from.format("%Y%m%d"),
        to.format("%Y%m%d")
    ))
}

/// A day and minute of an RFC 3339 instant, Beijing time.
fn minute(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&beijing())
                .format("%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

fn overdue_days(c: &Contents, deadline: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(deadline)
        .map(|d| {
            format!(
                "{:.1} 天",
                (c.now - d.to_utc()).num_hours().max(0) as f64 / 24.0
            )
        })
        .unwrap_or_default()
}

fn pack_data(c: &Contents, by: &str, at: &str, font: &str) -> Value {
    let f = &c.figures;
    let name = |code: &str| {
        c.grid_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    json!({
        "town": "城关镇",
        "county": "甘肃省张掖市高台县",
        "font": font,
        "from": f.from.to_string(),
        "to": f.to.to_string(),
        "as_of": f.as_of.with_timezone(&beijing()).format("%Y-%m-%d %H:%M").to_string(),
        "generated_at": at,
        "generated_by": by,
        "kpis": f.kpis().iter().map(|k| json!({"label": k.label, "value": k.value, "note": k.note})).collect::<Vec<_>>(),
        "overdue": c.overdue.items.iter().map(|p| json!({
            "number": p.number,
            "category": p.category_label,
            "grid": p.grid_code.as_deref().map(name).unwrap_or_else(|| "未定位".into()),
            "received": minute(&p.received_at),
            "deadline": minute(&p.deadline),
            "late": overdue_days(c, &p.deadline),
            "status": p.status_label,
            "reporter": format!("{} {}", mask_name(&p.reporter_name), p.reporter_phone),
        })).collect::<Vec<_>>(),
        "overdue_total": show_count(u32::try_from(c.overdue.total).unwrap_or(u32::MAX)),
        "week_of": c.alerts.week_of,
        "spikes": c.alerts.spikes.iter().map(|s| json!({
            "grid": name(&s.grid_code),
            "observed": s.observed.to_string(),
            "expected": format!("{:.1}", s.expected),
            "times": if s.expected > 0.0 { format!("{:.1}", f64::from(s.observed) / s.expected) } else { "—".into() },
            "p": format!("{:.2e}", s.p),
        })).collect::<Vec<_>>(),
        "alliances": f.alliances.iter().map(|a| json!({
            "name": a.name,
            "turns": a.turns_ended.to_string(),
            "fulfilled": a.fulfilled.to_string(),
            "rate": chengguan_core::figures::show_percent(chengguan_core::figures::percent(a.fulfilled, a.turns_ended)),
            "activities": a.activities.to_string(),
            "hours": format!("{:.1}", a.hours),
        })).collect::<Vec<_>>(),
        "gaps": f.roster_gaps.iter().map(|(kind, n)| json!({"kind": kind, "count": n.to_string()})).collect::<Vec<_>>(),
        "gap_total": show_count(f.roster_gap_total),
    })
}

/// A sheet's cell: text or a number (numbers stay numbers, so that a reader's sums work).
enum Cell {
    Text(String),
    Number(f64),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(n: impl Into<f64>) -> Cell {
    Cell::Number(n.into())
}

fn pack_workbook(c: &Contents) -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let f = &c.figures;
    let name = |code: &str| {
        c.grid_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut sheet = |name: &str, header: &[&str], rows: Vec<Vec<Cell>>| {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        for (i, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &bold)?;
            ws.set_column_width(i as u16, if i == 0 { 22 } else { 14 })?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (i, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => ws.write_string(r as u32 + 1, i as u16, s)?,
                    Cell::Number(n) => ws.write_number(r as u32 + 1, i as u16, *n)?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
        Ok::<(), rust_xlsxwriter::XlsxError>(())
    };
    sheet(
        "指标",
        &["指标", "数值", "说明", "代码"],
        f.kpis()
            .into_iter()
            .map(|k| vec![text(k.label), text(k.value), text(k.note), text(k.code)])
            .collect(),
    )?;
    let counts: [(&str, u32); 12] = [
        ("收到", f.received),
        ("不予受理", f.rejected),
        ("办结", f.resolved),
        ("在办", f.open),
        ("按时办结", f.on_time),
        ("超期（含在办已超期）", f.late),
        ("已评价", f.rated),
        ("满意（4–5 星）", f.satisfied),
        ("退回重办", f.reopened),
        ("已结束轮次", f.turns_ended),
        ("履职轮次", f.turns_fulfilled),
        ("名册缺口", f.roster_gap_total),
    ];
    sheet(
        "计数",
        &["项目", "数量"],
        counts
            .iter()
            .map(|(k, v)| vec![text(*k), number(*v)])
            .collect(),
    )?;
    let top5: Vec<&str> = f
        .categories
        .iter()
        .take(5)
        .map(|c| c.name.as_str())
        .collect();
    let mut header = vec!["周（周一）", "合计"];
    header.extend(top5.iter().copied());
    sheet(
        "周趋势",
        &header,
        f.weeks
            .iter()
            .map(|w| {
                let mut row = vec![text(w.monday.to_string()), number(w.total)];
                row.extend(w.by_category.iter().map(|n| number(*n)));
                row
            })
            .collect(),
    )?;
    let ranked = |rows: &[chengguan_core::figures::Ranked]| {
        rows.iter()
            .map(|r| vec![text(r.name.clone()), number(r.count), text(r.code.clone())])
            .collect::<Vec<_>>()
    };
    sheet("类别", &["类别", "件数", "代码"], ranked(&f.categories))?;
    let mut grids = ranked(&f.grids);
    if f.no_grid > 0 {
        grids.push(vec![text("未定位"), number(f.no_grid), text("")]);
    }
    sheet("网格", &["网格", "件数", "代码"], grids)?;
    sheet(
        "评价",
        &["星级", "件数"],
        (1..=5)
            .rev()
            .map(|s| vec![text(format!("{s} 星")), number(f.ratings[s - 1])])
            .collect(),
    )?;
    sheet(
        "联盟",
        &[
            "联盟",
            "已结束轮次",
            "履职轮次",
            "活动次数",
            "服务时长（小时）",
        ],
        f.alliances
            .iter()
            .map(|a| {
                vec![
                    text(a.name.clone()),
                    number(a.turns_ended),
                    number(a.fulfilled),
                    number(a.activities),
                    number(a.hours),
                ]
            })
            .collect(),
    )?;
    sheet(
        "超期诉求",
        &[
            "编号",
            "类别",
            "网格",
            "登记",
            "时限",
            "状态",
            "反映人（已脱敏）",
        ],
        c.overdue
            .items
            .iter()
            .map(|p| {
                vec![
                    text(p.number.clone()),
                    text(p.category_label.clone()),
                    text(
                        p.grid_code
                            .as_deref()
                            .map(&name)
                            .unwrap_or_else(|| "未定位".into()),
                    ),
                    text(p.grid_code.clone().unwrap_or_default()),
                    text(minute(&p.received_at)),
                    text(minute(&p.deadline)),
                    text(overdue_days(c, &p.deadline)),
                    text(p.status_label.clone()),
                    text(format!(
                        "{} {}",
                        mask_name(&p.reporter_name),
                        p.reporter_phone
                    )),
                ]
            })
            .collect(),
    )?;
    sheet(
        "突增预警",
        &["网格", "网格编码", "本周件数", "平时每周", "P 值"],
        c.alerts
            .spikes
            .iter()
            .map(|s| {
                vec![
                    text(s.grid_code.clone()),
                    number(s.observed),
                    number(s.expected),
                    number(s.p),
                ]
            })
            .collect(),
    )?;
    sheet(
        "名册缺口",
        &["缺口", "处数"],
        f.roster_gaps
            .iter()
            .map(|(k, n)| vec![text(k.clone()), number(*n)])
            .collect(),
    )?;
    book.save_to_buffer()
}
