//! No lost work: a `dossier` process killed (SIGKILL) at any moment while it writes over a file
//! leaves the old file or the new one, never a torn one.
//!
//! Each run of the kill loop restores the old knowledge base, starts `dossier tag` on it, kills
//! it after a random delay and reads what is left. Half the kills are timed over a whole run;
//! the other half wait until the process holds its temporary file open (seen in
//! `/proc/PID/fd`) and then wait a random part of the time a write takes, so that they land
//! during the write itself, which is a small part of a run. A control loop kills a plain
//! `cat new > old` the same way and must see torn files: the loop can see a tear when there is
//! one.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 200;

/// Whether process `pid` has a file open in `folder` that has no name there: the temporary
/// file of an atomic write (unnamed on Linux, `#123 (deleted)` in `/proc`), or one named
/// `.entities.toml.…` where the file system cannot make unnamed files.
fn holds_temporary_file(pid: u32, folder: &Path) -> bool {
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        fs::read_link(fd.path()).is_ok_and(|target| {
            let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
            target.parent() == Some(folder)
                && name
                    .is_some_and(|n| n.ends_with("(deleted)") || n.starts_with(".entities.toml."))
        })
    })
}

/// Waits until `child` holds its temporary file open, for 10 s at most; false when it ended
/// first or never did.
fn wait_for_write(child: &mut std::process::Child, folder: &Path) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if holds_temporary_file(child.id(), folder) {
            return true;
        }
        if matches!(child.try_wait(), Ok(Some(_))) {
            return false;
        }
        std::thread::sleep(Duration::from_micros(50));
    }
    false
}

/// A corpus of `entities` generated entities and no articles.
fn generated_corpus(entities: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("corpus");
    let run = common::dossier_in(
        dir.path(),
        &[
            "generate",
            out.to_str().expect("a UTF-8 path"),
            "--entities",
            &entities.to_string(),
            "--articles",
            "0",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    dir
}

/// Starts `dossier tag` adding one entity in `corpus`.
fn start_tag(corpus: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["tag", "Killed Midway", "--kind", "person", "--role", "Test"])
        .current_dir(corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dossier starts")
}

/// What a killed writer left at the path.
#[derive(Debug, Default)]
struct Outcomes {
    old: usize,
    new: usize,
    torn: usize,
}

impl Outcomes {
    fn count(&mut self, found: &[u8], old: &[u8], new: &[u8]) {
        if found == old {
            self.old += 1;
        } else if found == new {
            self.new += 1;
        } else {
            self.torn += 1;
        }
    }
}

/// A random delay of at most `max`.
fn up_to(rng: &mut fastrand::Rng, max: Duration) -> Duration {
    Duration::from_micros(rng.u64(0..=(max.as_micros() as u64).max(1)))
}

/// Kills `start()` `runs` times, restoring `old` at `path` before each run, once `wait` (given
/// the child and a random source) returns, and counts what each kill left there.
fn kill_loop(
    runs: usize,
    path: &Path,
    old: &[u8],
    new: &[u8],
    mut start: impl FnMut() -> std::process::Child,
    mut wait: impl FnMut(&mut std::process::Child, &mut fastrand::Rng),
) -> Outcomes {
    let mut rng = fastrand::Rng::with_seed(14);
    let mut outcomes = Outcomes::default();
    for _ in 0..runs {
        fs::write(path, old).expect("the old file restored");
        let mut child = start();
        wait(&mut child, &mut rng);
        // A child that already ended cannot be killed; that run counts all the same.
        let _ = child.kill();
        let _ = child.wait();
        let found = fs::read(path).expect("the file is still there");
        outcomes.count(&found, old, new);
    }
    outcomes
}

#[test]
fn a_knowledge_base_edit_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let dir = generated_corpus(5_000);
    let corpus = dir.path().join("corpus");
    let kb = corpus.join("entities.toml");
    let old = fs::read(&kb).expect("entities.toml");

    // A run to the end gives the new file, how long a run takes, and how long its write takes
    // (from the temporary file's opening to the end of the process).
    let started = Instant::now();
    let mut probe = start_tag(&corpus);
    assert!(wait_for_write(&mut probe, &corpus), "the write was seen");
    let writing = Instant::now();
    assert!(probe.wait().expect("dossier runs").success());
    let (lifetime, write_time) = (started.elapsed(), writing.elapsed());
    let new = fs::read(&kb).expect("entities.toml");
    assert_ne!(new, old);

    let mut during_write = 0;
    let mut outcomes = kill_loop(
        KILLS / 2,
        &kb,
        &old,
        &new,
        || start_tag(&corpus),
        |child, rng| {
            if wait_for_write(child, &corpus) {
                std::thread::sleep(up_to(rng, write_time));
                during_write += usize::from(holds_temporary_file(child.id(), &corpus));
            }
        },
    );
    let anywhere = kill_loop(
        KILLS / 2,
        &kb,
        &old,
        &new,
        || start_tag(&corpus),
        |_, rng| {
            std::thread::sleep(up_to(rng, lifetime + lifetime / 10));
        },
    );
    outcomes.old += anywhere.old;
    outcomes.new += anywhere.new;
    outcomes.torn += anywhere.torn;
    eprintln!(
        "{KILLS} kills of `dossier tag` (a run takes {lifetime:?}, its write {write_time:?}): {outcomes:?}; {during_write} while the temporary file was open"
    );
    assert_eq!(outcomes.torn, 0, "{outcomes:?}");
    assert!(
        outcomes.old > 0 && outcomes.new > 0,
        "kills landed before and after the write: {outcomes:?}"
    );
    assert!(during_write > 0, "kills landed during the write");
    // A kill after the temporary file got its name, just before the rename, leaves it behind:
    // hidden, named after its target, read by nothing, and swept away by the next write once
    // it is stale.
    let leftovers = |corpus: &Path| -> Vec<std::path::PathBuf> {
        let mut names: Vec<_> = fs::read_dir(corpus)
            .expect("the corpus folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                !["articles", "dossier.toml", "entities.toml"]
                    .iter()
                    .any(|n| p.ends_with(n))
            })
            .collect();
        names.sort();
        names
    };
    for path in leftovers(&corpus) {
        let name = path.file_name().unwrap_or_default();
        assert!(
            dossier::atomic_file::is_leftover_of(name, std::ffi::OsStr::new("entities.toml")),
            "only temporary files of entities.toml are left: {path:?}"
        );
        let aged = fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600)));
        assert!(aged.is_ok(), "{aged:?}");
    }
    fs::write(&kb, &old).expect("the old file restored");
    assert!(start_tag(&corpus).wait().expect("dossier runs").success());
    assert_eq!(
        leftovers(&corpus),
        Vec::<std::path::PathBuf>::new(),
        "the next write swept them away"
    );
}

#[test]
fn the_kill_loop_sees_a_torn_file_when_the_write_is_not_atomic() {
    let dir = generated_corpus(10_000);
    let corpus = dir.path().join("corpus");
    let kb = corpus.join("entities.toml");
    let old = fs::read(&kb).expect("entities.toml");
    let mut new = old.clone();
    new.extend_from_slice(b"\n# one more line\n");
    let source = dir.path().join("new.toml");
    fs::write(&source, &new).expect("written");
    let plain_copy = || {
        Command::new("sh")
            .args(["-c", "cat \"$1\" > \"$2\"", "sh"])
            .arg(&source)
            .arg(&kb)
            .spawn()
            .expect("sh starts")
    };
    let started = Instant::now();
    assert!(plain_copy().wait().expect("sh runs").success());
    let lifetime = started.elapsed();

    let outcomes = kill_loop(50, &kb, &old, &new, plain_copy, |_, rng| {
        std::thread::sleep(up_to(rng, lifetime * 2));
    });
    eprintln!(
        "50 kills of a plain `cat` in 0..{:?}: {outcomes:?}",
        lifetime * 2
    );
    assert!(outcomes.torn > 0, "{outcomes:?}");
}
