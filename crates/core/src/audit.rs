//! The audit log's entries and their hash chain.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields (a JSON array of
//! strings, so no field can bleed into another). Changing, removing or reordering any row breaks the chain from
//! that row on, which [`verify_chain`] reports. The first entry's previous hash is [`GENESIS`].

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The "previous hash" of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is to be recorded (the store adds the sequence number, the time and the hashes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditDraft {
    /// The user name acting, or `-` for the system (e.g. a first-start demo load).
    pub actor: String,
    /// What happened, a stable code, e.g. `user.sign_in`, `person.reveal`, `grid.import`.
    pub action: String,
    /// On what, e.g. `person:0192…`, `user:zhang.san`, `grids`.
    pub target: String,
    /// Why (required for reveals and exports), if given.
    pub reason: Option<String>,
    /// Details: for writes `{"before": …, "after": …}`; JSON text as stored (and hashed).
    pub detail: String,
}

impl AuditDraft {
    /// A draft with a JSON detail.
    pub fn new(
        actor: &str,
        action: &str,
        target: impl Into<String>,
        detail: serde_json::Value,
    ) -> Self {
        Self {
            actor: actor.to_string(),
            action: action.to_string(),
            target: target.into(),
            reason: None,
            detail: detail.to_string(),
        }
    }

    /// The same draft with a reason.
    pub fn with_reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_string());
        self
    }
}

/// One stored entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Position in the log: 1, 2, 3… without gaps.
    pub seq: i64,
    /// When (UTC, microseconds).
    pub at: DateTime<Utc>,
    /// The recorded fields.
    #[serde(flatten)]
    pub draft: AuditDraft,
    /// The previous entry's hash (hex).
    pub prev_hash: String,
    /// This entry's hash (hex).
    pub hash: String,
}

/// The time as hashed and stored: RFC 3339 with microseconds, UTC.
pub fn canonical_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The hash of an entry with sequence number `seq` at `at` following `prev_hash`.
pub fn entry_hash(prev_hash: &str, seq: i64, at: DateTime<Utc>, draft: &AuditDraft) -> String {
    let fields = [
        prev_hash.to_string(),
        seq.to_string(),
        canonical_time(at),
        draft.actor.clone(),
        draft.action.clone(),
        draft.target.clone(),
        draft.reason.clone().unwrap_or_default(),
        draft.detail.clone(),
    ];
    let text = serde_json::to_string(&fields).expect("strings serialise");
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where and why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("审计日志第 {seq} 条{problem}")]
pub struct ChainBreak {
    /// The first entry that does not verify.
    pub seq: i64,
    /// What is wrong with it, in Chinese.
    pub problem: String,
}

/// Checks entries (in sequence order) from the start of the log: numbering without gaps, each entry linked to
/// the previous one's hash and its own hash matching its content; and, if given, that the recorded head
/// (the last sequence number and hash the store keeps apart) is the last entry.
pub fn verify_chain(
    entries: &[AuditEntry],
    head: Option<(i64, &str)>,
) -> Result<usize, ChainBreak> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return Err(ChainBreak {
                seq: expected_seq,
                problem: format!("缺失（下一条为第 {} 条），记录被删除", e.seq),
            });
        }
        if e.prev_hash != prev {
            return Err(ChainBreak {
                seq: e.seq,
                problem: "与上一条的链接不符".into(),
            });
        }
        if entry_hash(&prev, e.seq, e.at, &e.draft) != e.hash {
            return Err(ChainBreak {
                seq: e.seq,
                problem: "内容与其哈希不符，记录被改动".into(),
            });
        }
        prev = e.hash.clone();
    }
    if let Some((head_seq, head_hash)) = head {
        let last = entries.len() as i64;
        if head_seq != last || (last > 0 && head_hash != prev) {
            return Err(ChainBreak {
                seq: last.max(head_seq),
                problem: format!("之后的记录被删除（日志头记为第 {head_seq} 条，实存 {last} 条）"),
            });
        }
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let at = Utc
                    .with_ymd_and_hms(2026, 11, 30, 8, 0, seq as u32)
                    .unwrap();
                let draft = AuditDraft::new(
                    "admin",
                    "user.sign_in",
                    format!("user:u{seq}"),
                    serde_json::json!({}),
                );
                let hash = entry_hash(&prev, seq, at, &draft);
                let e = AuditEntry {
                    seq,
                    at,
                    draft,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify_chain(&c, Some((5, &c[4].hash))), Ok(5));
        assert_eq!(verify_chain(&[], Some((0, GENESIS))), Ok(0));
    }

    #[test]
    fn sha256_of_a_known_text() {
        // FIPS 180-2 example: SHA-256("abc").
        let digest: String = Sha256::digest(b"abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            digest,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_changed_field_is_found_at_its_row() {
        let mut c = chain(5);
        c[2].draft.actor = "someone_else".into();
        assert_eq!(verify_chain(&c, None).unwrap_err().seq, 3);
        let mut c = chain(5);
        c[1].at += chrono::Duration::seconds(1);
        assert_eq!(verify_chain(&c, None).unwrap_err().seq, 2);
    }

    #[test]
    fn a_deleted_row_is_found() {
        let mut c = chain(5);
        c.remove(3);
        assert_eq!(verify_chain(&c, None).unwrap_err().seq, 4);
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(verify_chain(&c[..4], Some((5, &head))).unwrap_err().seq, 5);
    }

    #[test]
    fn a_rehashed_row_still_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].draft.detail = "{\"x\":1}".into();
        c[2].hash = entry_hash(&c[2].prev_hash, 3, c[2].at, &c[2].draft);
        assert_eq!(verify_chain(&c, None).unwrap_err().seq, 4);
    }
}
