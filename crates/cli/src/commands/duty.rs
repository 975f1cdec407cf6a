//! `chengguan calendar …` (the working calendar) and `chengguan duty …` (the alliances' rotation).

use std::path::PathBuf;
use std::process::ExitCode;

use chengguan_app::duty::export::DutyFormat;
use chengguan_app::duty::{RuleView, ScheduleFilter, TurnView};
use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// 放假安排：列出某年的放假日与调休上班日，或导入新一年的通知
    Holidays(HolidaysArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HolidaysArgs {
    #[command(subcommand)]
    action: Option<HolidaysAction>,
    /// 年份，如 2026
    year: Option<i32>,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum HolidaysAction {
    /// 导入国务院办公厅的放假通知（CSV：年份,节日,类型,开始,结束；或节假日 .ics），整年替换
    Import {
        /// 文件（.csv 或 .ics）
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DutyCommand {
    /// 各联盟、成员单位与轮值规则
    Alliances(JsonArgs),
    /// 设置联盟的轮值规则
    Rule(RuleArgs),
    /// 登记成员单位不能值班的日期
    Unavailable(UnavailableArgs),
    /// 生成轮值（只改写明天起、未经人工调整的轮次）
    Generate(GenerateArgs),
    /// 轮值表：每个轮次的联盟、值班单位、起止日期
    Schedule(ScheduleArgs),
    /// 今天各联盟的值班单位
    Today(JsonArgs),
    /// 调换同一联盟的两个轮次（须填理由，记入审计日志）
    Swap(SwapArgs),
    /// 把一个轮次改派给联盟的另一成员单位（须填理由，记入审计日志）
    Reassign(ReassignArgs),
    /// 导出轮值表：.ics（日历软件）或 .xlsx
    Export(ExportArgs),
    /// 记录一次联盟活动（组织联建、活动联办、资源联用、服务联做）
    Activity(ActivityArgs),
    /// 列出某段时间各轮次的活动
    Activities(ActivitiesArgs),
    /// 评星定级：各成员单位的轮次、履职、活动、时长、诉求与满意度，及得分和星级
    Review(ReviewArgs),
}

#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// 轮次编号（duty schedule 最后一列）
    #[arg(long)]
    turn: String,
    /// 类型：joint_building（组织联建）、joint_activity（活动联办）、shared_resources（资源联用）、joint_service（服务联做）
    #[arg(long)]
    kind: String,
    /// 活动内容
    #[arg(long)]
    title: String,
    /// 地点
    #[arg(long, default_value = "")]
    place: String,
    /// 日期（YYYY-MM-DD，在轮次之内）
    #[arg(long)]
    on: String,
    /// 参加人数
    #[arg(long)]
    participants: i64,
    /// 服务时长（小时，合计）
    #[arg(long)]
    hours: f64,
    /// 办理的诉求编号（可多次）
    #[arg(long = "petition")]
    petitions: Vec<String>,
    /// 照片（文件名或档案号，可多次）
    #[arg(long = "photo")]
    photos: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ActivitiesArgs {
    /// 开始日期（YYYY-MM-DD）
    #[arg(long)]
    from: String,
    /// 结束日期（含）
    #[arg(long)]
    to: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// 年份
    #[arg(long)]
    year: i32,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
    /// 另存为 .xlsx
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// 联盟（社区代码如 CG-01，或联盟名称）
    #[arg(long)]
    alliance: String,
    /// 周期：week（每周）或 month（每月）
    #[arg(long, default_value = "week")]
    period: String,
    /// 第一个轮次的开始日期（YYYY-MM-DD）
    #[arg(long)]
    starts_on: String,
    /// 节假日不值班（整段都是放假日的周期不排轮次）
    #[arg(long)]
    skip_holidays: bool,
    /// 轮值顺序：全部成员单位的名称，以逗号分隔（不写则保持现有顺序）
    #[arg(long, value_delimiter = ',')]
    order: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UnavailableArgs {
    /// 成员单位名称
    #[arg(long)]
    unit: String,
    /// 开始日期（YYYY-MM-DD）
    #[arg(long)]
    from: String,
    /// 结束日期（含）
    #[arg(long)]
    to: String,
    /// 原因
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// 联盟（社区代码如 CG-01）；不写则生成所有有规则的联盟
    #[arg(long)]
    alliance: Option<String>,
    /// 开始日期（YYYY-MM-DD；早于明天的部分不会改写）
    #[arg(long)]
    from: String,
    /// 结束日期（含）
    #[arg(long)]
    to: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// 联盟（社区代码如 CG-01）
    #[arg(long)]
    alliance: Option<String>,
    /// 成员单位名称
    #[arg(long)]
    unit: Option<String>,
    /// 开始日期（YYYY-MM-DD）
    #[arg(long)]
    from: String,
    /// 结束日期（含）
    #[arg(long)]
    to: String,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct SwapArgs {
    /// 第一个轮次：duty schedule 列出的「编号@版本」（只写编号则以当前版本为准）
    first: String,
    /// 第二个轮次：「编号@版本」
    second: String,
    /// 理由
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
pub struct ReassignArgs {
    /// 轮次：duty schedule 列出的「编号@版本」（只写编号则以当前版本为准）
    turn: String,
    /// 改派给的成员单位
    #[arg(long)]
    unit: String,
    /// 理由
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 格式：ics 或 xlsx
    #[arg(long)]
    format: String,
    /// 联盟（社区代码如 CG-01）
    #[arg(long, conflicts_with = "unit")]
    alliance: Option<String>,
    /// 成员单位名称
    #[arg(long)]
    unit: Option<String>,
    /// 开始日期（YYYY-MM-DD）
    #[arg(long)]
    from: String,
    /// 结束日期（含）
    #[arg(long)]
    to: String,
    /// 输出文件
    #[arg(long)]
    out: PathBuf,
}

fn print_turns(turns: &[TurnView]) {
    for t in turns {
        say!(
            "{} 至 {}  {:<6} {}{}  {}",
            t.starts_on,
            t.ends_on,
            t.alliance_code,
            if t.organisation.is_empty() {
                "（待定）"
            } else {
                &t.organisation
            },
            if t.manual {
                format!("  [调整：{}]", t.reason)
            } else {
                String::new()
            },
            t.id
        );
    }
    say!("共 {} 个轮次", turns.len());
}

/// `ID@VERSION` as `duty schedule` prints it (a change since then is refused), or a bare id, taken at the
/// version stored now.
async fn turn_ref(
    ctx: &Context,
    session: &chengguan_app::access::Session,
    text: &str,
) -> anyhow::Result<(String, i64)> {
    match text.split_once('@') {
        Some((id, v)) => {
            let v = v.trim().parse().map_err(|_| {
                anyhow::anyhow!("「{text}」的版本号无效：应为 编号@版本，如 duty schedule 所列")
            })?;
            Ok((id.trim().to_string(), v))
        }
        None => {
            let v = ctx
                .app
                .duty_turn_version(session, text)
                .await
                .map_err(app_error)?;
            Ok((text.trim().to_string(), v))
        }
    }
}

pub async fn calendar(ctx: &Context, cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        CalendarCommand::Holidays(HolidaysArgs {
            action: Some(HolidaysAction::Import { file }),
            ..
        }) => {
            let bytes = chengguan_app::files::read_import(&file).map_err(app_error)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let done = app
                .import_holidays(&session, &name, &bytes)
                .await
                .map_err(app_error)?;
            let years: Vec<String> = done.years.iter().map(i32::to_string).collect();
            say!(
                "已导入 {} 年的放假安排（{} 天）",
                years.join("、"),
                done.days
            );
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Holidays(a) => {
            let Some(year) = a.year else {
                anyhow::bail!("请写年份，如 chengguan calendar holidays 2026；或 chengguan calendar holidays import FILE");
            };
            let y = app.holidays(&session, year).await.map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&y)?);
            } else {
                say!(
                    "{} 年放假安排（{}）：放假 {} 天，调休上班 {} 天，全年工作日 {} 天",
                    y.year,
                    if y.source == "imported" {
                        "已导入"
                    } else {
                        "内置"
                    },
                    y.days_off,
                    y.make_up_workdays,
                    y.working_days
                );
                for d in &y.days {
                    say!("  {} {} {} {}", d.date, d.weekday, d.kind_label, d.festival);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn run(ctx: &Context, cmd: DutyCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        DutyCommand::Alliances(a) => {
            let list = app.alliances(&session).await.map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for al in &list {
                    let rule = al.rule.as_ref().map_or("未设置规则".to_string(), |r| {
                        format!(
                            "{}，自 {} 起{}",
                            if r.period == "month" {
                                "每月"
                            } else {
                                "每周"
                            },
                            r.starts_on,
                            if r.holidays_count {
                                ""
                            } else {
                                "，节假日不值班"
                            }
                        )
                    });
                    say!(
                        "{} {}（{} 个成员单位；{rule}）",
                        al.code,
                        al.name,
                        al.members.len()
                    );
                }
            }
        }
        DutyCommand::Rule(a) => {
            let rule = RuleView {
                period: a.period,
                starts_on: a.starts_on,
                holidays_count: !a.skip_holidays,
            };
            let r = app
                .set_duty_rule(&session, &a.alliance, &rule, &a.order)
                .await
                .map_err(app_error)?;
            say!("已设置轮值规则：{}，自 {} 起", r.period, r.starts_on);
        }
        DutyCommand::Unavailable(a) => {
            let held = app
                .add_duty_unavailable(&session, &a.unit, &a.from, &a.to, &a.reason)
                .await
                .map_err(app_error)?;
            say!("已登记：{} 在 {} 至 {} 不能值班", a.unit, a.from, a.to);
            if !held.is_empty() {
                say!("该单位在此期间已排有以下轮次，请调换或改派：");
                print_turns(&held);
            }
        }
        DutyCommand::Generate(a) => {
            let r = app
                .generate_duty(&session, a.alliance.as_deref(), &a.from, &a.to)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                say!(
                    "已生成 {} 至 {} 的 {} 个轮次（替换 {} 个，保留已开始或人工调整的 {} 个）",
                    r.from,
                    r.to,
                    r.turns,
                    r.replaced,
                    r.kept
                );
                for c in &r.conflicts {
                    say!("冲突 {} {}：{}", c.alliance_code, c.kind_label, c.detail);
                }
            }
            if !r.conflicts.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        DutyCommand::Schedule(a) => {
            let filter = ScheduleFilter {
                alliance: a.alliance,
                unit: a.unit,
                from: a.from,
                to: a.to,
            };
            let turns = app
                .duty_schedule(&session, &filter)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&turns)?);
            } else {
                print_turns(&turns);
            }
        }
        DutyCommand::Today(a) => {
            let turns = app.duty_today(&session).await.map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&turns)?);
            } else {
                print_turns(&turns);
            }
        }
        DutyCommand::Swap(a) => {
            let (first, v1) = turn_ref(ctx, &session, &a.first).await?;
            let (second, v2) = turn_ref(ctx, &session, &a.second).await?;
            let turns = app
                .swap_duty(&session, &first, v1, &second, v2, &a.reason)
                .await
                .map_err(app_error)?;
            say!("已调换：");
            print_turns(&turns);
        }
        DutyCommand::Reassign(a) => {
            let (turn, v) = turn_ref(ctx, &session, &a.turn).await?;
            let turns = app
                .reassign_duty(&session, &turn, v, &a.unit, &a.reason)
                .await
                .map_err(app_error)?;
            say!("已改派：");
            print_turns(&turns);
        }
        DutyCommand::Export(a) => {
            let format = DutyFormat::parse(&a.format).map_err(app_error)?;
            let filter = ScheduleFilter {
                alliance: a.alliance,
                unit: a.unit,
                from: a.from,
                to: a.to,
            };
            let bytes = app
                .export_duty(&session, &filter, format)
                .await
                .map_err(app_error)?;
            chengguan_app::files::write_atomically(&a.out, &bytes).map_err(app_error)?;
            say!("已导出轮值表：{}", a.out.display());
        }
        DutyCommand::Activity(a) => {
            let new = chengguan_app::duty::review::NewActivity {
                turn: a.turn,
                kind: a.kind,
                title: a.title,
                place: a.place,
                held_on: a.on,
                participants: a.participants,
                hours: a.hours,
                photos: a.photos,
                petitions: a.petitions,
            };
            let v = app.log_activity(&session, &new).await.map_err(app_error)?;
            say!(
                "已记录：{} {} {}（{}）",
                v.held_on,
                v.kind_label,
                v.title,
                v.organisation
            );
        }
        DutyCommand::Activities(a) => {
            let list = app
                .list_activities(&session, &a.from, &a.to)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for v in &list {
                    say!(
                        "{} {:<6} {} {} {}：{}（{} 人，{} 小时{}）",
                        v.held_on,
                        v.alliance_code,
                        v.organisation,
                        v.kind_label,
                        v.place,
                        v.title,
                        v.participants,
                        v.hours,
                        if v.petitions.is_empty() {
                            String::new()
                        } else {
                            format!("，诉求 {}", v.petitions.join("、"))
                        }
                    );
                }
                say!("共 {} 次活动", list.len());
            }
        }
        DutyCommand::Review(a) => {
            let (from, to) = (format!("{}-01-01", a.year), format!("{}-12-31", a.year));
            if let Some(out) = &a.out {
                let bytes = app
                    .export_review(&session, &from, &to)
                    .await
                    .map_err(app_error)?;
                chengguan_app::files::write_atomically(out, &bytes).map_err(app_error)?;
                say!("已导出评星定级：{}", out.display());
                return Ok(ExitCode::SUCCESS);
            }
            let review = app
                .duty_review(&session, &from, &to)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&review)?);
            } else {
                say!("{} 年评星定级（{} 至 {}）", a.year, review.from, review.to);
                say!("联盟   成员单位                         轮次 履职 活动 时长   诉求 满意 得分  星级");
                for r in &review.rows {
                    say!(
                        "{:<6} {:<30} {:>4} {:>4} {:>4} {:>6.1} {:>4} {:>4} {:>5.1} {}",
                        r.alliance_code,
                        r.organisation,
                        r.turns_ended,
                        r.fulfilled,
                        r.activities,
                        r.hours,
                        r.petitions,
                        r.satisfied_share
                            .map_or("—".to_string(), |s| format!("{:.0}%", s * 100.0)),
                        r.score,
                        if r.stars == 0 {
                            "未评".to_string()
                        } else {
                            "★".repeat(usize::from(r.stars))
                        }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
