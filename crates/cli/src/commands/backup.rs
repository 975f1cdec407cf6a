//! `chengguan backup`: a consistent backup of the database, and its check.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

/// 备份：在桌面与受理服务照常工作时备份数据库；校验备份文件
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    /// 备份文件（写完整后才以此名出现）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
    /// 自动备份：按时间命名写入备份目录（默认本地库旁的 backups/），复制到其余目录，并按保留规则删除旧的自动备份
    #[arg(long, conflicts_with = "out")]
    auto: bool,
    /// 备份目录（可多次给出：第二个起为副本目录，如 U 盘或网络共享）
    #[arg(long = "dir", requires = "auto")]
    dirs: Vec<PathBuf>,
    /// 保留最近几天的每日备份
    #[arg(long, default_value_t = 7, requires = "auto")]
    keep_daily: u32,
    /// 保留最近几周的每周备份
    #[arg(long, default_value_t = 4, requires = "auto")]
    keep_weekly: u32,
    /// 保留最近几个月的每月备份
    #[arg(long, default_value_t = 12, requires = "auto")]
    keep_monthly: u32,
    #[command(subcommand)]
    command: Option<BackupCommand>,
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// 校验备份文件：结构、SHA-256、完整性检查、各表行数与清单、审计日志签名链；不通过时退出码为 1
    Verify {
        /// 备份文件
        file: PathBuf,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// Runs `backup`.
pub async fn run(ctx: &Context, args: BackupArgs) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match (args.command, args.out) {
        (Some(BackupCommand::Verify { file, json }), _) => {
            let v = app
                .verify_backup(&session, &file)
                .await
                .map_err(app_error)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for c in &v.checks {
                    say!("{} {}：{}", if c.ok { "✓" } else { "✗" }, c.name, c.detail);
                }
                say!(
                    "{}",
                    if v.ok {
                        "备份校验通过"
                    } else {
                        "备份校验未通过"
                    }
                );
            }
            Ok(if v.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        (None, Some(out)) => {
            let m = app.backup(&session, &out).await.map_err(app_error)?;
            if args.json {
                say!("{}", serde_json::to_string_pretty(&m)?);
            } else {
                say!("已备份到 {}", out.display());
                say!(
                    "{}，{} 库，结构版本 {}，诉求 {} 件，审计日志至第 {} 条，SHA-256 {}",
                    m.town,
                    m.kind,
                    m.schema_version,
                    m.counts.get("petitions").copied().unwrap_or(0),
                    m.audit_head.0,
                    m.payload_sha256
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        (None, None) if args.auto => {
            let mut dirs = args.dirs;
            if dirs.is_empty() {
                match chengguan_app::backup::default_folder(app.url()) {
                    Some(d) => dirs.push(d),
                    None => anyhow::bail!("PostgreSQL 数据库的自动备份须用 --dir 指定备份目录"),
                }
            }
            let retention = chengguan_app::backup::Retention {
                daily: args.keep_daily,
                weekly: args.keep_weekly,
                monthly: args.keep_monthly,
            };
            let r = app
                .backup_rotated(&session, &dirs, retention)
                .await
                .map_err(app_error)?;
            if args.json {
                say!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                say!("已备份到 {}", r.file.display());
                for c in &r.copies {
                    say!("副本：{}", c.display());
                }
                say!("按保留规则删除旧备份 {} 个", r.removed.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        (None, None) => anyhow::bail!(
            "请用 --out 指定备份文件、--auto 自动备份，或 backup verify 文件 校验备份"
        ),
    }
}
