//! The audit log as the administrator sees it: filtered lists, verification of the hash chain, xlsx export.

use chengguan_core::audit::{verify_chain, Anchor, AuditDraft};
use chengguan_store::prelude::*;
pub use chengguan_store::AuditFilter;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::access::{Session, UseCase};
use crate::days::beijing_day_start;
use crate::{App, AppError, Result};

/// The most entries one list returns.
pub const MAX_LIST: i64 = 5_000;

/// One audit entry as lists show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditRow {
    /// Sequence number.
    pub seq: i64,
    /// When, Beijing time, `YYYY-MM-DD HH:MM:SS`.
    pub at: String,
    /// User name (`-` for the system).
    pub actor: String,
    /// Action code, e.g. `person.reveal`.
    pub action: String,
    /// What the action was about.
    pub target: String,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Details (JSON text).
    pub detail: String,
}

/// The audit view's filters as the desktop sends them (days are Beijing calendar days, `YYYY-MM-DD`, both
/// inclusive; empty means no filter).
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AuditQuery {
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// User name.
    pub actor: Option<String>,
    /// Action prefix, e.g. `person.`.
    pub action: Option<String>,
}

impl AuditQuery {
    /// The store's filter, at most `limit` entries.
    pub fn to_filter(&self, limit: i64) -> Result<AuditFilter> {
        let text = |s: &Option<String>| {
            s.as_ref()
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
        };
        Ok(AuditFilter {
            from: beijing_day_start(self.from.as_deref(), 0)?,
            to: beijing_day_start(self.to.as_deref(), 1)?,
            actor: text(&self.actor),
            action_prefix: text(&self.action),
            limit,
        })
    }
}

/// The outcome of `audit verify`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditVerification {
    /// True if every entry verifies.
    pub intact: bool,
    /// Entries checked.
    pub entries: i64,
    /// The first entry that does not verify.
    pub broken_at: Option<i64>,
    /// In Chinese.
    pub message: String,
}

impl App {
    /// Entries matching `filter` (at most [`MAX_LIST`]), newest first.
    pub async fn audit_list(
        &self,
        session: &Session,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditRow>> {
        self.authorize(Some(session), UseCase::ListAudit).await?;
        let filter = AuditFilter {
            limit: filter.limit.clamp(1, MAX_LIST),
            ..filter.clone()
        };
        Ok(self
            .store
            .audit_entries(&filter)
            .await?
            .into_iter()
            .map(audit_row)
            .collect())
    }

    /// Verifies the whole chain under this machine's key: every row's keyed hash, the links, the numbering and
    /// the head; and, given an `anchor` kept outside the system, that the entry it names still has its hash
    /// (nothing up to it changed since, even by someone holding the key). The check itself is recorded.
    pub async fn audit_verify(
        &self,
        session: &Session,
        anchor: Option<&Anchor>,
    ) -> Result<AuditVerification> {
        let actor = self.authorize(Some(session), UseCase::VerifyAudit).await?;
        let chain = self.store.audit_chain().await?;
        let result = verify_chain(
            self.store.audit_key(),
            &chain.entries,
            Some((chain.head.0, &chain.head.1)),
            chain.keyed_from,
        )
        .and_then(|n| match anchor {
            None => Ok(n),
            Some(a) => match chain.entries.get((a.seq - 1) as usize) {
                Some(e) if e.hash == a.hash => Ok(n),
                Some(_) => Err(chengguan_core::audit::ChainBreak {
                    seq: a.seq,
                    problem: format!("与锚点 {a} 不符：锚点之前的记录被重写"),
                }),
                None => Err(chengguan_core::audit::ChainBreak {
                    seq: a.seq,
                    problem: format!("不存在（锚点 {a}），日志被截短"),
                }),
            },
        });
        let verification = match result {
            Ok(n) => AuditVerification {
                intact: true,
                entries: n as i64,
                broken_at: None,
                message: match anchor {
                    None => format!("审计日志完整：共 {n} 条，签名链校验通过"),
                    Some(a) => format!(
                        "审计日志完整：共 {n} 条，签名链校验通过，第 {} 条与锚点相符",
                        a.seq
                    ),
                },
            },
            Err(b) => AuditVerification {
                intact: false,
                entries: chain.entries.len() as i64,
                broken_at: Some(b.seq),
                message: format!("审计日志被篡改：{b}"),
            },
        };
        let audit = AuditDraft::new(
            &actor.username,
            "audit.verify",
            "audit_log",
            json!({
                "intact": verification.intact,
                "broken_at": verification.broken_at,
                "anchor": anchor.map(|a| a.to_string()),
            }),
        );
        self.store.append_audit(&audit).await?;
        Ok(verification)
    }

    /// Seals a log written before this machine had a key (`chengguan audit seal`): the administrator's decision,
    /// since it vouches for every plain entry as it stands. Answers how many were sealed (`None`: the log is
    /// keyed already).
    pub async fn audit_seal(&self, session: &Session) -> Result<Option<i64>> {
        let actor = self.authorize(Some(session), UseCase::VerifyAudit).await?;
        Ok(self.store.seal_plain_audit(&actor.username).await?)
    }

    /// The chain's head (the last entry's sequence number and keyed hash), for the administrator to keep outside
    /// the system (`chengguan audit anchor`). Recorded, so the next anchor covers this one.
    pub async fn audit_anchor(&self, session: &Session) -> Result<Anchor> {
        let actor = self.authorize(Some(session), UseCase::VerifyAudit).await?;
        let entry = self
            .store
            .append_audit(&AuditDraft::new(
                &actor.username,
                "audit.anchor",
                "audit_log",
                json!({}),
            ))
            .await?;
        Ok(Anchor {
            seq: entry.seq,
            hash: entry.hash,
        })
    }

    /// The entries matching `filter` as an xlsx workbook (one sheet, a header row, Beijing time). The export is
    /// recorded.
    pub async fn audit_export(&self, session: &Session, filter: &AuditFilter) -> Result<Vec<u8>> {
        let actor = self.authorize(Some(session), UseCase::ExportAudit).await?;
        let filter = AuditFilter {
            limit: filter.limit.clamp(1, 1_000_000),
            ..filter.clone()
        };
        let rows: Vec<AuditRow> = self
            .store
            .audit_entries(&filter)
            .await?
            .into_iter()
            .map(audit_row)
            .collect();
        let bytes = crate::xlsx::workbook(
            "审计日志",
            &[
                "序号",
                "时间（北京时间）",
                "用户",
                "操作",
                "对象",
                "理由",
                "详情",
            ],
            rows.iter().map(|r| {
                vec![
                    r.seq.to_string(),
                    r.at.clone(),
                    r.actor.clone(),
                    r.action.clone(),
                    r.target.clone(),
                    r.reason.clone().unwrap_or_default(),
                    r.detail.clone(),
                ]
            }),
        )?;
        let audit = AuditDraft::new(
            &actor.username,
            "audit.export",
            "audit_log",
            json!({"rows": rows.len()}),
        );
        self.store.append_audit(&audit).await?;
        Ok(bytes)
    }

    /// The entries `query` selects (at most `limit`), newest first.
    pub async fn audit_list_query(
        &self,
        session: &Session,
        query: &AuditQuery,
        limit: i64,
    ) -> Result<Vec<AuditRow>> {
        self.authorize(Some(session), UseCase::ListAudit).await?;
        self.audit_list(session, &query.to_filter(limit)?).await
    }

    /// The export of [`App::audit_export`] for `query`, named `审计日志-YYYYMMDD-HHMMSS.xlsx` (Beijing time).
    pub async fn audit_download(
        &self,
        session: &Session,
        query: &AuditQuery,
    ) -> Result<crate::api::Download> {
        self.authorize(Some(session), UseCase::ExportAudit).await?;
        let bytes = self
            .audit_export(session, &query.to_filter(i64::MAX)?)
            .await?;
        Ok(crate::api::Download {
            file_name: format!("审计日志-{}.xlsx", self.file_stamp()),
            bytes,
        })
    }

    /// Now in Beijing time as file names carry it: `YYYYMMDD-HHMMSS`.
    pub(crate) fn file_stamp(&self) -> String {
        self.clock
            .now()
            .with_timezone(&chengguan_core::time::beijing())
            .format("%Y%m%d-%H%M%S")
            .to_string()
    }
}

fn audit_row(e: chengguan_core::audit::AuditEntry) -> AuditRow {
    let beijing = chengguan_core::time::beijing();
    AuditRow {
        seq: e.seq,
        at: e
            .at
            .with_timezone(&beijing)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        actor: e.draft.actor,
        action: e.draft.action,
        target: e.draft.target,
        reason: e.draft.reason,
        detail: e.draft.detail,
    }
}

/// A reason is required for reveals and exports: at least two characters after trimming.
pub(crate) fn require_reason(reason: &str) -> Result<&str> {
    require_reason_for(reason, "查看或导出个人信息")
}

/// A reason for `what` (e.g. `调换轮值`), kept in the audit log: at least two characters after trimming, no
/// control characters but line breaks, within the length limit.
pub(crate) fn require_reason_for<'a>(reason: &'a str, what: &str) -> Result<&'a str> {
    let r = reason.trim();
    AppError::check_text("理由", r, chengguan_core::text::REASON_MAX, true)?;
    if r.chars().count() < 2 {
        return Err(AppError::Invalid {
            field: "理由",
            problem: format!("{what}须填写理由（至少 2 个字）"),
        });
    }
    Ok(r)
}
