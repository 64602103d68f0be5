//! Annotating a corpus on every core while its index is built in one order: the articles are
//! read and recognised by one worker per core, in blocks, and handed back to the caller's
//! thread in their original order, so the index (and every `DocId` in it) is the same as a
//! single thread would make it. The caller consumes each result as soon as the ones before it
//! are in, so building the index overlaps the recognition of what comes after.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// Items a worker takes at a time: enough to make the hand-over cheap, few enough that the
/// caller is never left waiting long for the block it needs next.
const BLOCK: usize = 16;

/// Calls `work` on every item on all cores, and `consume` on each result in the items' order.
pub fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> R + Sync,
    mut consume: impl FnMut(R),
) {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    if threads < 2 || items.len() <= BLOCK {
        items.into_iter().map(work).for_each(consume);
        return;
    }
    let mut blocks: Vec<Mutex<Vec<T>>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        blocks.push(Mutex::new(items.by_ref().take(BLOCK).collect()));
    }
    let next = AtomicUsize::new(0);
    let (sender, results) = mpsc::channel::<(usize, Vec<R>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(blocks.len()) {
            let sender = sender.clone();
            let (blocks, next, work) = (&blocks, &next, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(block) = blocks.get(i) else {
                    return;
                };
                // Each block is taken by one worker only: the lock is never contended, and a
                // poisoned one (a panic elsewhere) still holds its items.
                let taken = std::mem::take(&mut *block.lock().unwrap_or_else(|e| e.into_inner()));
                let done: Vec<R> = taken.into_iter().map(work).collect();
                if sender.send((i, done)).is_err() {
                    return;
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut wanted = 0;
        for (i, done) in results {
            waiting.insert(i, done);
            while let Some(done) = waiting.remove(&wanted) {
                done.into_iter().for_each(&mut consume);
                wanted += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_the_order_of_the_items() {
        for n in [0, 1, BLOCK, BLOCK + 1, 10 * BLOCK + 7] {
            let items: Vec<usize> = (0..n).collect();
            let mut seen = Vec::new();
            map_in_order(
                items,
                |i| {
                    // Uneven work, so that blocks finish out of order.
                    if i % 3 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(200));
                    }
                    i * 2
                },
                |r| seen.push(r),
            );
            assert_eq!(seen, (0..n).map(|i| i * 2).collect::<Vec<_>>(), "{n} items");
        }
    }
}
