use std::process::ExitCode;

use chengguan_app::petitions::{NewPetition, PetitionQuery, PetitionView, Step};
use clap::{Args, Subcommand, ValueEnum};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum PetitionsCommand {
    /// 登记诉求（值班员）
    Add(AddArgs),
    /// 列出诉求（新的在前；网格员只见本网格）
    List(ListArgs),
    /// 批量导入诉求（xlsx 或 CSV，如 12345 热线导出；管理员）：先逐行检查，有错则全部不导入
    Import(ImportArgs),
    /// 导出筛选后的诉求为 xlsx（联系电话打码）
    Export(ExportArgs),
    /// 办理一步：受理、不予受理、交办、转办、升级、办结、评价、退回重办、合并
    Act(ActArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// 渠道：miniprogram_photo、one_key_call、hotline、grid_patrol、walk_in、council、friday_talk
    #[arg(long)]
    channel: String,
    /// 类别：safety_hazard、dispute、sanitation、property、infrastructure、venue、livelihood、policy、other
    #[arg(long)]
    category: String,
    /// 诉求内容
    #[arg(long)]
    description: String,
    /// 经度
    #[arg(long, requires = "lat", allow_hyphen_values = true)]
    lon: Option<f64>,
    /// 纬度
    #[arg(long, requires = "lon", allow_hyphen_values = true)]
    lat: Option<f64>,
    /// 坐标系：wgs84（默认）、gcj02、bd09
    #[arg(long)]
    crs: Option<String>,
    /// 地址
    #[arg(long, default_value = "")]
    address: String,
    /// 反映人
    #[arg(long)]
    name: String,
    /// 联系电话
    #[arg(long)]
    phone: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// 只看这些状态（可多次）：received、accepted、in_progress、resolved、rated、rejected、merged
    #[arg(long = "status")]
    statuses: Vec<String>,
    /// 最多条数
    #[arg(long, default_value_t = 50)]
    limit: i64,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 文件（.xlsx 或 .csv；列：受理时间、类别、诉求内容、渠道、地址、经度、纬度、坐标系、反映人、联系电话、状态、
    /// 办结时间、评价；或 lon,lat,reported_at,category）
    file: std::path::PathBuf,
    /// 只检查，不导入
    #[arg(long)]
    dry_run: bool,
    /// 以 JSON 输出报告
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 只看这些状态（可多次）
    #[arg(long = "status")]
    statuses: Vec<String>,
    /// 只看这些类别（可多次）
    #[arg(long = "category")]
    categories: Vec<String>,
    /// 只看超期未办结的
    #[arg(long)]
    overdue: bool,
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: std::path::PathBuf,
    /// 导出反映人姓名与电话明文的理由（须有查看明文权限，记入审计日志）；不填则姓名、电话打码
    #[arg(long)]
    reveal_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StepKind {
    Accept,
    Reject,
    Assign,
    Transfer,
    Escalate,
    Resolve,
    Rate,
    Reopen,
    Merge,
}

#[derive(Debug, Args)]
pub struct ActArgs {
    /// 诉求编号，如 GT-2026-000123
    petition: String,
    /// 办理步骤
    #[arg(value_enum)]
    step: StepKind,
    /// 交办层级：grid、community、town、county（assign）
    #[arg(long)]
    level: Option<String>,
    /// 承办人（assign、transfer）
    #[arg(long)]
    assignee: Option<String>,
    /// 理由（reject）
    #[arg(long)]
    reason: Option<String>,
    /// 新类别（accept，可选）
    #[arg(long)]
    category: Option<String>,
    /// 星级 1–5（rate）
    #[arg(long)]
    stars: Option<u8>,
    /// 评价意见（rate）
    #[arg(long)]
    comment: Option<String>,
    /// 合并到的诉求编号（merge）
    #[arg(long)]
    into: Option<String>,
    /// 办理说明（记入办理过程）
    #[arg(long, default_value = "")]
    note: String,
    /// 读到的版本（默认：当前版本；给出时，若他人已改动则报冲突）
    #[arg(long)]
    version: Option<i64>,
}

fn missing(field: &'static str, step: &str) -> anyhow::Error {
    app_error(chengguan_app::AppError::Invalid {
        field,
        problem: format!("{step} 须给出此项"),
    })
}

/// An RFC 3339 instant as Beijing time, `2026-12-04 00:00（北京时间）`.
fn beijing(rfc3339: &str) -> String {
    let offset = chengguan_core::time::beijing();
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&offset)
                .format("%Y-%m-%d %H:%M（北京时间）")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn print(p: &PetitionView) {
    let overdue = if p.overdue { "  【已超期】" } else { "" };
    say!(
        "{}  {:<6} {:<8} {:<10} 网格 {:<9} {}{overdue}",
        p.number,
        p.status_label,
        p.category_label,
        p.channel_label,
        p.grid_code.as_deref().unwrap_or("—"),
        p.description
    );
}

pub async fn run(ctx: &Context, cmd: PetitionsCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    match cmd {
        PetitionsCommand::Add(a) => {
            let new = NewPetition {
                channel: a.channel,
                category: a.category,
                description: a.description,
                lon: a.lon,
                lat: a.lat,
                crs: a.crs,
                address: a.address,
                reporter_name: a.name,
                reporter_phone: a.phone,
                media_url: None,
            };
            let p = ctx
                .app
                .create_petition(&session, &new)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&p)?);
            } else {
                say!(
                    "已登记 {}（网格 {}，办理时限 {}）",
                    p.number,
                    p.grid_code.as_deref().unwrap_or("未定位"),
                    beijing(&p.deadline)
                );
            }
        }
        PetitionsCommand::List(a) => {
            let list = ctx
                .app
                .list_petitions(
                    &session,
                    &PetitionQuery {
                        statuses: a.statuses,
                        limit: a.limit,
                        ..Default::default()
                    },
                )
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&list.items)?);
            } else {
                list.items.iter().for_each(print);
                say!("共 {} 件（显示 {} 件）", list.total, list.items.len());
            }
        }
        PetitionsCommand::Import(a) => {
            let bytes = chengguan_app::files::read_import(&a.file).map_err(app_error)?;
            let name = a
                .file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let report = ctx
                .app
                .import_petitions(&session, &name, &bytes, a.dry_run)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for p in &report.problems {
                    say!("第 {} 行 {}：{}", p.row, p.column, p.problem);
                }
                if report.problem_count > report.problems.len() {
                    say!("……共 {} 个问题", report.problem_count);
                }
                match (&report.numbers, report.dry_run) {
                    (Some((first, last)), _) => {
                        say!("已导入 {} 件：{first} 至 {last}", report.imported)
                    }
                    (None, true) if report.problem_count == 0 => {
                        say!("检查通过：{} 行均可导入（未导入）", report.rows)
                    }
                    _ => say!(
                        "{} 行中有 {} 个问题，未导入任何数据",
                        report.rows,
                        report.problem_count
                    ),
                }
            }
            if report.problem_count > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        PetitionsCommand::Export(a) => {
            let query = PetitionQuery {
                statuses: a.statuses,
                categories: a.categories,
                overdue_only: a.overdue,
                ..Default::default()
            };
            let bytes = ctx
                .app
                .export_petitions(&session, &query, a.reveal_reason.as_deref())
                .await
                .map_err(app_error)?;
            chengguan_app::files::write_atomically(&a.out, &bytes).map_err(app_error)?;
            say!("已导出到 {}", a.out.display());
        }
        PetitionsCommand::Act(a) => {
            let current = ctx
                .app
                .find_petition(&session, &a.petition)
                .await
                .map_err(app_error)?;
            let name = format!("{:?}", a.step).to_lowercase();
            let step = match a.step {
                StepKind::Accept => Step::Accept {
                    category: a.category,
                },
                StepKind::Reject => Step::Reject {
                    reason: a.reason.ok_or_else(|| missing("--reason", &name))?,
                },
                StepKind::Assign => Step::Assign {
                    level: a.level.ok_or_else(|| missing("--level", &name))?,
                    assignee: a.assignee.ok_or_else(|| missing("--assignee", &name))?,
                },
                StepKind::Transfer => Step::Transfer {
                    assignee: a.assignee.ok_or_else(|| missing("--assignee", &name))?,
                },
                StepKind::Escalate => Step::Escalate,
                StepKind::Resolve => Step::Resolve,
                StepKind::Rate => Step::Rate {
                    stars: a.stars.ok_or_else(|| missing("--stars", &name))?,
                    comment: a.comment,
                },
                StepKind::Reopen => Step::Reopen,
                StepKind::Merge => Step::Merge {
                    into: a.into.ok_or_else(|| missing("--into", &name))?,
                },
            };
            let version = a.version.unwrap_or(current.version);
            let p = ctx
                .app
                .act_on_petition(&session, &current.id, version, &step, &a.note)
                .await
                .map_err(app_error)?;
            print(&p);
        }
    }
    Ok(ExitCode::SUCCESS)
}
