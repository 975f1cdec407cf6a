//! `chengguan sla`: the handling time limits per category and level.

use std::process::ExitCode;

use clap::Subcommand;

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// 列出各类别、各层级的办理时限（工作日）
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 设置某类别某层级的办理时限（管理员）；对此后登记或交办的诉求生效
    Set {
        /// 类别代码，如 safety_hazard
        #[arg(long)]
        category: String,
        /// 层级：grid、community、town、county
        #[arg(long)]
        level: String,
        /// 工作日（1–60）
        #[arg(long)]
        days: u32,
    },
    /// 恢复默认时限（管理员）
    Reset {
        /// 类别代码
        #[arg(long)]
        category: String,
        /// 层级
        #[arg(long)]
        level: String,
    },
}

pub async fn run(ctx: &Context, cmd: SlaCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let (rows, json) = match cmd {
        SlaCommand::List { json } => (ctx.app.list_sla(&session).await.map_err(app_error)?, json),
        SlaCommand::Set {
            category,
            level,
            days,
        } => (
            ctx.app
                .set_sla(&session, &category, &level, Some(days))
                .await
                .map_err(app_error)?,
            false,
        ),
        SlaCommand::Reset { category, level } => (
            ctx.app
                .set_sla(&session, &category, &level, None)
                .await
                .map_err(app_error)?,
            false,
        ),
    };
    if json {
        say!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for r in &rows {
            let note = if r.working_days == r.default_days {
                String::new()
            } else {
                format!("（默认 {}）", r.default_days)
            };
            say!(
                "{}\t{}\t{} 个工作日{note}",
                r.category_label,
                r.level_label,
                r.working_days
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
