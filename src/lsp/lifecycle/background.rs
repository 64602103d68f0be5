//! The server's heavy jobs — loading a knowledge base, indexing a corpus — on threads of their
//! own at a lower scheduling priority.
//!
//! On a machine with few cores, indexing takes every core, and a hover or a keystroke that
//! arrives meanwhile waited for the scheduler to hand one back (keystroke p99 of 4–6 ms during a
//! knowledge-base reload on 2 cores, `cargo bench --bench lsp_index`). With the jobs' threads
//! a few nice levels down, the threads that answer requests are scheduled first; the jobs
//! still have every core the requests leave idle, which is nearly all of them. Threads a job
//! starts (the indexing's workers) inherit its priority on Linux.

use thread_priority::{set_current_thread_priority, ThreadPriority, ThreadPriorityValue};

/// The jobs' priority in `thread-priority`'s 0–99 scale: 25 is nice 9 on Linux. With nice 0,
/// 4 and 9 the bench's keystroke p99 during a reload was 4.4, 2.6 and 1.4 ms, and indexing
/// took no longer. A competing job of normal priority (a build) on the same core still leaves
/// indexing an eighth of it.
const JOB_PRIORITY: u8 = 25;

/// The job's thread panicked; what it was replacing stays in force.
#[derive(Debug)]
pub struct JobFailed;

/// Runs `job` on a new thread named `name` at the jobs' priority; its result, once done.
pub async fn run_job<T: Send + 'static>(
    name: &str,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, JobFailed> {
    let (done, result) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_priority();
            let _ = done.send(job());
        });
    match spawned {
        Ok(_) => result.await.map_err(|_| JobFailed),
        // No thread to be had (a limit reached): the job fails as a panic would.
        Err(_) => Err(JobFailed),
    }
}

/// Lowers the calling thread's priority to [`JOB_PRIORITY`]. Where that cannot be done the
/// job runs at normal priority: slower requests, never a lost job.
fn lower_priority() {
    if let Ok(value) = ThreadPriorityValue::try_from(JOB_PRIORITY) {
        let _ = set_current_thread_priority(ThreadPriority::Crossplatform(value));
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The nice value of the calling thread (Linux keeps one per thread).
    fn nice() -> i32 {
        // SAFETY: getpriority reads the calling thread's nice value; it has no preconditions.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[tokio::test]
    async fn a_job_and_the_threads_it_starts_run_below_the_requests() {
        let ours = nice();
        let (job, worker) = run_job("test-job", || {
            let worker = std::thread::spawn(nice).join().unwrap_or(i32::MIN);
            (nice(), worker)
        })
        .await
        .expect("the job ran");
        // A process started below normal priority (`nice cargo test`) cannot raise its
        // threads again: there the job stays where the requests are.
        assert!(job >= ours, "job at nice {job}, requests at {ours}");
        if ours <= 0 {
            assert!(job > ours, "job at nice {job}, requests at {ours}");
        }
        assert_eq!(worker, job, "a worker the job starts inherits its priority");
        assert_eq!(nice(), ours, "the caller's thread keeps its priority");
    }

    #[tokio::test]
    async fn a_job_that_panics_fails_without_taking_the_server_down() {
        let result = run_job("test-panic", || -> usize { panic!("a bug in a job") }).await;
        assert!(result.is_err());
    }
}
