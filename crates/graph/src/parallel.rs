//! Splitting work over threads (std only): each worker gets a share of the
//! items and its own accumulator; the results are summed in a fixed order,
//! so the outcome does not depend on scheduling.

/// How many threads to use: `requested`, or the machine's parallelism when 0.
pub fn thread_count(requested: usize) -> usize {
    if requested > 0 { requested } else { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) }
}

/// Runs `work(chunk)` over `items` split into `threads` contiguous chunks
/// and returns the per-chunk results in chunk order.
pub(crate) fn map_chunks<T, R, F>(items: &[T], threads: usize, work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let threads = threads.max(1).min(items.len().max(1));
    if threads == 1 {
        return vec![work(items)];
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.chunks(size).map(|chunk| scope.spawn(|| work(chunk))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Like [`map_chunks`], with one scratch value per thread: `items` is split
/// into `scratch.len()` contiguous chunks and chunk i is worked on with
/// `scratch[i]`. The results come back in chunk order.
pub(crate) fn map_chunks_with<T, S, R, F>(items: &[T], scratch: &mut [S], work: F) -> Vec<R>
where
    T: Sync,
    S: Send,
    R: Send,
    F: Fn(&[T], &mut S) -> R + Sync,
{
    let threads = scratch.len().max(1).min(items.len().max(1));
    if threads == 1 {
        return vec![work(items, &mut scratch[0])];
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let work = &work;
        let mut parts = items.chunks(size).zip(scratch.iter_mut());
        let first = parts.next();
        let handles: Vec<_> = parts.map(|(chunk, s)| scope.spawn(move || work(chunk, s))).collect();
        let mut out = Vec::with_capacity(threads);
        if let Some((chunk, s)) = first {
            out.push(work(chunk, s));
        }
        out.extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
        out
    })
}
