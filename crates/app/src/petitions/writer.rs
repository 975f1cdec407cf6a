//! Group commit for new petitions. Acknowledged means durable (SQLite commits with `synchronous = FULL`), and a
//! disk flush per petition would cap the intake at the disk's flush rate; so registrations queue to one writer
//! task that commits whatever has queued as one transaction ([`PetitionImportStore::insert_petitions`]) and then
//! answers each caller. Nobody waits for a batch to fill: at low load a batch is one petition; under load the
//! petitions that arrive during one commit go together in the next.
//!
//! A batch that fails is retried one petition at a time, so one bad petition (or a conflict) fails only its own
//! caller.

use chengguan_core::petitions::Petition;
use chengguan_store::prelude::*;
use chengguan_store::{AnyStore, NewPetitionRow, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Most petitions in one commit.
const MAX_BATCH: usize = 256;
/// How long a registration waits for room in a full queue.
const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The error of a batch that did not reach the database (each caller gets its own copy).
fn unavailable() -> StoreError {
    StoreError::Database(chengguan_store::SqlxError::PoolTimedOut)
}

type Answer = oneshot::Sender<Result<Petition, StoreError>>;

/// The queue to the writer task of one database.
#[derive(Debug, Clone)]
pub(crate) struct PetitionWriter {
    queue: mpsc::Sender<(NewPetitionRow, Answer)>,
}

impl PetitionWriter {
    /// Starts the writer task for `store` (on the current tokio runtime); it ends when every handle is dropped.
    pub(crate) fn start(store: AnyStore) -> Self {
        let (queue, jobs) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(write(store, jobs));
        Self { queue }
    }

    /// Stores `row` in the next batch and returns the petition as stored, once its batch is on disk. A queue
    /// that stays full (the database stalled) is answered as the database being unavailable, not waited on.
    pub(crate) async fn insert(&self, row: NewPetitionRow) -> Result<Petition, StoreError> {
        let (answer, stored) = oneshot::channel();
        let gone = || StoreError::Corrupt("登记队列已关闭（程序正在退出）".into());
        self.queue
            .send_timeout((row, answer), QUEUE_WAIT)
            .await
            .map_err(|e| match e {
                mpsc::error::SendTimeoutError::Timeout(_) => unavailable(),
                mpsc::error::SendTimeoutError::Closed(_) => gone(),
            })?;
        stored.await.map_err(|_| gone())?
    }
}

async fn write(store: AnyStore, mut jobs: mpsc::Receiver<(NewPetitionRow, Answer)>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (rows, answers): (Vec<NewPetitionRow>, Vec<Answer>) = batch.drain(..).unzip();
        match store.insert_petitions(&rows).await {
            Ok(stored) => {
                for (answer, p) in answers.into_iter().zip(stored) {
                    let _ = answer.send(Ok(p));
                }
            }
            // The database is down or stalled: every caller hears so at once (503, retry later); retrying
            // one by one would keep them all waiting a timeout each.
            Err(e) if e.is_unavailable() => {
                tracing::warn!(error = %e, rows = rows.len(), "a batch of petitions could not be stored");
                for answer in answers {
                    let _ = answer.send(Err(unavailable()));
                }
            }
            Err(e) if rows.len() == 1 => {
                if let Some(answer) = answers.into_iter().next() {
                    let _ = answer.send(Err(e));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, rows = rows.len(), "a batch of petitions failed; storing them one by one");
                for ((p, event, audit), answer) in rows.into_iter().zip(answers) {
                    let _ = answer.send(store.insert_petition(&p, &event, &audit).await);
                }
            }
        }
    }
}
