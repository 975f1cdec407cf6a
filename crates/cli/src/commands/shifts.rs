//! `chengguan shifts …`: the command center's own shifts (领导带班、干部值班) and the handover log.

use std::process::ExitCode;

use chengguan_app::duty::shifts::ShiftView;
use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum ShiftsCommand {
    /// 值班表：每个班次的带班领导与值班干部
    List(SpanArgs),
    /// 当前班次及未结的交接事项
    Now(JsonArgs),
    /// 设置值班名单（人员姓名或编号，按顺序）
    Pool(PoolArgs),
    /// 登记某人不能值班的日期
    Exclude(ExcludeArgs),
    /// 生成值班表（只改写明天起、未经人工调整的班次）
    Generate(SpanArgs),
    /// 人工调整一个班次（须填理由，记入审计日志）
    Edit(EditArgs),
    /// 记入交接班事项（当前班次；未办结的事项逐班移交）
    Handover(HandoverArgs),
    /// 办结一项交接事项
    Close(CloseArgs),
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct SpanArgs {
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
pub struct PoolArgs {
    /// 带班领导（可多次）
    #[arg(long = "leader", required = true)]
    leaders: Vec<String>,
    /// 值班干部（可多次）
    #[arg(long = "officer", required = true)]
    officers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExcludeArgs {
    /// 人员姓名或编号
    #[arg(long)]
    person: String,
    /// 开始日期
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
pub struct EditArgs {
    /// 班次：shifts list 列出的「编号@版本」
    shift: String,
    /// 带班领导
    #[arg(long, default_value = "")]
    leader: String,
    /// 值班干部（可多次）
    #[arg(long = "officer")]
    officers: Vec<String>,
    /// 理由
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// 交接事项
    item: String,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// 事项编号
    id: String,
    /// 办结说明（至少 2 个字）
    #[arg(long)]
    note: String,
}

fn print_shifts(shifts: &[ShiftView]) {
    for s in shifts {
        say!(
            "{} {} {}–{}  带班 {}  值班 {}{}  {}@{}",
            s.day,
            s.kind_label,
            &s.starts_at[11..],
            &s.ends_at[11..],
            if s.leader.is_empty() {
                "（空缺）"
            } else {
                &s.leader
            },
            s.officers.join("、"),
            if s.manual {
                format!("  [调整：{}]", s.reason)
            } else {
                String::new()
            },
            s.id,
            s.version
        );
    }
    say!("共 {} 个班次", shifts.len());
}

pub async fn run(ctx: &Context, cmd: ShiftsCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        ShiftsCommand::List(a) => {
            let list = app
                .shift_schedule(&session, &a.from, &a.to)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                print_shifts(&list);
            }
        }
        ShiftsCommand::Now(a) => {
            let now = app.shift_now(&session).await.map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&now)?);
            } else {
                match &now.shift {
                    Some(s) => print_shifts(std::slice::from_ref(s)),
                    None => say!("当前{}没有排班", now.kind_label),
                }
                for h in &now.handovers {
                    say!(
                        "{} {} {}（{}，{}）{}",
                        if h.open { "未结" } else { "已结" },
                        h.written_at,
                        h.item,
                        h.written_by,
                        h.shift,
                        h.id
                    );
                }
            }
        }
        ShiftsCommand::Pool(a) => {
            app.set_shift_pool(&session, &a.leaders, &a.officers)
                .await
                .map_err(app_error)?;
            say!(
                "已设置值班名单：带班领导 {} 人，值班干部 {} 人",
                a.leaders.len(),
                a.officers.len()
            );
        }
        ShiftsCommand::Exclude(a) => {
            let held = app
                .add_shift_exclusion(&session, &a.person, &a.from, &a.to, &a.reason)
                .await
                .map_err(app_error)?;
            say!("已登记：{} 在 {} 至 {} 不值班", a.person, a.from, a.to);
            if !held.is_empty() {
                say!("此人在此期间已排有以下班次，请调整：");
                print_shifts(&held);
            }
        }
        ShiftsCommand::Generate(a) => {
            let r = app
                .generate_shifts(&session, &a.from, &a.to)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                say!(
                    "已生成 {} 至 {} 的 {} 个班次（替换 {} 个）",
                    r.from,
                    r.to,
                    r.shifts,
                    r.replaced
                );
                for p in &r.problems {
                    say!("缺员：{p}");
                }
            }
            if !r.problems.is_empty() {
                return Ok(ExitCode::from(3));
            }
        }
        ShiftsCommand::Edit(a) => {
            let (id, v) = a
                .shift
                .split_once('@')
                .ok_or_else(|| anyhow::anyhow!("班次应写作 编号@版本（见 shifts list）"))?;
            let v: i64 = v
                .parse()
                .map_err(|_| anyhow::anyhow!("「{}」的版本号无效", a.shift))?;
            let s = app
                .edit_shift(&session, id, v, &a.leader, &a.officers, &a.reason)
                .await
                .map_err(app_error)?;
            say!("已调整：");
            print_shifts(std::slice::from_ref(&s));
        }
        ShiftsCommand::Handover(a) => {
            let h = app
                .add_handover(&session, &a.item)
                .await
                .map_err(app_error)?;
            say!("已记入 {} 的交接班记录：{}（{}）", h.shift, h.item, h.id);
        }
        ShiftsCommand::Close(a) => {
            app.close_handover(&session, &a.id, &a.note)
                .await
                .map_err(app_error)?;
            say!("已办结");
        }
    }
    Ok(ExitCode::SUCCESS)
}
