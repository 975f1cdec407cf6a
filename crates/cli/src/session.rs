//! Acting as a named user: `--user` (or `CHENGGUAN_USER`) with the password from `CHENGGUAN_PASSWORD` or a
//! prompt. Every command except `init`, `demo` on a new database and the first `user add` needs it.

use chengguan_app::access::Session;
use chengguan_app::{App, AppError};

/// The open app and who runs the command.
pub struct Context {
    /// The open database.
    pub app: App,
    /// `--user`, if given.
    pub user: Option<String>,
    /// The sessions this command made, ended when it is done.
    made: std::sync::Mutex<Vec<Session>>,
}

impl Context {
    /// The context of one command.
    pub fn new(app: App, user: Option<String>) -> Self {
        Self {
            app,
            user,
            made: Default::default(),
        }
    }

    /// Ends the sessions this command made, so that none outlives it.
    pub async fn sign_out(&self) {
        let made = std::mem::take(&mut *self.made.lock().expect("sessions"));
        for session in made {
            // One left behind (the database went away meanwhile) is cleared once idle past the timeout.
            let _ = self.app.sign_out(&session).await;
        }
    }

    /// Signs in as `--user` (every use-case then checks this user's permissions).
    pub async fn session(&self) -> anyhow::Result<Session> {
        let Some(user) = &self.user else {
            return Err(anyhow::Error::new(AppError::Invalid {
                field: "--user",
                problem: "此命令须以用户身份执行：加 --user 用户名（密码取自环境变量 CHENGGUAN_PASSWORD，或在终端提示输入）"
                    .into(),
            }));
        };
        let password = secret("CHENGGUAN_PASSWORD", &format!("{user} 的密码："))?;
        let (session, who) = self
            .app
            .sign_in(user, &password)
            .await
            .map_err(anyhow::Error::new)?;
        self.made.lock().expect("sessions").push(session.clone());
        if who.must_change_password {
            // A reset or public (demo) password: nothing else is allowed until the user chooses their own.
            let new = secret(
                "CHENGGUAN_NEW_PASSWORD",
                &format!("{user} 须先设置新密码："),
            )?;
            self.app
                .change_own_password(&session, &password, &new)
                .await
                .map_err(anyhow::Error::new)?;
        }
        Ok(session)
    }

    /// The session if `--user` was given, else none (for use-cases a new database allows without one).
    pub async fn optional_session(&self) -> anyhow::Result<Option<Session>> {
        match self.user {
            Some(_) => Ok(Some(self.session().await?)),
            None => Ok(None),
        }
    }
}

/// A secret from the environment variable `var`, or typed at a prompt (not echoed) when there is a terminal.
pub fn secret(var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        anyhow::Error::new(AppError::Invalid {
            field: "密码",
            problem: format!("无法读取（{e}）；非交互使用时请设置环境变量 {var}"),
        })
    })
}
