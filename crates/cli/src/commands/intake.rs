//! `chengguan serve` (the town's server: the Open311 intake and the workstation API), `chengguan server
//! init-tls` (its certificates) and `chengguan apikey` (the intake's keys).

use std::process::ExitCode;
use std::sync::Arc;

use chengguan_app::AppError;
use clap::{Args, Subcommand};

use crate::session::Context;
use crate::{app_error, say};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听地址，如 127.0.0.1:8311 或 0.0.0.0:8311（局域网）
    #[arg(long, default_value = "127.0.0.1:8311")]
    listen: String,
    /// 同时打开的连接数上限
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// 单个地址同时打开的连接数上限
    #[arg(long, default_value_t = 32)]
    per_address: usize,
    /// 客户端须在此秒数内发完请求头（空闲连接也在此后关闭）
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// 客户端须在此秒数内发完请求体
    #[arg(long, default_value_t = 10)]
    body_timeout: u64,
    /// 单个地址每秒请求数上限（可短时突发到两倍）；经反向代理接入时所有居民共用代理的地址，应调高
    #[arg(long, default_value_t = 20.0)]
    rate_per_address: f64,
    /// 单个接口密钥每秒请求数上限（可短时突发到两倍）
    #[arg(long, default_value_t = 200.0)]
    rate_per_key: f64,
    /// 同时进行的读取请求数（其余排队，保证提交不被读取挤占）
    #[arg(long, default_value_t = 2)]
    read_slots: usize,
    /// 服务器证书（PEM，可含证书链）；与 --tls-key 一起启用 HTTPS。工作站接口只经 HTTPS（或本机回环）提供
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// 服务器私钥（PEM）
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// 为没有证书的城镇生成城镇 CA 与服务器证书（已有 CA 则沿用，只换发服务器证书）
    InitTls(InitTlsArgs),
}

#[derive(Debug, Args)]
pub struct InitTlsArgs {
    /// 存放证书与私钥的目录
    #[arg(long, default_value = "tls")]
    dir: std::path::PathBuf,
    /// 工作站连接服务器所用的主机名（可多次给出）
    #[arg(long = "name")]
    names: Vec<String>,
    /// 工作站连接服务器所用的 IP 地址（可多次给出）
    #[arg(long = "ip")]
    ips: Vec<std::net::IpAddr>,
}

/// `chengguan server …`: setting up the town's server.
pub async fn server(cmd: ServerCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ServerCommand::InitTls(args) => {
            let files = chengguan_server::tls::init_tls(&args.dir, &args.names, &args.ips)
                .map_err(|problem| {
                    app_error(AppError::Invalid {
                        field: "init-tls",
                        problem,
                    })
                })?;
            say!(
                "城镇 CA 证书：{}（复制到每台工作站）",
                files.ca_cert.display()
            );
            say!("服务器证书：{}", files.cert.display());
            say!(
                "服务器私钥：{}（仅服务器运行用户可读）",
                files.key.display()
            );
            say!("服务器证书指纹（SHA-256）：{}", files.fingerprint);
            say!(
                "启动：chengguan serve --listen 0.0.0.0:8443 --tls-cert {} --tls-key {}",
                files.cert.display(),
                files.key.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// 新建接口密钥（管理员；密钥只显示这一次）
    Create {
        /// 使用方名称，如「惠民高台小程序」
        #[arg(long)]
        name: String,
        /// 允许用此密钥读取诉求（GET requests）；默认只能提交。只发给可信的系统，勿用于小程序
        #[arg(long)]
        read: bool,
    },
    /// 列出接口密钥
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 吊销接口密钥（此后用它提交将被拒绝）
    Revoke {
        /// 使用方名称
        #[arg(long)]
        name: String,
    },
}

/// Serves Open311 GeoReport v2 on `--listen` until Ctrl-C. Needs no user: posts are checked by their API key.
pub async fn serve(ctx: Context, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| {
            app_error(AppError::Invalid {
                field: "--listen",
                problem: format!("无法监听 {}：{e}", args.listen),
            })
        })?;
    let limits = chengguan_server::Limits {
        max_connections: args.max_connections,
        per_address: args.per_address,
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        body_timeout: std::time::Duration::from_secs(args.body_timeout),
        rate_per_address: args.rate_per_address,
        rate_per_key: args.rate_per_key,
        read_slots: args.read_slots,
        ..Default::default()
    };
    if let Some(problem) = limits.problem() {
        return Err(app_error(AppError::Invalid {
            field: "serve",
            problem,
        }));
    }
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(chengguan_server::tls::server_config(cert, key).map_err(
            |problem| {
                app_error(AppError::Invalid {
                    field: "--tls-cert",
                    problem,
                })
            },
        )?),
        _ => None,
    };
    let addr = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    say!("Open311 GeoReport v2 受理服务：{scheme}://{addr}/open311/v2/（Ctrl-C 停止）");
    match &tls {
        Some((_, fingerprint)) => {
            say!("工作站接口：https://{addr}/api/v1/");
            say!("服务器证书指纹（SHA-256），供工作站首次连接时核对：{fingerprint}");
        }
        None if addr.ip().is_loopback() => say!("工作站接口：http://{addr}/api/v1/（仅本机回环）"),
        None => say!(
            "未配置证书：工作站接口不可用（局域网内只经 HTTPS 提供，见 chengguan server init-tls）"
        ),
    }
    chengguan_server::serve_tls(Arc::new(ctx.app), listener, limits, tls.map(|(c, _)| c)).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn apikey(ctx: &Context, cmd: ApiKeyCommand) -> anyhow::Result<ExitCode> {
    let session = ctx.session().await?;
    match cmd {
        ApiKeyCommand::Create { name, read } => {
            let (key, secret) = ctx
                .app
                .create_api_key(&session, &name, read)
                .await
                .map_err(app_error)?;
            say!(
                "已为「{}」创建接口密钥（只显示这一次，请妥善交付）：",
                key.name
            );
            say!("{secret}");
        }
        ApiKeyCommand::List { json } => {
            let keys = ctx.app.list_api_keys(&session).await.map_err(app_error)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&keys)?);
            } else {
                for k in &keys {
                    say!(
                        "{}\t{}…\t{}\t{}\t{}\t{}",
                        k.name,
                        k.prefix,
                        if k.can_read {
                            "提交+读取"
                        } else {
                            "仅提交"
                        },
                        k.created_by,
                        &k.created_at[..10],
                        k.revoked_at.as_deref().map(|_| "已吊销").unwrap_or("在用")
                    );
                }
                say!("共 {} 个", keys.len());
            }
        }
        ApiKeyCommand::Revoke { name } => {
            ctx.app
                .revoke_api_key(&session, &name)
                .await
                .map_err(app_error)?;
            say!("已吊销「{name}」的接口密钥");
        }
    }
    Ok(ExitCode::SUCCESS)
}
