use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum PeopleCommand {
    /// 导出网格人员名册（含明文电话、身份证号；须有权限并填写理由，记入审计日志）
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 输出文件（.xlsx）
    #[arg(long)]
    out: PathBuf,
    /// 导出理由（记入审计日志）
    #[arg(long)]
    reason: String,
}

pub async fn run(ctx: &Context, cmd: PeopleCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    match cmd {
        PeopleCommand::Export(args) => {
            let bytes = ctx
                .app
                .export_people(&session, &args.reason)
                .await
                .map_err(app_error)?;
            chengguan_app::files::write_atomically(&args.out, &bytes).map_err(app_error)?;
            say!(
                "已导出网格人员名册（含个人信息，已记入审计日志）：{}",
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
