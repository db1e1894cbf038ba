//! Group commit for any kind of write: concurrent callers' items share one
//! transaction.
//!
//! Each caller queues its item and waits to lead. The leader takes every
//! item queued so far, writes them with one call of `write` (one
//! transaction) and hands each caller its own answer, or the error. A caller
//! whose item a previous leader wrote returns at once. Nobody returns before
//! its item is committed. Under load many requests share one commit instead
//! of queueing for one each; alone, a request pays nothing extra.

use crate::error::StoreError;
use std::future::Future;
use tokio::sync::oneshot;

type Waiter<R> = oneshot::Sender<Result<R, StoreError>>;

/// A queue of pending writes of `T`, each answered with an `R`.
pub(crate) struct Batcher<T, R> {
    queue: std::sync::Mutex<Vec<(T, Waiter<R>)>>,
    leader: tokio::sync::Mutex<()>,
}

impl<T, R> Default for Batcher<T, R> {
    fn default() -> Self {
        Batcher { queue: std::sync::Mutex::new(Vec::new()), leader: tokio::sync::Mutex::new(()) }
    }
}

impl<T, R> Batcher<T, R> {
    /// Writes `item` through `write`, batched with the items of concurrent
    /// callers. `write` gets the items in queue order and must answer one
    /// `R` per item, in the same order.
    pub(crate) async fn submit<F, Fut>(&self, item: T, write: F) -> Result<R, StoreError>
    where
        F: FnOnce(Vec<T>) -> Fut,
        Fut: Future<Output = Result<Vec<R>, StoreError>>,
    {
        let (tx, mut rx) = oneshot::channel();
        self.queue.lock().map_err(|_| poisoned())?.push((item, tx));
        let _leading = self.leader.lock().await;
        if let Ok(done) = rx.try_recv() {
            return done;
        }
        let batch = std::mem::take(&mut *self.queue.lock().map_err(|_| poisoned())?);
        let (items, waiters): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
        match write(items).await {
            Ok(answers) if answers.len() == waiters.len() => {
                for (w, a) in waiters.into_iter().zip(answers) {
                    let _ = w.send(Ok(a));
                }
            }
            Ok(_) => {
                for w in waiters {
                    let _ = w.send(Err(StoreError::Corrupt("a batch wrote a different number of items".into())));
                }
            }
            Err(e) => {
                let message = e.to_string();
                for w in waiters {
                    let _ = w.send(Err(StoreError::Corrupt(format!("the batch could not be written: {message}"))));
                }
            }
        }
        rx.await.unwrap_or_else(|_| Err(StoreError::Corrupt("the batch was dropped".into())))
    }
}

fn poisoned() -> StoreError {
    StoreError::Corrupt("the write queue is poisoned".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_items_share_writes_and_each_gets_its_own_answer() {
        let batcher: Arc<Batcher<usize, usize>> = Arc::new(Batcher::default());
        let writes = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..200 {
            let (batcher, writes) = (batcher.clone(), writes.clone());
            tasks.push(tokio::spawn(async move {
                batcher
                    .submit(i, |items| async move {
                        writes.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                        Ok(items.into_iter().map(|x| x * 10).collect())
                    })
                    .await
            }));
        }
        for (i, t) in tasks.into_iter().enumerate() {
            assert_eq!(t.await.unwrap().unwrap(), i * 10, "each caller gets its own answer");
        }
        assert!(writes.load(Ordering::SeqCst) < 200, "items were batched");
    }

    #[tokio::test]
    async fn a_failed_write_fails_every_item_in_it() {
        let batcher: Batcher<u8, u8> = Batcher::default();
        let r = batcher.submit(0, |_| async { Err(StoreError::Missing("disk full".into())) }).await;
        assert!(matches!(r, Err(StoreError::Corrupt(m)) if m.contains("disk full")));
        let short = batcher.submit(1, |_| async { Ok(Vec::new()) }).await;
        assert!(matches!(short, Err(StoreError::Corrupt(_))));
    }
}
