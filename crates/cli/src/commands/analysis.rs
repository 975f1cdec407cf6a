//! `chengguan heatmap`, `chengguan hotspots`, `chengguan alerts`: the analysis of the petitions.

use std::path::PathBuf;
use std::process::ExitCode;

use chengguan_app::analysis::{heat_json, heat_png, world_file, HeatRequest, HotspotLayout};
use chengguan_app::petitions::PetitionQuery;
use chengguan_app::AppError;
use clap::Args;

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Args)]
pub struct Period {
    /// 起始日期（北京时间，含），如 2026-01-01
    #[arg(long)]
    from: Option<String>,
    /// 截止日期（含）
    #[arg(long)]
    to: Option<String>,
    /// 只看此类别（可多次），如 sanitation
    #[arg(long = "category")]
    categories: Vec<String>,
}

impl Period {
    fn query(&self) -> PetitionQuery {
        PetitionQuery {
            received_from: self.from.clone(),
            received_to: self.to.clone(),
            categories: self.categories.clone(),
            ..Default::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct HeatmapArgs {
    #[command(flatten)]
    period: Period,
    /// 范围：西,南,东,北（WGS-84）；默认全镇
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    bbox: Option<Vec<f64>>,
    /// 像素尺寸，如 1024x1024
    #[arg(long, default_value = "512x512")]
    size: String,
    /// 核函数带宽（米，高斯标准差）
    #[arg(long, default_value_t = 150.0)]
    bandwidth: f64,
    /// 输出文件：.png（带透明度的热力图）或 .json（栅格数值及其地理参考）
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct HotspotsArgs {
    #[command(flatten)]
    period: Period,
    /// grid（按反映时所在网格）、grid-current（按现行网格边界重新归属）、hex:米（六边形格网）或 square:米（正方形格网）
    #[arg(long, default_value = "grid")]
    lattice: String,
    /// 距离带（米）；默认：网格取使每个网格至少有一个邻居的最小距离，格网取 1.5 倍格距
    #[arg(long)]
    band: Option<f64>,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// 所在周的任一天（北京时间）；默认本周
    #[arg(long)]
    week: Option<String>,
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

pub async fn heatmap(ctx: &Context, a: HeatmapArgs) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let size = a
        .size
        .split_once(['x', 'X', '×'])
        .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)))
        .ok_or_else(|| {
            app_error(AppError::Invalid {
                field: "--size",
                problem: format!("「{}」应如 1024x1024", a.size),
            })
        })?;
    let bbox = match a.bbox.as_deref() {
        None => None,
        Some(&[w, s, e, n]) => Some([w, s, e, n]),
        Some(other) => {
            return Err(app_error(AppError::Invalid {
                field: "--bbox",
                problem: format!("给了 {} 个数，应为 西,南,东,北 四个", other.len()),
            }))
        }
    };
    let req = HeatRequest {
        query: a.period.query(),
        bbox,
        size,
        bandwidth_m: a.bandwidth,
    };
    let (raster, points) = ctx.app.heatmap(&session, &req).await.map_err(app_error)?;
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let bytes = match ext.as_str() {
        "png" => heat_png(&raster).map_err(app_error)?,
        "json" => serde_json::to_vec(&heat_json(&raster, points))?,
        _ => {
            return Err(app_error(AppError::Invalid {
                field: "--out",
                problem: format!("{}：应以 .png 或 .json 结尾", a.out.display()),
            }))
        }
    };
    std::fs::write(&a.out, bytes)?;
    if ext == "png" {
        // The world file beside it, for GIS tools.
        std::fs::write(a.out.with_extension("pgw"), world_file(&raster))?;
        say!(
            "色标：透明（0）至最亮（{:.1} 件/平方公里），inferno 色带；地理参考见 {}",
            raster.peak() * 1e6,
            a.out.with_extension("pgw").display()
        );
    }
    let (cw, ch) = raster.frame.cell_metres();
    say!(
        "已生成 {}：{} 件诉求，{}×{} 像素（每像素约 {:.1}×{:.1} 米），带宽 {} 米",
        a.out.display(),
        points,
        raster.frame.width,
        raster.frame.height,
        cw,
        ch,
        a.bandwidth
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn hotspots(ctx: &Context, a: HotspotsArgs) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let layout: HotspotLayout = a.lattice.parse().map_err(app_error)?;
    let found = ctx
        .app
        .hotspots(&session, &a.period.query(), layout, a.band)
        .await
        .map_err(app_error)?;
    if a.json {
        say!("{}", serde_json::to_string_pretty(&found)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "Getis-Ord Gi*，距离带 {:.0} 米（{} 个单元）",
        found.band_m,
        found.features.len()
    );
    let mut rows: Vec<_> = found.features.iter().collect();
    rows.sort_by(|x, y| y.z.total_cmp(&x.z));
    for r in rows.iter().filter(|r| r.label != "不显著") {
        say!(
            "{}\t{}\t{:.0} 件\tz = {:.2}\tp = {:.4}",
            r.id,
            r.label,
            r.count,
            r.z,
            r.p
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn alerts(ctx: &Context, a: AlertsArgs) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let alerts = ctx
        .app
        .alerts(&session, a.week.as_deref())
        .await
        .map_err(app_error)?;
    if a.json {
        say!("{}", serde_json::to_string_pretty(&alerts)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{} 起一周，与前 8 周相比（泊松检验，p < 0.01）：",
        alerts.week_of
    );
    if alerts.spikes.is_empty() {
        say!("无异常增多的网格");
    }
    for s in &alerts.spikes {
        say!(
            "{}\t本周 {} 件\t常态每周 {:.1} 件\tp = {:.2e}",
            s.grid_code,
            s.observed,
            s.expected,
            s.p
        );
    }
    Ok(ExitCode::SUCCESS)
}
