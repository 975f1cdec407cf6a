//! `chengguan categories`: the town's petition categories — list, add or change, retire, restore.

use std::process::ExitCode;

use chengguan_app::petitions::CategoryInput;
use clap::Subcommand;

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum CategoriesCommand {
    /// 列出诉求类别（含已停用的）
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 新增类别，或修改已有类别的名称、说明（管理员；编码不可改）
    Save {
        /// 类别编码（小写字母、数字、下划线），如 heating
        #[arg(long)]
        code: String,
        /// 名称，如 供暖
        #[arg(long)]
        name: String,
        /// 说明
        #[arg(long, default_value = "")]
        description: String,
    },
    /// 停用类别：不再用于新诉求，已有诉求保留（管理员）
    Retire {
        /// 类别编码
        code: String,
    },
    /// 重新启用已停用的类别（管理员）
    Restore {
        /// 类别编码
        code: String,
    },
}

pub async fn run(ctx: &Context, cmd: CategoriesCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    let app = &ctx.app;
    let (rows, json) = match cmd {
        CategoriesCommand::List { json } => (
            app.list_categories(&session).await.map_err(app_error)?,
            json,
        ),
        CategoriesCommand::Save {
            code,
            name,
            description,
        } => {
            // A change keeps the category's state; a new one starts in use.
            let current = app.list_categories(&session).await.map_err(app_error)?;
            let active = current
                .iter()
                .find(|c| c.code == code.trim())
                .is_none_or(|c| c.active);
            let input = CategoryInput {
                code,
                name,
                description,
                active,
            };
            (
                app.save_category(&session, &input)
                    .await
                    .map_err(app_error)?,
                false,
            )
        }
        CategoriesCommand::Retire { code } => (
            app.set_category_active(&session, &code, false)
                .await
                .map_err(app_error)?,
            false,
        ),
        CategoriesCommand::Restore { code } => (
            app.set_category_active(&session, &code, true)
                .await
                .map_err(app_error)?,
            false,
        ),
    };
    if json {
        say!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for c in &rows {
            let state = if c.active { "" } else { "（已停用）" };
            say!("{}\t{}{state}\t{}", c.code, c.name, c.description);
        }
    }
    Ok(ExitCode::SUCCESS)
}
