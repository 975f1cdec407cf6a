use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chengguan_app::access::Session;
use chengguan_app::grids::{GridImportOptions, GridImportReport, TilingCheck};
use chengguan_app::{App, AppError};
use chengguan_core::geo::Crs;
use chengguan_core::town::boundaries::BoundaryProperties;
use clap::{Args, Subcommand};

use crate::session::Context;

use crate::output::{area, MAX_LISTED};
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum GridsCommand {
    /// 从 GeoJSON 导入网格边界（整体校验通过才写入）
    Import(ImportArgs),
    /// 导出网格边界为 GeoJSON（RFC 7946）
    Export(ExportArgs),
    /// 列出网格
    List(ListArgs),
    /// 检查已存网格：有效性、重叠、缝隙、连通
    Check(ListArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// GeoJSON 文件（FeatureCollection）
    file: PathBuf,
    /// 文件坐标系：wgs84（含 CGCS2000/天地图）、gcj02（高德/腾讯/微信）、bd09（百度）
    #[arg(long, default_value = "wgs84", value_parser = parse_crs)]
    crs: Crs,
    /// 网格名称所在属性
    #[arg(long, default_value = "name")]
    name_property: String,
    /// 网格编码所在属性
    #[arg(long, default_value = "code")]
    code_property: String,
    /// 所属社区所在属性
    #[arg(long, default_value = "community")]
    community_property: String,
    /// 只检查，不写入
    #[arg(long)]
    dry_run: bool,
    /// 以 JSON 输出报告
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 输出文件（默认输出到标准输出）
    #[arg(long)]
    out: Option<PathBuf>,
    /// 输出坐标系（RFC 7946 只允许 wgs84）
    #[arg(long, default_value = "wgs84", value_parser = parse_crs)]
    crs: Crs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

fn parse_crs(s: &str) -> Result<Crs, String> {
    Crs::from_code(s).ok_or_else(|| format!("未知坐标系 \"{s}\"，可选 wgs84、gcj02、bd09"))
}

pub async fn run(ctx: &Context, cmd: GridsCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    match cmd {
        GridsCommand::Import(args) => import(app, &session, args).await,
        GridsCommand::Export(args) => export(app, &session, args).await,
        GridsCommand::List(args) => list(app, &session, args).await,
        GridsCommand::Check(args) => check(app, &session, args).await,
    }
}

async fn import(app: &App, session: &Session, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let bytes = chengguan_app::files::read_import(&args.file).map_err(app_error)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        app_error(AppError::Invalid {
            field: "文件",
            problem: format!("{} 不是 UTF-8 编码的 GeoJSON", args.file.display()),
        })
    })?;
    let options = GridImportOptions {
        crs: args.crs,
        properties: BoundaryProperties {
            name: args.name_property,
            code: args.code_property,
            community: Some(args.community_property),
        },
        dry_run: args.dry_run,
    };
    let report = app
        .import_grids(session, &text, &options)
        .await
        .map_err(app_error)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_import(&args.file, args.crs, &report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_import(file: &Path, crs: Crs, report: &GridImportReport) {
    say!(
        "读取 {}（坐标系 {}）：{} 个网格",
        file.display(),
        crs.code(),
        report.grids.len()
    );
    if !report.warnings.is_empty() {
        say!("警告 {} 条：", report.warnings.len());
        for w in report.warnings.iter().take(MAX_LISTED) {
            say!("  · {w}");
        }
        if report.warnings.len() > MAX_LISTED {
            say!("  … 另有 {} 条", report.warnings.len() - MAX_LISTED);
        }
    }
    print_tiling(&report.tiling);
    let count = |a: &str| report.grids.iter().filter(|g| g.action == a).count();
    let plan = format!(
        "新建 {} 个、更新 {} 个、未变 {} 个",
        count("create"),
        count("update"),
        count("unchanged")
    );
    match report.written {
        Some(w) => say!("已写入：网格{plan}；新建社区 {} 个", w.communities_created),
        None => say!("试运行，未写入（若导入：网格{plan}）"),
    }
}

fn print_tiling(check: &TilingCheck) {
    let r = &check.report;
    let code = |i: usize| check.codes.get(i).map(String::as_str).unwrap_or("?");
    say!(
        "拓扑检查：总面积 {}，连成 {} 片",
        area(r.union_area_m2),
        r.pieces
    );
    if !check.invalid.is_empty() {
        say!("  无效多边形：{}", check.invalid.join("、"));
    }
    if r.overlaps.is_empty() {
        say!("  重叠：无");
    } else {
        say!("  重叠 {} 处：", r.overlaps.len());
        for o in r.overlaps.iter().take(MAX_LISTED) {
            say!(
                "    · {} 与 {} 重叠 {}",
                code(o.a),
                code(o.b),
                area(o.area_m2)
            );
        }
    }
    if r.gaps.is_empty() {
        say!("  缝隙：无");
    } else {
        say!("  缝隙 {} 处：", r.gaps.len());
        for g in r.gaps.iter().take(MAX_LISTED) {
            let around: Vec<&str> = g.neighbours.iter().map(|&i| code(i)).collect();
            say!(
                "    · {}，位于 ({:.6}, {:.6})，周边：{}",
                area(g.area_m2),
                g.centroid.x,
                g.centroid.y,
                around.join("、")
            );
        }
    }
    let split: Vec<String> = check
        .communities
        .iter()
        .filter(|c| c.pieces != 1)
        .map(|c| format!("{}（{} 片）", c.community, c.pieces))
        .collect();
    if split.is_empty() {
        say!("  社区连通：{} 个社区均连成一片", check.communities.len());
    } else {
        say!("  社区不连通：{}", split.join("、"));
    }
}

async fn export(app: &App, session: &Session, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let export = app
        .export_grids(session, args.crs)
        .await
        .map_err(app_error)?;
    let text = serde_json::to_string_pretty(&export.geojson)?;
    match &args.out {
        Some(path) => {
            chengguan_app::files::write_atomically(path, text.as_bytes()).map_err(app_error)?;
            let note = if export.synthetic {
                "（演示数据）"
            } else {
                ""
            };
            eprintln!("已导出 {} 个网格到 {}{note}", export.grids, path.display());
        }
        None => say!("{text}"),
    }
    if args.crs != Crs::Wgs84 {
        eprintln!(
            "注意：{} 坐标不属于 RFC 7946，仅供相应地图工具使用",
            args.crs.code()
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(app: &App, session: &Session, args: ListArgs) -> anyhow::Result<ExitCode> {
    let grids = app.list_grids(session).await.map_err(app_error)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&grids)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{:<10} {:<20} {:<12} {:>10}  党支部",
        "编码",
        "名称",
        "社区",
        "面积"
    );
    for g in &grids {
        say!(
            "{:<10} {:<20} {:<12} {:>10}  {}",
            g.code,
            g.name,
            g.community,
            area(g.area_m2),
            g.party_branch.as_deref().unwrap_or("—")
        );
    }
    say!("共 {} 个网格", grids.len());
    Ok(ExitCode::SUCCESS)
}

async fn check(app: &App, session: &Session, args: ListArgs) -> anyhow::Result<ExitCode> {
    let check = app.check_grids(session).await.map_err(app_error)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&check)?);
    } else {
        print_tiling(&check);
    }
    if check.is_clean() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("错误 [grids.check_failed]：网格未能完整、无重叠地覆盖城镇，详见上文");
        Ok(ExitCode::from(1))
    }
}
