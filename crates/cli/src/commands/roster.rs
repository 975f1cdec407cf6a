//! `chengguan roster …` and `chengguan residents …`: coverage, search, import, export and templates.

use std::path::PathBuf;
use std::process::ExitCode;

use chengguan_app::petitions::ImportReport;
use chengguan_app::roster::export::ListKind;
use chengguan_app::roster::RosterFilter;
use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// 包联覆盖：每个网格的“1+1+1+N”、楼栋长、单元长，列出空缺与一人包联过多
    Coverage(CoverageArgs),
    /// 查找人员与居民（姓名、拼音、首字母、电话片段、身份证后 4–6 位、地点）
    Search(SearchArgs),
    /// 导入人员名册（.xlsx 或 .csv）
    Import(ImportArgs),
    /// 导出人员名册（默认脱敏；--reveal-reason 导出明文，记入审计日志）
    Export(RosterExportArgs),
    /// 下载空白的人员名册模板
    Template(TemplateArgs),
}

#[derive(Debug, Subcommand)]
pub enum ResidentsCommand {
    /// 导入居民名单（.xlsx 或 .csv）
    Import(ImportArgs),
    /// 导出居民名单（默认脱敏；--reveal-reason 导出明文，记入审计日志）
    Export(ResidentsExportArgs),
    /// 下载空白的居民名单模板
    Template(TemplateArgs),
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// 一人包联单元数的上限（超过即列为“过多”）
    #[arg(long, default_value_t = 6)]
    overload: usize,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// 查询内容
    query: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 文件（.xlsx 或 .csv）
    file: PathBuf,
    /// 只检查，不导入
    #[arg(long)]
    dry_run: bool,
    /// 跳过有问题的行，导入其余各行
    #[arg(long)]
    skip_invalid: bool,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct RosterExportArgs {
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: PathBuf,
    /// 角色代码（如 unit_head）
    #[arg(long)]
    role: Option<String>,
    /// 社区代码（如 CG-04）
    #[arg(long)]
    community: Option<String>,
    /// 网格代码（如 CG-04-01）
    #[arg(long)]
    grid: Option<String>,
    /// 导出明文的理由（须有权限，记入审计日志）
    #[arg(long)]
    reveal_reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ResidentsExportArgs {
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: PathBuf,
    /// 网格代码（如 CG-04-01）
    #[arg(long)]
    grid: Option<String>,
    /// 导出明文的理由（须有权限，记入审计日志）
    #[arg(long)]
    reveal_reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: PathBuf,
}

fn print_report(report: &ImportReport, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        say!("{}", serde_json::to_string_pretty(report)?);
    } else {
        for p in &report.problems {
            say!("第 {} 行 {}：{}", p.row, p.column, p.problem);
        }
        if report.problem_count > report.problems.len() {
            say!("……共 {} 个问题", report.problem_count);
        }
        if report.imported > 0 {
            say!("已导入 {} 行（共 {} 行）", report.imported, report.rows);
        } else if report.dry_run && report.problem_count == 0 {
            say!("检查通过：{} 行均可导入（未导入）", report.rows);
        } else {
            say!(
                "{} 行中有 {} 个问题，未导入任何数据",
                report.rows,
                report.problem_count
            );
        }
    }
    Ok(if report.problem_count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn write(out: &std::path::Path, bytes: &[u8], what: &str) -> anyhow::Result<ExitCode> {
    chengguan_app::files::write_atomically(out, bytes).map_err(app_error)?;
    say!("已导出{what}：{}", out.display());
    Ok(ExitCode::SUCCESS)
}

pub async fn run(ctx: &Context, cmd: RosterCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        RosterCommand::Coverage(a) => {
            let c = app
                .coverage_view(&session, Some(a.overload))
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&c)?);
            } else {
                say!("网格       名称                     管理员 民警 巡逻 N   楼栋长   单元长     空缺");
                for g in &c.grids {
                    say!(
                        "{:<10} {:<20} {:>4} {:>4} {:>4} {:>3} {:>4}/{:<4} {:>5}/{:<5} {:>4}",
                        g.grid,
                        g.name,
                        g.grid_managers,
                        g.police,
                        g.patrol,
                        g.n,
                        g.buildings_headed,
                        g.buildings,
                        g.units_headed,
                        g.units,
                        g.gaps
                    );
                }
                for gap in &c.gaps {
                    match (&gap.person, gap.units) {
                        (Some(p), Some(n)) => say!(
                            "{} {}：{p} 包联 {n} 个单元（上限 {}）",
                            gap.grid,
                            gap.label,
                            c.overload_limit
                        ),
                        _ => say!("{} {}：{}", gap.grid, gap.label, gap.place),
                    }
                }
                say!("共 {} 处空缺或过多", c.gaps.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        RosterCommand::Search(a) => {
            let r = app
                .search_roster(&session, &a.query)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                for (label, hits) in [("人员", &r.people), ("居民", &r.residents)] {
                    if hits.is_empty() {
                        continue;
                    }
                    say!("【{label}】");
                    for h in hits {
                        say!(
                            "  {} {} {} {}（{}）",
                            h.name,
                            h.roles.join("、"),
                            h.phone,
                            h.place,
                            h.how
                        );
                    }
                }
                if r.people.is_empty() && r.residents.is_empty() {
                    say!("没有找到「{}」", a.query);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RosterCommand::Import(a) => {
            let bytes = chengguan_app::files::read_import(&a.file).map_err(app_error)?;
            let report = app
                .import_roster(
                    &session,
                    &file_name(&a.file),
                    &bytes,
                    a.dry_run,
                    a.skip_invalid,
                )
                .await
                .map_err(app_error)?;
            print_report(&report, a.json)
        }
        RosterCommand::Export(a) => {
            let filter = RosterFilter {
                role: a.role,
                community: a.community,
                grid: a.grid,
                limit: Some(5000),
            };
            let bytes = app
                .export_roster(&session, filter, a.reveal_reason.as_deref())
                .await
                .map_err(app_error)?;
            write(&a.out, &bytes, "人员名册")
        }
        RosterCommand::Template(a) => {
            let bytes = app
                .list_template(&session, ListKind::Roster)
                .await
                .map_err(app_error)?;
            write(&a.out, &bytes, "人员名册模板")
        }
    }
}

pub async fn run_residents(ctx: &Context, cmd: ResidentsCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        ResidentsCommand::Import(a) => {
            let bytes = chengguan_app::files::read_import(&a.file).map_err(app_error)?;
            let report = app
                .import_residents(
                    &session,
                    &file_name(&a.file),
                    &bytes,
                    a.dry_run,
                    a.skip_invalid,
                )
                .await
                .map_err(app_error)?;
            print_report(&report, a.json)
        }
        ResidentsCommand::Export(a) => {
            let bytes = app
                .export_residents(&session, a.grid.as_deref(), a.reveal_reason.as_deref())
                .await
                .map_err(app_error)?;
            write(&a.out, &bytes, "居民名单")
        }
        ResidentsCommand::Template(a) => {
            let bytes = app
                .list_template(&session, ListKind::Residents)
                .await
                .map_err(app_error)?;
            write(&a.out, &bytes, "居民名单模板")
        }
    }
}
