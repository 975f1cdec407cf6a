use std::path::PathBuf;
use std::process::ExitCode;

use chengguan_app::audit::{AuditFilter, AuditQuery};
use chengguan_app::AppError;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 列出审计记录（新的在前）
    List(ListArgs),
    /// 校验签名链：发现被改动、删除或由无密钥者写入的记录（退出码 1 表示被篡改）
    Verify(VerifyArgs),
    /// 打印当前日志头（序号:签名），请抄录在系统之外（纸面或周报），日后用 verify --anchor 核对
    Anchor,
    /// 以本机密钥封存启用密钥前写下的日志（仅在确认这些记录未被改动后运行）
    Seal,
    /// 导出为 xlsx
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// 起始日期（北京时间，含），如 2026-11-01
    #[arg(long, value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// 截止日期（北京时间，含）
    #[arg(long, value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// 只看此用户
    #[arg(long)]
    actor: Option<String>,
    /// 只看以此开头的操作，如 person. 或 user.sign_in
    #[arg(long)]
    action: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// 最多条数
    #[arg(long, default_value_t = 100)]
    limit: i64,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// 此前抄录的锚点（序号:签名，来自 chengguan audit anchor）：证明锚点之前的记录此后未被改动
    #[arg(long, value_parser = parse_anchor)]
    anchor: Option<chengguan_app::Anchor>,
}

fn parse_anchor(s: &str) -> Result<chengguan_app::Anchor, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    filter: FilterArgs,
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: PathBuf,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    chengguan_core::time::parse_day(s).map_err(|e| format!("日期{e}"))
}

impl FilterArgs {
    /// The same filter the desktop sends: days are Beijing calendar days, both inclusive.
    fn to_filter(&self, limit: i64) -> anyhow::Result<AuditFilter> {
        AuditQuery {
            from: self.from.map(|d| d.to_string()),
            to: self.to.map(|d| d.to_string()),
            actor: self.actor.clone(),
            action: self.action.clone(),
        }
        .to_filter(limit)
        .map_err(app_error)
    }
}

pub async fn run(ctx: &Context, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    match cmd {
        AuditCommand::List(args) => {
            let rows = ctx
                .app
                .audit_list(&session, &args.filter.to_filter(args.limit)?)
                .await
                .map_err(app_error)?;
            if args.json {
                say!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in rows {
                    let reason = r.reason.map(|x| format!(" 理由：{x}")).unwrap_or_default();
                    say!(
                        "#{:<6} {} {:<12} {:<22} {}{reason}  {}",
                        r.seq,
                        r.at,
                        r.actor,
                        r.action,
                        r.target,
                        r.detail
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Seal => {
            match ctx.app.audit_seal(&session).await.map_err(app_error)? {
                Some(n) => say!("已封存启用密钥前的 {n} 条审计记录；此后的记录以密钥签名"),
                None => say!("审计日志已以密钥签名，无需封存"),
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Anchor => {
            let anchor = ctx.app.audit_anchor(&session).await.map_err(app_error)?;
            say!("{anchor}");
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify(args) => {
            let v = ctx
                .app
                .audit_verify(&session, args.anchor.as_ref())
                .await
                .map_err(app_error)?;
            if v.intact {
                say!("{}", v.message);
                Ok(ExitCode::SUCCESS)
            } else {
                Err(app_error(AppError::Invalid {
                    field: "审计日志",
                    problem: v.message,
                }))
            }
        }
        AuditCommand::Export(args) => {
            let bytes = ctx
                .app
                .audit_export(&session, &args.filter.to_filter(i64::MAX)?)
                .await
                .map_err(app_error)?;
            chengguan_app::files::write_atomically(&args.out, &bytes).map_err(app_error)?;
            say!("已导出审计日志：{}", args.out.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
