//! `chengguan report`: the key figures of a period and the briefing pack.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

/// 简报：关键指标、简报材料（PDF 与 xlsx）
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// 一个期间的关键指标（与大屏、简报材料同一口径）
    Figures(FiguresArgs),
    /// 生成简报材料：A4 PDF，以及旁边同名的 .xlsx（每个图表与指标背后的数据）
    Briefing(BriefingArgs),
}

#[derive(Debug, Args)]
pub struct FiguresArgs {
    /// 开始日期（YYYY-MM-DD，北京时间，含当天）
    #[arg(long)]
    from: String,
    /// 结束日期（含当天）
    #[arg(long)]
    to: String,
    /// 以 JSON 输出全部指标
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct BriefingArgs {
    /// 开始日期（YYYY-MM-DD）
    #[arg(long)]
    from: String,
    /// 结束日期（含当天）
    #[arg(long)]
    to: String,
    /// PDF 文件；数据表写在同名的 .xlsx
    #[arg(long)]
    out: PathBuf,
}

/// Runs one `report` subcommand.
pub async fn run(ctx: &Context, cmd: ReportCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        ReportCommand::Figures(a) => {
            let report = app
                .report_figures(&session, &a.from, &a.to)
                .await
                .map_err(app_error)?;
            if a.json {
                say!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                let f = &report.figures;
                say!(
                    "{} 至 {} 关键指标（数据截至 {}）",
                    f.from,
                    f.to,
                    f.as_of
                        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
                        .format("%Y-%m-%d %H:%M")
                );
                for k in &report.kpis {
                    say!("{:<8} {:>14}  {}", k.label, k.value, k.note);
                }
            }
        }
        ReportCommand::Briefing(a) => {
            if a.out.extension().and_then(|e| e.to_str()) != Some("pdf") {
                anyhow::bail!("--out 须为 .pdf 文件（数据表写在旁边同名的 .xlsx）");
            }
            let xlsx = a.out.with_extension("xlsx");
            let pack = app
                .briefing_pack(&session, &a.from, &a.to)
                .await
                .map_err(app_error)?;
            chengguan_app::files::write_atomically(&a.out, &pack.pdf).map_err(app_error)?;
            chengguan_app::files::write_atomically(&xlsx, &pack.xlsx).map_err(app_error)?;
            say!("已生成简报：{}", a.out.display());
            say!("数据表：{}", xlsx.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
