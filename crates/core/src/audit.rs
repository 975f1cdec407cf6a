//! The audit log's entries and their keyed hash chain.
//!
//! Each entry's hash is HMAC-SHA256 ([RFC 2104]) under the town's [`AuditKey`] over the previous entry's hash and
//! the entry's own fields (a JSON array of strings, so no field can bleed into another). Changing, removing or
//! reordering any row breaks the chain from that row on, which [`verify_chain`] reports. The first entry's
//! previous hash is [`GENESIS`].
//!
//! The key lives outside the database (a file readable only by the server's or the workstation's user), so
//! someone who can write to the database but has not the key cannot append or rewrite an entry that verifies:
//! a plain SHA-256 chain, which anyone can recompute, was what this module kept before.
//!
//! Entries written before a database was first opened with a key keep their plain SHA-256 hashes
//! ([`unkeyed_entry_hash`]); the store then records where the keyed part starts, with an entry of action
//! [`KEYED_ACTION`] whose (keyed) hash covers the last plain one, so the older entries cannot change either.
//! An [`Anchor`] (a sequence number and its hash kept on paper) proves that nothing up to it has changed since,
//! even to someone holding the key.
//!
//! [RFC 2104]: https://www.rfc-editor.org/rfc/rfc2104

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The action of the entry where a database's chain became keyed (see the module's doc).
pub const KEYED_ACTION: &str = "audit.keyed";

/// The secret key of the audit chain: 32 bytes, written as 64 hexadecimal digits in its file.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl AuditKey {
    /// The key made of these bytes (from a random source).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Reads a key file's text: 64 hexadecimal digits, surrounding white space ignored.
    pub fn parse_hex(text: &str) -> Result<Self, &'static str> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("密钥文件应为 64 位十六进制数字");
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16)
                .map_err(|_| "密钥文件应为十六进制")?;
        }
        Ok(Self(bytes))
    }

    /// The key file's text.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never in a log.
        f.write_str("AuditKey(…)")
    }
}

/// A point of the chain kept outside the system (`chengguan audit anchor`): entry `seq` had hash `hash`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The sequence number.
    pub seq: i64,
    /// Its hash (hex).
    pub hash: String,
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for Anchor {
    type Err = String;

    /// `SEQ:HASH`, as [`Anchor`]'s `Display` writes it.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("锚点应写作 序号:哈希（如 1234:9f86d0…），收到 {s:?}");
        let (seq, hash) = s.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.trim().parse().map_err(|_| bad())?;
        let hash = hash.trim().to_ascii_lowercase();
        if seq < 1 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Self { seq, hash })
    }
}

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

/// The keyed hash of an entry with sequence number `seq` at `at` following `prev_hash`.
pub fn entry_hash(
    key: &AuditKey,
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    draft: &AuditDraft,
) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
    mac.update(entry_text(prev_hash, seq, at, draft).as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The plain SHA-256 of an entry written before its database had a key.
pub fn unkeyed_entry_hash(
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    draft: &AuditDraft,
) -> String {
    hex(&Sha256::digest(
        entry_text(prev_hash, seq, at, draft).as_bytes(),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn entry_text(prev_hash: &str, seq: i64, at: DateTime<Utc>, draft: &AuditDraft) -> String {
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
    serde_json::to_string(&fields).expect("strings serialise")
}

/// How many entries at the start of `entries` are a plain (pre-key) chain: numbered from 1, linked, each with
/// its plain SHA-256. Sealing a log starts its keyed part after them.
pub fn plain_prefix(entries: &[AuditEntry]) -> usize {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        if e.seq != i as i64 + 1
            || e.prev_hash != prev
            || unkeyed_entry_hash(&prev, e.seq, e.at, &e.draft) != e.hash
        {
            return i;
        }
        prev = e.hash.clone();
    }
    entries.len()
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

/// Checks entries (in sequence order) from the start of the log under `key`: numbering without gaps, each entry
/// linked to the previous one's hash and its own hash matching its content; and, if given, that the recorded
/// head (the last sequence number and hash the store keeps apart) is the last entry.
///
/// `keyed_from` is the first keyed entry as the store records it: entries before it are checked as plain
/// SHA-256, the rest keyed. Moving it cannot pass a forged entry: a keyed entry does not verify as plain, a plain
/// one does not verify keyed, and the first keyed entry's own hash covers the last plain one. Without it, a log
/// with entries was never keyed, and fails; past the end of the log, it was moved.
pub fn verify_chain(
    key: &AuditKey,
    entries: &[AuditEntry],
    head: Option<(i64, &str)>,
    keyed_from: Option<i64>,
) -> Result<usize, ChainBreak> {
    let Some(keyed_from) = keyed_from.or(entries.is_empty().then_some(1)) else {
        return Err(ChainBreak {
            seq: 1,
            problem: "起的日志未以密钥签名：若确为启用密钥前写下的日志，管理员可运行 chengguan audit seal 封存；否则签名起点被清除，日志可能被改写".into(),
        });
    };
    if !entries.is_empty() && keyed_from > entries.len() as i64 {
        return Err(ChainBreak {
            seq: keyed_from,
            problem: "为签名起点，但日志没有这一条：签名起点被改动".into(),
        });
    }
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
        let expected = if e.seq < keyed_from {
            unkeyed_entry_hash(&prev, e.seq, e.at, &e.draft)
        } else {
            entry_hash(key, &prev, e.seq, e.at, &e.draft)
        };
        if expected != e.hash {
            return Err(ChainBreak {
                seq: e.seq,
                problem: "内容与其签名不符，记录被改动或由无密钥者写入".into(),
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

    fn key() -> AuditKey {
        AuditKey::from_bytes([7; 32])
    }

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
                let hash = entry_hash(&key(), &prev, seq, at, &draft);
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
        assert_eq!(
            verify_chain(&key(), &c, Some((5, &c[4].hash)), Some(1)),
            Ok(5)
        );
        assert_eq!(verify_chain(&key(), &[], Some((0, GENESIS)), None), Ok(0));
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
        assert_eq!(verify_chain(&key(), &c, None, Some(1)).unwrap_err().seq, 3);
        let mut c = chain(5);
        c[1].at += chrono::Duration::seconds(1);
        assert_eq!(verify_chain(&key(), &c, None, Some(1)).unwrap_err().seq, 2);
    }

    #[test]
    fn a_deleted_row_is_found() {
        let mut c = chain(5);
        c.remove(3);
        assert_eq!(verify_chain(&key(), &c, None, Some(1)).unwrap_err().seq, 4);
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(
            verify_chain(&key(), &c[..4], Some((5, &head)), Some(1))
                .unwrap_err()
                .seq,
            5
        );
    }

    #[test]
    fn a_rehashed_row_still_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].draft.detail = "{\"x\":1}".into();
        c[2].hash = entry_hash(&key(), &c[2].prev_hash, 3, c[2].at, &c[2].draft);
        assert_eq!(verify_chain(&key(), &c, None, Some(1)).unwrap_err().seq, 4);
    }

    #[test]
    fn hmac_sha256_of_rfc_4231_case_2() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn an_entry_hashed_without_the_key_fails_where_it_stands() {
        let mut c = chain(4);
        let at = c[3].at;
        let draft = AuditDraft::new("intruder", "user.add", "user:root", serde_json::json!({}));
        let hash = unkeyed_entry_hash(&c[3].hash, 5, at, &draft);
        c.push(AuditEntry {
            seq: 5,
            at,
            draft,
            prev_hash: c[3].hash.clone(),
            hash: hash.clone(),
        });
        let broken = verify_chain(&key(), &c, Some((5, &hash)), Some(1)).unwrap_err();
        assert_eq!(broken.seq, 5);
        // Nor does another key verify any of it.
        let other = AuditKey::from_bytes([8; 32]);
        assert_eq!(verify_chain(&other, &c, None, Some(1)).unwrap_err().seq, 1);
        // A log never keyed fails as such.
        assert_eq!(verify_chain(&key(), &c, None, None).unwrap_err().seq, 1);
    }

    #[test]
    fn plain_entries_before_the_keyed_start_verify_and_cannot_change() {
        let mut prev = GENESIS.to_string();
        let mut c = Vec::new();
        for seq in 1..=4 {
            let at = Utc
                .with_ymd_and_hms(2026, 11, 30, 8, 0, seq as u32)
                .unwrap();
            let action = if seq == 3 {
                KEYED_ACTION
            } else {
                "user.sign_in"
            };
            let draft = AuditDraft::new("admin", action, "t", serde_json::json!({}));
            let hash = if seq < 3 {
                unkeyed_entry_hash(&prev, seq, at, &draft)
            } else {
                entry_hash(&key(), &prev, seq, at, &draft)
            };
            c.push(AuditEntry {
                seq,
                at,
                draft,
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        assert_eq!(verify_chain(&key(), &c, Some((4, &prev)), Some(3)), Ok(4));
        // Moving the start (which lives in the database) to let forged plain entries pass as old fails: a keyed
        // entry is not a plain one, and the start must be the keyed-start entry.
        assert_eq!(verify_chain(&key(), &c, None, Some(4)).unwrap_err().seq, 3);
        assert_eq!(verify_chain(&key(), &c, None, Some(2)).unwrap_err().seq, 2);
        // Rewriting an old plain entry (and its plain hash) breaks the keyed entry's link.
        let mut forged = c.clone();
        forged[1].draft.actor = "x".into();
        forged[1].hash =
            unkeyed_entry_hash(&forged[1].prev_hash, 2, forged[1].at, &forged[1].draft);
        assert_eq!(
            verify_chain(&key(), &forged, None, Some(3))
                .unwrap_err()
                .seq,
            3
        );
    }

    #[test]
    fn keys_and_anchors_read_back() {
        let k = key();
        assert_eq!(
            AuditKey::parse_hex(&format!(" {}\n", k.to_hex())),
            Ok(k.clone())
        );
        assert!(AuditKey::parse_hex("abc").is_err());
        assert_eq!(format!("{k:?}"), "AuditKey(…)");
        let a: Anchor = format!("12:{}", "AB".repeat(32)).parse().unwrap();
        assert_eq!(a.to_string(), format!("12:{}", "ab".repeat(32)));
        assert!("0:00".parse::<Anchor>().is_err());
        assert!("x".parse::<Anchor>().is_err());
    }
}
