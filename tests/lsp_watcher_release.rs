//! A session that ends lets go of its file watcher, however it ends. A process that serves
//! session after session in process (these tests, the fuzzer) would otherwise keep one
//! inotify instance per session until it hits the system's limit (128 by default), and every
//! server after that, in any process of the user, could no longer watch files.
//!
//! Alone in its own test binary: it counts this process's inotify instances, which other
//! tests running beside it would change.

mod common;

use std::time::Duration;

use serde_json::json;

use common::lsp::Client;

/// This process's open inotify instances, as `/proc/self/fd` shows them.
fn inotify_instances() -> usize {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .filter(|target| target.to_string_lossy().contains("inotify"))
        .count()
}

/// Starts a session on `root` whose client does not watch files, so the server watches
/// itself, and waits until it has indexed.
async fn session(root: &std::path::Path) -> Client {
    let mut client = Client::in_process();
    client.initialize(root, json!({}), json!({})).await;
    client.wait_indexed().await;
    client
}

/// Waits, boundedly, for the count of inotify instances to come back to `expected`.
async fn settles_at(expected: usize) -> usize {
    let mut now = inotify_instances();
    for _ in 0..100 {
        if now == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        now = inotify_instances();
    }
    now
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_that_end_leave_no_file_watcher_behind() {
    if !std::path::Path::new("/proc/self/fd").exists() {
        eprintln!("SKIPPED: no /proc/self/fd to count inotify instances with");
        return;
    }
    let corpus = common::seed_copy(&[]);
    let before = inotify_instances();

    // The watcher is really there while a session runs: otherwise this test proves nothing.
    let mut client = session(corpus.path()).await;
    assert!(
        settles_at(before + 1).await > before,
        "the server watches the corpus itself while a session runs"
    );

    // Ended by the client going away, with neither `shutdown` nor `exit`.
    client.close_input();
    drop(client);
    assert_eq!(
        settles_at(before).await,
        before,
        "a session whose input ended still holds its watcher"
    );

    // Ended by `exit` without `shutdown`, and by the proper `shutdown` then `exit`, several
    // times over.
    for round in 0..3 {
        let mut client = session(corpus.path()).await;
        if round == 0 {
            client.notify("exit", serde_json::Value::Null).await;
        } else {
            client.shutdown().await;
        }
        drop(client);
        assert_eq!(
            settles_at(before).await,
            before,
            "session {round} still holds its watcher after it ended"
        );
    }
}
