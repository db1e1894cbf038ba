//! Group commit of audit entries: concurrent appends share one transaction.
//!
//! Each append queues its entry and waits to lead. The leader takes every
//! entry queued so far, writes them in order in one transaction
//! (`append_many`: one head read, one hash-chain extension, one commit) and
//! hands each appender its sealed entry, or the error. An appender whose
//! entry a previous leader wrote returns at once. Nobody returns before its
//! entry is committed, so "audited before the data is returned" holds; under
//! load, many entries share one commit instead of queueing for one each.

use crate::audit::{AuditEntry, NewAuditEntry};
use crate::error::StoreError;
use std::future::Future;
use tokio::sync::oneshot;

type Waiter = oneshot::Sender<Result<AuditEntry, StoreError>>;

/// The queue of a store's pending audit entries.
#[derive(Default)]
pub(crate) struct GroupCommit {
    queue: std::sync::Mutex<Vec<(NewAuditEntry, Waiter)>>,
    leader: tokio::sync::Mutex<()>,
}

impl GroupCommit {
    /// Appends `entry` through `write` (the store's `append_many`), batched
    /// with the entries of concurrent callers.
    pub(crate) async fn append<F, Fut>(&self, entry: NewAuditEntry, write: F) -> Result<AuditEntry, StoreError>
    where
        F: FnOnce(Vec<NewAuditEntry>) -> Fut,
        Fut: Future<Output = Result<Vec<AuditEntry>, StoreError>>,
    {
        let (tx, mut rx) = oneshot::channel();
        self.queue.lock().map_err(|_| poisoned())?.push((entry, tx));
        let _leading = self.leader.lock().await;
        if let Ok(done) = rx.try_recv() {
            return done;
        }
        let batch = std::mem::take(&mut *self.queue.lock().map_err(|_| poisoned())?);
        let (entries, waiters): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
        match write(entries).await {
            Ok(sealed) if sealed.len() == waiters.len() => {
                for (w, e) in waiters.into_iter().zip(sealed) {
                    let _ = w.send(Ok(e));
                }
            }
            Ok(_) => {
                for w in waiters {
                    let _ =
                        w.send(Err(StoreError::Corrupt("an audit batch wrote a different number of entries".into())));
                }
            }
            Err(e) => {
                let message = e.to_string();
                for w in waiters {
                    let _ =
                        w.send(Err(StoreError::Corrupt(format!("the audit entry could not be written: {message}"))));
                }
            }
        }
        rx.await.unwrap_or_else(|_| Err(StoreError::Corrupt("the audit batch was dropped".into())))
    }
}

fn poisoned() -> StoreError {
    StoreError::Corrupt("the audit queue is poisoned".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AuditAction, AuditOutcome};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn entry(i: usize) -> NewAuditEntry {
        NewAuditEntry {
            actor: format!("u{i}"),
            agency: "a".into(),
            action: AuditAction::Consult,
            entity_ids: vec![],
            outcome: AuditOutcome::Ok,
            purpose: "p".into(),
            detail: String::new(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_appends_share_commits_and_each_gets_its_own_entry() {
        let group = Arc::new(GroupCommit::default());
        let commits = Arc::new(AtomicUsize::new(0));
        let seq = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..200 {
            let (group, commits, seq) = (group.clone(), commits.clone(), seq.clone());
            tasks.push(tokio::spawn(async move {
                group
                    .append(entry(i), |batch| async move {
                        commits.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                        Ok(batch
                            .into_iter()
                            .map(|e| AuditEntry {
                                seq: seq.fetch_add(1, Ordering::SeqCst) as i64,
                                at: 0,
                                actor: e.actor,
                                agency: e.agency,
                                action: e.action,
                                entity_ids: e.entity_ids,
                                outcome: e.outcome,
                                purpose: e.purpose,
                                detail: e.detail,
                                prev_hash: [0; 32],
                                hash: [0; 32],
                            })
                            .collect())
                    })
                    .await
            }));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, t) in tasks.into_iter().enumerate() {
            let e = t.await.unwrap().unwrap();
            assert_eq!(e.actor, format!("u{i}"), "each caller gets its own entry");
            assert!(seen.insert(e.seq));
        }
        assert_eq!(seen.len(), 200);
        assert!(commits.load(Ordering::SeqCst) < 200, "entries were batched");
    }

    #[tokio::test]
    async fn a_failed_batch_fails_every_entry_in_it() {
        let group = GroupCommit::default();
        let r = group.append(entry(0), |_| async { Err(StoreError::Missing("disk full".into())) }).await;
        assert!(matches!(r, Err(StoreError::Corrupt(m)) if m.contains("disk full")));
    }
}
