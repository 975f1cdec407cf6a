//! The leaders' briefing: the key figures of a period (defined in `chengguan_core::figures`), the charts drawn
//! from them, the big screen's answer and the briefing pack (PDF and xlsx, [`pack`]).
//!
//! The screen, the pack and `chengguan report figures` all call [`App::figures_between`]: one reading of the
//! petitions, the alliances' turns and the rosters, one computation, so a number on the screen is the number on
//! paper.

pub mod charts;
pub mod pack;

use std::collections::HashMap;

use chengguan_core::figures::{self, AllianceRecord, Figures, Kpi, PetitionRecord, Step};
use chengguan_core::petitions::workflow::{Status, StepKind};
use chengguan_core::time::beijing_day_start;
use chengguan_store::prelude::*;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::{App, AppError, Result};

/// The longest period figures are asked for, in days (two years: a year compared with the year before).
pub const MAX_PERIOD_DAYS: i64 = 731;

/// A headline figure as every front end prints it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KpiView {
    /// Stable code (`received`, `resolution_rate`, …).
    pub code: String,
    /// Its name.
    pub label: String,
    /// The value as printed.
    pub value: String,
    /// How it is reckoned.
    pub note: String,
}

impl From<Kpi> for KpiView {
    fn from(k: Kpi) -> Self {
        KpiView {
            code: k.code.into(),
            label: k.label.into(),
            value: k.value,
            note: k.note,
        }
    }
}

/// A chart for the screen: SVG drawn in Rust.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChartView {
    /// `trend`, `categories`, `grids`, `alliances`, `satisfaction` or `map`.
    pub code: String,
    /// Its title.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// What the big screen shows of a period.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BriefingView {
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day.
    pub to: String,
    /// The moment the petitions were looked at, Beijing time (`YYYY-MM-DD HH:MM`).
    pub as_of: String,
    /// The headline figures.
    pub kpis: Vec<KpiView>,
    /// The charts, dark.
    pub charts: Vec<ChartView>,
}

/// The figures of a period and their headline form, as `chengguan report figures --json` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct FiguresReport {
    /// Every figure.
    pub figures: Figures,
    /// The headline figures as printed.
    pub kpis: Vec<Kpi>,
}

/// A period from the words typed: both days, `to` not before `from`, at most [`MAX_PERIOD_DAYS`].
pub(crate) fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let day = |field: &'static str, v: &str| {
        chengguan_core::time::parse_day(v.trim()).map_err(|e| AppError::Invalid {
            field,
            problem: e.to_string(),
        })
    };
    let (from, to) = (day("开始日期", from)?, day("结束日期", to)?);
    if to < from {
        return Err(AppError::Invalid {
            field: "结束日期",
            problem: format!("{to} 早于开始日期 {from}"),
        });
    }
    if (to - from).num_days() >= MAX_PERIOD_DAYS {
        return Err(AppError::Invalid {
            field: "结束日期",
            problem: format!("简报期间最长 {MAX_PERIOD_DAYS} 天"),
        });
    }
    Ok((from, to))
}

impl App {
    /// The figures of `from..=to` (Beijing days) with their headline form.
    pub async fn report_figures(
        &self,
        session: &Session,
        from: &str,
        to: &str,
    ) -> Result<FiguresReport> {
        self.authorize(Some(session), UseCase::ViewFigures).await?;
        let (from, to) = period(from, to)?;
        let figures = self.figures_between(from, to).await?;
        Ok(FiguresReport {
            kpis: figures.kpis(),
            figures,
        })
    }

    /// The big screen's figures and charts; by default the last 30 days to today.
    pub async fn briefing(
        &self,
        session: &Session,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<BriefingView> {
        self.authorize(Some(session), UseCase::ViewFigures).await?;
        let today = self.today();
        let to = to.filter(|t| !t.trim().is_empty()).map(str::to_string);
        let to = to.unwrap_or_else(|| today.to_string());
        let from = from
            .filter(|f| !f.trim().is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| (today - Duration::days(29)).to_string());
        let (from, to) = period(&from, &to)?;
        let figures = self.figures_between(from, to).await?;
        let charts = self
            .briefing_charts(
                session,
                &figures,
                &chengguan_report::charts::Theme::SCREEN,
                charts::SCREEN,
            )
            .await?;
        Ok(BriefingView {
            from: from.to_string(),
            to: to.to_string(),
            as_of: figures
                .as_of
                .with_timezone(&chengguan_core::time::beijing())
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            kpis: figures.kpis().into_iter().map(KpiView::from).collect(),
            charts,
        })
    }

    /// The one computation of a period's figures.
    pub(crate) async fn figures_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Figures> {
        let length = (to - from).num_days() + 1;
        let first = (from - Duration::days(length)).min(figures::year_before(from));
        let histories = self
            .store
            .petition_histories(
                beijing_day_start(first),
                beijing_day_start(to + Duration::days(1)),
            )
            .await?;
        let petitions: Vec<PetitionRecord> = histories
            .into_iter()
            .map(|h| PetitionRecord {
                received_at: h.received_at,
                deadline: h.deadline,
                category: h.category,
                grid: h.grid_code,
                rating: h.rating.and_then(|r| u8::try_from(r).ok()),
                steps: h
                    .events
                    .into_iter()
                    .filter_map(|e| {
                        // The timeline stores the labels people read (已办结, 退回重办); codes are accepted too.
                        let status = Status::ALL
                            .into_iter()
                            .find(|s| s.label() == e.status_after || s.code() == e.status_after)?;
                        let reopen = StepKind::Reopen;
                        Some(Step {
                            at: e.at,
                            status,
                            reopen: e.action == reopen.label() || e.action == reopen.code(),
                        })
                    })
                    .collect(),
            })
            .collect();
        let category_names: HashMap<String, String> = self
            .store
            .categories()
            .await?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect();
        let grid_names: HashMap<String, String> = self
            .cached_grids()
            .await?
            .iter()
            .map(|g| (g.code.clone(), g.name.clone()))
            .collect();
        let review = self.review_between(from, to).await?;
        let mut alliances: Vec<AllianceRecord> = Vec::new();
        for r in &review.rows {
            let i = match alliances.iter().position(|a| a.name == r.alliance) {
                Some(i) => i,
                None => {
                    alliances.push(AllianceRecord {
                        name: r.alliance.clone(),
                        turns_ended: 0,
                        fulfilled: 0,
                        activities: 0,
                        hours: 0.0,
                    });
                    alliances.len() - 1
                }
            };
            let a = &mut alliances[i];
            a.turns_ended += r.turns_ended;
            a.fulfilled += r.fulfilled;
            a.activities += r.activities;
            a.hours = ((a.hours + r.hours) * 10.0).round() / 10.0;
        }
        let coverage = self.coverage_now(None).await?;
        let mut gaps: Vec<(String, u32)> = Vec::new();
        for g in &coverage.gaps {
            let label = g.kind.label().to_string();
            match gaps.iter_mut().find(|(l, _)| *l == label) {
                Some(row) => row.1 += 1,
                None => gaps.push((label, 1)),
            }
        }
        let calendar = self.holiday_calendar().await?;
        Ok(figures::figures(
            &figures::Inputs {
                from,
                to,
                now: self.clock.now(),
                petitions: &petitions,
                category_names: &category_names,
                grid_names: &grid_names,
                alliances,
                roster_gaps: gaps,
            },
            &*calendar,
        ))
    }
}
