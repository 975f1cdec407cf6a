//! `chengguan`: the command line of the 城关镇智慧治理指挥中心 — create the town's database (SQLite or
//! PostgreSQL), load the demo town, import and export grid boundaries, handle petitions, serve the Open311
//! intake, and inspect the database.
//!
//! Diagnostics go to standard error, at the level set by `RUST_LOG` (off by default).
//! Exit codes: 0 success, 1 an error (printed as `错误 [code]：message`), 2 a usage error.
#![allow(clippy::print_stderr)]

mod commands;
mod output;
mod session;

use std::process::ExitCode;

use chengguan_app::config::{Config, ConfigSources};
use chengguan_app::{App, AppError};
use clap::{Parser, Subcommand};

/// 城关镇智慧治理指挥中心 命令行工具
#[derive(Debug, Parser)]
#[command(name = "chengguan", version, about, long_about = None)]
struct Cli {
    /// 数据库地址：sqlite://路径 或 postgres://用户:密码@主机/库名（默认：环境变量 CHENGGUAN_DB，其次配置文件，
    /// 其次用户数据目录下的 chengguan.db）
    #[arg(long, global = true, value_name = "URL")]
    db: Option<String>,

    /// 以此用户身份执行（密码取自环境变量 CHENGGUAN_PASSWORD，或在终端提示输入）
    #[arg(long, global = true, env = "CHENGGUAN_USER", value_name = "用户名")]
    user: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 初始化数据库（建表并登记城镇）
    Init(commands::town::InitArgs),
    /// 载入合成的演示城镇（8 个社区、59 个网格……）
    Demo(commands::town::DemoArgs),
    /// 显示数据库与城镇概况
    Status(commands::town::StatusArgs),
    /// 网格边界：导入、导出、列表、检查
    #[command(subcommand)]
    Grids(commands::grids::GridsCommand),
    /// 用户账号：新增、列表、停用、启用、重置密码
    #[command(subcommand)]
    User(commands::users::UserCommand),
    /// 审计日志：列表、校验、导出
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// 诉求：登记、列表、办理
    #[command(subcommand)]
    Petitions(commands::petitions::PetitionsCommand),
    /// 诉求热力图（PNG 或 JSON 栅格）
    Heatmap(commands::analysis::HeatmapArgs),
    /// 热点分析（Getis-Ord Gi*，按网格或规则格网）
    Hotspots(commands::analysis::HotspotsArgs),
    /// 本周诉求异常增多的网格（与前 8 周相比）
    Alerts(commands::analysis::AlertsArgs),
    /// 办理时限：列表、设置、恢复默认
    #[command(subcommand)]
    Sla(commands::sla::SlaCommand),
    /// 诉求类别：列表、新增或修改、停用、重新启用
    #[command(subcommand)]
    Categories(commands::categories::CategoriesCommand),
    /// 启动城镇服务器：Open311 受理服务（小程序、热线系统经此提交诉求）与工作站接口（HTTPS）
    Serve(commands::intake::ServeArgs),
    /// 城镇服务器的设置：证书
    #[command(subcommand)]
    Server(commands::intake::ServerCommand),
    /// 受理服务的接口密钥：新建、列表、吊销
    #[command(subcommand)]
    Apikey(commands::intake::ApiKeyCommand),
    /// 人员信息：导出名册
    #[command(subcommand)]
    People(commands::people::PeopleCommand),
    /// 人员名册：包联覆盖、查找、导入、导出、模板
    #[command(subcommand)]
    Roster(commands::roster::RosterCommand),
    /// 居民（人口库）：导入、导出、模板
    #[command(subcommand)]
    Residents(commands::roster::ResidentsCommand),
    /// 工作日历：放假安排与调休
    #[command(subcommand)]
    Calendar(commands::duty::CalendarCommand),
    /// 联盟轮值：规则、生成、轮值表、调换、导出、活动、评星定级
    #[command(subcommand)]
    Duty(commands::duty::DutyCommand),
    /// 指挥中心值班（领导带班、干部值班）：值班表、名单、生成、调整、交接班记录
    #[command(subcommand)]
    Shifts(commands::shifts::ShiftsCommand),
    /// 备份：backup --out 文件（照常工作时备份）；backup verify 文件（校验）
    Backup(commands::backup::BackupArgs),
    /// 简报：关键指标（report figures）、简报材料 PDF 与 xlsx（report briefing）
    #[command(subcommand)]
    Report(commands::report::ReportCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let _log = init_logging(matches!(cli.command, Command::Serve(_)));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误 [cli.runtime]：无法启动异步运行时：{e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            output::print_error(&e);
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Setting up the server's certificates needs no database.
    let command = match cli.command {
        Command::Server(cmd) => return commands::intake::server(cmd).await,
        other => other,
    };
    let config = Config::resolve(&ConfigSources::from_env(cli.db))?;
    let app = App::open_configured(&config).await?;
    let ctx = session::Context::new(app, cli.user);
    let done = match command {
        Command::Init(args) => commands::town::init(&ctx, args).await,
        Command::Demo(args) => commands::town::demo(&ctx, args).await,
        Command::Status(args) => commands::town::status(&ctx, args).await,
        Command::Grids(cmd) => commands::grids::run(&ctx, cmd).await,
        Command::User(cmd) => commands::users::run(&ctx, cmd).await,
        Command::Audit(cmd) => commands::audit::run(&ctx, cmd).await,
        Command::People(cmd) => commands::people::run(&ctx, cmd).await,
        Command::Roster(cmd) => commands::roster::run(&ctx, cmd).await,
        Command::Residents(cmd) => commands::roster::run_residents(&ctx, cmd).await,
        Command::Calendar(cmd) => commands::duty::calendar(&ctx, cmd).await,
        Command::Duty(cmd) => commands::duty::run(&ctx, cmd).await,
        Command::Shifts(cmd) => commands::shifts::run(&ctx, cmd).await,
        Command::Report(cmd) => commands::report::run(&ctx, cmd).await,
        Command::Backup(args) => commands::backup::run(&ctx, args).await,
        Command::Petitions(cmd) => commands::petitions::run(&ctx, cmd).await,
        Command::Heatmap(a) => commands::analysis::heatmap(&ctx, a).await,
        Command::Hotspots(a) => commands::analysis::hotspots(&ctx, a).await,
        Command::Alerts(a) => commands::analysis::alerts(&ctx, a).await,
        Command::Sla(cmd) => commands::sla::run(&ctx, cmd).await,
        Command::Categories(cmd) => commands::categories::run(&ctx, cmd).await,
        Command::Apikey(cmd) => commands::intake::apikey(&ctx, cmd).await,
        Command::Serve(args) => return commands::intake::serve(ctx, args).await,
        Command::Server(_) => unreachable!("handled before the database is opened"),
    };
    ctx.sign_out().await;
    done
}

/// Wraps an app error for anyhow, keeping it downcastable for its code.
pub(crate) fn app_error(e: AppError) -> anyhow::Error {
    anyhow::Error::new(e)
}

/// The server logs each request and every 5xx cause by default, to stderr and to a daily log file in the data
/// folder (`logs/server.*.log`, 14 days kept); the one-shot commands say what they do on stdout and log nothing
/// unless `RUST_LOG` asks. The guard writes out what is buffered when the program ends.
fn init_logging(serving: bool) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::prelude::*;
    let default = if serving {
        "warn,chengguan_server=info"
    } else {
        "off"
    };
    let filter =
        || tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let file = if serving {
        chengguan_app::config::log_file("server")
    } else {
        None
    };
    let (file, guard) = match file.map(tracing_appender::non_blocking) {
        Some((writer, guard)) => (Some(writer), Some(guard)),
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                // Colour codes only on a terminal: a journal gets plain text.
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_filter(filter()),
        )
        .with(file.map(|w| {
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(w)
                .with_filter(filter())
        }))
        .init();
    guard
}
