//! Live updates: the changes other workstations, the intake server or this one commit, as they happen.

use std::time::Duration;

use chengguan_core::vocabulary::feed::{Entity, Operation};
use chengguan_store::prelude::*;
use chengguan_store::{Change, ChangeWaker};
use serde::Serialize;
use ts_rs::TS;

use crate::{App, Result};

/// Longest wait between two reads of the feed when no wake-up comes (a safety net, not the mechanism).
const SAFETY_READ: Duration = Duration::from_secs(2);

/// What changed, as the desktop announces it to its views (no data: views re-read what they show).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChangeNotice {
    /// The latest change's position in the feed.
    pub seq: i64,
    /// Kinds of rows that changed, each once: codes of the change feed's entities (`CHANGE_ENTITY` in the
    /// generated vocabulary).
    pub entities: Vec<String>,
    /// Petitions that were registered (their ids), for a notice.
    pub new_petitions: Vec<String>,
}

/// The database's connection as the live feed sees it: lost (with why, in words) or back.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionEvent {
    /// True when the database answers again.
    pub ok: bool,
    /// What happened, in Chinese.
    pub message: String,
}

/// Reads the change feed from where it was opened, waking on each commit.
pub struct ChangeFeed {
    app: App,
    waker: ChangeWaker,
    after: i64,
}

impl App {
    /// `notice` as the signed-in user of `session` may receive it on a LAN workstation, or `None` when nothing
    /// in it concerns them: a user who sees only their own grid hears only of new petitions placed there. Fails
    /// like any use-case when the session has ended or expired, which ends the stream.
    pub async fn notice_for(
        &self,
        session: &crate::access::Session,
        notice: &ChangeNotice,
    ) -> Result<Option<ChangeNotice>> {
        let actor = self
            .authorize(Some(session), crate::access::UseCase::WatchChanges)
            .await?;
        let Some(own) = actor.only_grid else {
            return Ok(Some(notice.clone()));
        };
        let mut new_petitions = Vec::new();
        for id in &notice.new_petitions {
            let Ok(uuid) = id.parse() else { continue };
            if let Some(p) = self.store.petition(uuid).await? {
                if p.grid_code.as_deref() == Some(own.as_str()) {
                    new_petitions.push(id.clone());
                }
            }
        }
        Ok(Some(ChangeNotice {
            new_petitions,
            ..notice.clone()
        }))
    }

    /// A feed of the changes committed from now on.
    pub async fn change_feed(&self) -> Result<ChangeFeed> {
        let after = self.store.latest_change().await?;
        let waker = self.store.change_waker().await?;
        Ok(ChangeFeed {
            app: self.clone(),
            waker,
            after,
        })
    }
}

impl ChangeFeed {
    /// Waits for the next committed changes and summarises them. An error means the database is unreachable;
    /// call again to retry (nothing is lost: the feed resumes after the last change read).
    pub async fn next(&mut self) -> Result<ChangeNotice> {
        loop {
            self.waker.wait(SAFETY_READ).await?;
            let changes = self.app.store.changes_since(self.after, 1000).await?;
            if let Some(last) = changes.last() {
                self.after = last.seq;
                return Ok(summarise(&changes));
            }
        }
    }
}

fn summarise(changes: &[Change]) -> ChangeNotice {
    let mut entities: Vec<String> = Vec::new();
    for c in changes {
        if !entities.iter().any(|e| e == c.entity.code()) {
            entities.push(c.entity.code().into());
        }
    }
    ChangeNotice {
        seq: changes.last().map(|c| c.seq).unwrap_or(0),
        entities,
        new_petitions: changes
            .iter()
            .filter(|c| c.entity == Entity::Petition && c.op == Operation::Insert)
            .filter_map(|c| c.entity_id.map(|id| id.to_string()))
            .collect(),
    }
}
