use std::process::ExitCode;

use crate::session::Context;
use chengguan_app::town::TownIdentity;
use chengguan_core::demo;
use chengguan_core::people::Role;
use chengguan_core::town::{OrganisationKind, ServicePointKind};
use clap::Args;

use crate::{app_error, say};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// 城镇名称
    #[arg(long, default_value = demo::TOWN_NAME)]
    town_name: String,
    /// 行政区划代码
    #[arg(long, default_value = demo::TOWN_CODE)]
    town_code: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 覆盖已有数据（删除现有城镇数据后载入演示数据）
    #[arg(long)]
    force: bool,
    /// 仅当数据库中没有城镇数据时载入（已有数据则不作改动，也不报错）
    #[arg(long, conflicts_with = "force")]
    if_empty: bool,
    /// 随机种子（相同种子生成相同的演示城镇）
    #[arg(long, default_value_t = demo::DEFAULT_SEED)]
    seed: u64,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

pub async fn init(ctx: &Context, args: InitArgs) -> anyhow::Result<ExitCode> {
    let app = &ctx.app;
    let created = app
        .init(&TownIdentity {
            code: args.town_code,
            name: args.town_name,
        })
        .await
        .map_err(app_error)?;
    if created {
        say!("已初始化数据库 {}", app.url());
    } else {
        say!("数据库 {} 已初始化，未作改动", app.url());
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn demo(ctx: &Context, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let app = &ctx.app;
    if args.if_empty {
        if app.load_demo_if_empty(args.seed).await.map_err(app_error)? {
            say!(
                "已载入演示城镇（合成数据，种子 {}）：{}",
                args.seed,
                app.url()
            );
        } else {
            say!("数据库 {} 已有城镇数据，未载入演示数据", app.url());
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Replacing data needs a user allowed to import; loading into a new database needs no one.
    let session = if args.force {
        ctx.optional_session().await?
    } else {
        None
    };
    let loaded = app
        .load_demo(session.as_ref(), args.seed, args.force)
        .await
        .map_err(app_error)?;
    let verb = if loaded.replaced {
        "已替换为"
    } else {
        "已载入"
    };
    say!(
        "{verb}演示城镇（合成数据，种子 {}）：{}",
        loaded.seed,
        app.url()
    );
    if loaded.petitions > 0 {
        say!("已载入今年以来的演示诉求 {} 件", loaded.petitions);
    }
    let residents = app
        .load_demo_population(loaded.seed)
        .await
        .map_err(app_error)?;
    if residents > 0 {
        say!("已载入演示人口库：居民 {residents} 人");
    }
    let turns = app
        .load_demo_rotation(loaded.seed)
        .await
        .map_err(app_error)?;
    if turns > 0 {
        say!("已生成演示联盟轮值：{turns} 个轮次（每周一轮）");
    }
    if loaded.accounts_created {
        say!("已创建演示账号 admin、duty、leader、secretary、grid0101（密码见 docs/demo-accounts.md）");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn status(ctx: &Context, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let status = ctx
        .app
        .status(&ctx.session().await?)
        .await
        .map_err(app_error)?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&status)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mode = if status.database.kind == "sqlite" {
        "本地 SQLite"
    } else {
        "局域网 PostgreSQL"
    };
    match &status.town {
        Some(town) => {
            let label = if status.synthetic {
                "  【演示数据：合成，非真实】"
            } else {
                ""
            };
            say!("{}（{}）{label}", town.name, town.code);
        }
        None => say!("数据库尚未初始化（chengguan init）"),
    }
    say!(
        "数据库：{mode} {}（结构版本 {}）",
        status.database.url,
        status.database.schema_version
    );
    let c = &status.census;
    say!(
        "结构：社区 {} · 网格 {} · 网格党支部 {} · 小区 {} · 楼栋 {} · 单元 {} · 住户 {}",
        c.communities,
        c.grids,
        c.party_branches,
        c.compounds,
        c.buildings,
        c.units,
        c.households
    );
    let orgs: Vec<String> = OrganisationKind::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                k.label(),
                c.organisations.get(k.code()).unwrap_or(&0)
            )
        })
        .collect();
    say!("组织：“1+X”党建联盟 {} · {}", c.alliances, orgs.join(" · "));
    let people: Vec<String> = Role::ALL
        .iter()
        .filter_map(|r| {
            c.people_by_role
                .get(r.code())
                .filter(|n| **n > 0)
                .map(|n| format!("{} {n}", r.label()))
        })
        .collect();
    say!(
        "人员：{}",
        if people.is_empty() {
            "（无）".to_string()
        } else {
            people.join(" · ")
        }
    );
    let points: Vec<String> = ServicePointKind::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                k.label(),
                c.service_points.get(k.code()).unwrap_or(&0)
            )
        })
        .collect();
    say!("阵地：{}", points.join(" · "));
    Ok(ExitCode::SUCCESS)
}
