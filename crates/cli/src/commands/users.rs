use std::process::ExitCode;

use chengguan_app::users::NewUser;
use clap::{Args, Subcommand};

use crate::session::{secret, Context};
use crate::{app_error, say};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 新增用户（新数据库上第一个用户为初始管理员，无需 --user）
    Add(AddArgs),
    /// 列出用户
    List(ListArgs),
    /// 停用用户
    Disable(NameArgs),
    /// 启用用户
    Enable(NameArgs),
    /// 重置密码（新密码取自 CHENGGUAN_NEW_PASSWORD 或提示输入；用户下次登录须修改）
    ResetPassword(NameArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// 用户名（3–32 位小写字母、数字、点、下划线、连字符）
    username: String,
    /// 姓名
    #[arg(long)]
    name: String,
    /// 角色，可多次：admin 管理员、duty_officer 值班员、leader 领导、party_secretary 书记、grid_worker 网格员
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// 网格员负责的网格编码，如 CG-01-01
    #[arg(long)]
    grid: Option<String>,
}

#[derive(Debug, Args)]
pub struct NameArgs {
    /// 用户名
    username: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// 以 JSON 输出
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add(args) => add(ctx, args).await,
        UserCommand::List(args) => {
            let users = ctx
                .app
                .list_users(&ctx.session().await?)
                .await
                .map_err(app_error)?;
            if args.json {
                say!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in users {
                    let state = match (u.disabled, &u.locked_until) {
                        (true, _) => "已停用",
                        (false, Some(_)) => "已锁定",
                        _ => "正常",
                    };
                    let grid = u
                        .grid_code
                        .map(|g| format!("（网格 {g}）"))
                        .unwrap_or_default();
                    say!(
                        "{:<16} {:<10} {}{grid}  {state}",
                        u.username,
                        u.display_name,
                        u.role_labels
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::Disable(args) => set_disabled(ctx, &args.username, true).await,
        UserCommand::Enable(args) => set_disabled(ctx, &args.username, false).await,
        UserCommand::ResetPassword(args) => {
            let session = ctx.session().await?;
            let password = secret(
                "CHENGGUAN_NEW_PASSWORD",
                &format!("{} 的新密码：", args.username),
            )?;
            ctx.app
                .reset_password(&session, &args.username, &password)
                .await
                .map_err(app_error)?;
            say!(
                "已重置 {} 的密码，并解除锁定；该用户下次登录后须修改密码",
                args.username
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn add(ctx: &Context, args: AddArgs) -> anyhow::Result<ExitCode> {
    let password = secret(
        "CHENGGUAN_NEW_PASSWORD",
        &format!("{} 的初始密码：", args.username),
    )?;
    if ctx.app.needs_administrator().await.map_err(app_error)? {
        if args.roles.iter().any(|r| r != "admin") || args.grid.is_some() {
            return Err(app_error(chengguan_app::AppError::Invalid {
                field: "--role",
                problem: "数据库中尚无用户：第一个用户须为管理员（--role admin）".into(),
            }));
        }
        ctx.app
            .setup_administrator(&args.username, &args.name, &password)
            .await
            .map_err(app_error)?;
        say!("已创建初始管理员 {}（{}）", args.username, args.name);
        return Ok(ExitCode::SUCCESS);
    }
    let session = ctx.session().await?;
    let new = NewUser {
        username: args.username,
        display_name: args.name,
        password,
        roles: args.roles,
        grid_code: args.grid,
    };
    let user = ctx.app.add_user(&session, &new).await.map_err(app_error)?;
    say!(
        "已新增用户 {}（{}）：{}",
        user.username,
        user.display_name,
        user.role_labels
    );
    Ok(ExitCode::SUCCESS)
}

async fn set_disabled(ctx: &Context, username: &str, disabled: bool) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    ctx.app
        .set_user_disabled(&session, username, disabled)
        .await
        .map_err(app_error)?;
    say!(
        "已{}用户 {username}",
        if disabled { "停用" } else { "启用" }
    );
    Ok(ExitCode::SUCCESS)
}
