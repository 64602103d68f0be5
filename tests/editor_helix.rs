//! Dossier in real Helix (25.07.1, from `../shared/tools/helix/`), driven in `tmux` as a user
//! drives it: hints on the first article opened, `space k`, `gd`, `space a` at the cursor and
//! on a selection, tagging a new name, `:write-all`, and the new entity in another article; and
//! a cold start on a generated corpus of 100,000 entities.
//!
//! Every wait polls the screen (`tmux capture-pane -p`) with a deadline. Helix runs under
//! `timeout`, with a throwaway `HOME` holding the project's `editors/helix` configuration, so
//! nothing touches a real one. Where Helix or tmux is missing the tests say so loudly and pass,
//! except under `CI=true`, where the editor must run.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long any one thing may take to appear on the screen.
const DEADLINE: Duration = Duration::from_secs(30);

/// Helix and its runtime: `DOSSIER_HX` and `HELIX_RUNTIME`, or `../shared/tools/helix`.
fn helix() -> Option<(PathBuf, PathBuf)> {
    let hx = std::env::var_os("DOSSIER_HX")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo().join("../shared/tools/helix/hx"));
    let runtime = std::env::var_os("HELIX_RUNTIME")
        .map(PathBuf::from)
        .unwrap_or_else(|| hx.with_file_name("runtime"));
    let tmux = Command::new("tmux").arg("-V").output().is_ok();
    if hx.is_file() && runtime.is_dir() && tmux {
        return Some((hx, runtime));
    }
    let what = if tmux {
        format!(
            "Helix not found at {} (put Helix 25.07.1 there, or set DOSSIER_HX)",
            hx.display()
        )
    } else {
        "tmux not found (install: apt-get install tmux)".to_owned()
    };
    common::skip_editor("Helix", &what);
    None
}

/// A Helix session in its own tmux server, on a throwaway home.
struct Session {
    socket: String,
    home: tempfile::TempDir,
}

impl Session {
    /// Starts `hx file` in `dir` in a 160×50 terminal.
    fn start(hx: &Path, runtime: &Path, dir: &Path, file: &str) -> Session {
        let home = tempfile::tempdir().expect("a throwaway home");
        let config = home.path().join(".config/helix");
        std::fs::create_dir_all(&config).expect("a config folder");
        for name in ["languages.toml", "config.toml"] {
            std::fs::copy(
                common::repo().join("editors/helix").join(name),
                config.join(name),
            )
            .expect("the project's Helix configuration");
        }
        let bin = Path::new(env!("CARGO_BIN_EXE_dossier"))
            .parent()
            .expect("the binary's folder")
            .to_path_buf();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let socket = format!(
            "dossier-hx-{}-{}",
            std::process::id(),
            home.path()
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("x")
        );
        let h = home.path();
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "160",
                "-y",
                "50",
            ])
            .args(["-c", dir.to_str().expect("a UTF-8 path")])
            .arg("env")
            .arg(format!("HOME={}", h.display()))
            .arg(format!("XDG_CONFIG_HOME={}", h.join(".config").display()))
            .arg(format!("XDG_CACHE_HOME={}", h.join(".cache").display()))
            .arg(format!("HELIX_RUNTIME={}", runtime.display()))
            .arg(format!("PATH={path}"))
            .arg("TERM=xterm-256color")
            .args(["timeout", "300"])
            .arg(hx)
            .args(["-vv", file])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux started Helix");
        Session { socket, home }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen as text.
    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "0"])
    }

    /// Waits until the screen satisfies `ready`, failing with the screen and Helix's log.
    fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                let log = std::fs::read_to_string(self.home.path().join(".cache/helix/helix.log"))
                    .unwrap_or_default();
                let tail: String = log
                    .lines()
                    .rev()
                    .take(40)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n");
                panic!(
                    "waited {DEADLINE:?} for {what}; the screen:\n{screen}\nHelix's log:\n{tail}"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Types `text` as it is. (A lone `;` would be taken by tmux as a command separator; the
    /// tests move with `h` instead, which leaves Helix's one-character cursor.)
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", text]);
    }

    /// Presses keys by name (`Enter`, `Escape`, `C-o`, `Space`).
    fn press(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Back to normal mode with nothing open, waiting until Helix has taken the `Escape`: a
    /// key sent right after it would arrive as `Alt-` that key.
    fn escape(&self, gone: &str) {
        self.press(&["Escape"]);
        self.wait_for(&format!("«{gone}» to close"), |s| !s.contains(gone));
    }

    /// Selects the next match of `needle` (Helix's search selects it).
    fn select(&self, needle: &str) {
        self.type_text("/");
        self.type_text(needle);
        self.press(&["Enter"]);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// A copy of `seeds/` with an article naming someone the knowledge base lacks.
fn corpus() -> tempfile::TempDir {
    common::seed_copy(&[(
        "100_tencent.txt",
        "Tencent founder visits Hangzhou\n\nPony Ma met Jack Ma in Hangzhou on Monday.\n",
    )])
}

#[test]
fn a_helix_user_sees_entities_reads_cards_and_tags_a_name() {
    let Some((hx, runtime)) = helix() else { return };
    let dir = corpus();
    let session = Session::start(&hx, &runtime, dir.path(), "000_3f504db1f4b0c96a.txt");

    // Hints on the first article opened, without any edit.
    let screen = session.wait_for("the first hints", |s| s.contains("‹Jack Ma›"));
    assert!(screen.contains("Philippines' ‹place›"), "{screen}");

    // space k on Jack Ma: his card.
    session.select("Jack Ma,");
    session.type_text("hh"); // a cursor (Helix: a one-character selection) on his «a»
    session.press(&["Space", "k"]);
    let card = session.wait_for("Jack Ma's card", |s| s.contains("person · China"));
    assert!(
        card.contains("Founder and executive chairman of Alibaba Group"),
        "{card}"
    );
    session.escape("person · China");

    // gd: his entry in the knowledge base.
    session.type_text("gd");
    let definition = session.wait_for("entities.toml", |s| s.contains("entities.toml"));
    assert!(definition.contains("name = \"Jack Ma\""), "{definition}");
    session.press(&["C-o"]);
    session.wait_for("the article again", |s| {
        s.contains("000_3f504db1f4b0c96a.txt")
    });

    // space a with the cursor (a one-character selection) in "Special Conversation".
    session.select("Conversation");
    session.type_text("h");
    session.press(&["Space", "a"]);
    session.wait_for("the whole name offered", |s| {
        s.contains("Tag «Special Conversation» as event")
    });
    session.escape("Tag «Special Conversation»");

    // Tag a selected «Pony Ma» in the new article, save everything.
    session.type_text(":open 100_tencent.txt");
    session.press(&["Enter"]);
    session.wait_for("the new article", |s| s.contains("Pony Ma met"));
    session.select("Pony Ma");
    session.press(&["Space", "a"]);
    session.wait_for("the tag actions", |s| s.contains("Tag «Pony Ma» as person"));
    session.press(&["Enter"]);
    // The edit lands in the knowledge base's buffer, in the background: the server says so.
    session.wait_for("the reminder to save", |s| {
        s.contains("save entities.toml to keep it")
    });
    session.type_text(":write-all");
    session.press(&["Enter"]);
    let deadline = Instant::now() + DEADLINE;
    while !std::fs::read_to_string(dir.path().join("entities.toml"))
        .unwrap_or_default()
        .contains("name = \"Pony Ma\"")
    {
        assert!(
            Instant::now() < deadline,
            "«Pony Ma» reached entities.toml on disk; the screen:\n{}",
            session.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    session.wait_for("Pony Ma hinted as a person", |s| {
        s.contains("Pony Ma ‹person›")
    });

    // A second new article shows him as a person.
    std::fs::write(
        dir.path().join("101_pony.txt"),
        "Pony Ma again\n\nThe Tencent chief Pony Ma spoke.\n",
    )
    .expect("written");
    session.type_text(":open 101_pony.txt");
    session.press(&["Enter"]);
    session.wait_for("Pony Ma in the second article", |s| {
        s.contains("Pony Ma ‹person› again")
    });
}

#[test]
fn an_article_dropped_into_the_corpus_counts_in_the_cards() {
    let Some((hx, runtime)) = helix() else { return };
    let dir = corpus();
    let session = Session::start(&hx, &runtime, dir.path(), "000_3f504db1f4b0c96a.txt");
    session.wait_for("the first hints", |s| s.contains("‹Jack Ma›"));
    session.select("Jack Ma,");
    session.type_text("hh");
    session.press(&["Space", "k"]);
    session.wait_for("Jack Ma's card", |s| {
        s.contains("Mentioned in 6 articles (36 mentions)")
    });
    session.escape("person · China");

    // Written by something other than Helix (a script, a `git pull`), never opened.
    std::fs::write(
        dir.path().join("102_dropped.txt"),
        "Dropped in\n\nJack Ma spoke in Hangzhou, and Jack Ma left.\n",
    )
    .expect("written");
    let deadline = Instant::now() + DEADLINE;
    loop {
        session.press(&["Space", "k"]);
        let card = session.wait_for("Jack Ma's card", |s| s.contains("person · China"));
        if card.contains("Mentioned in 7 articles (38 mentions)") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the dropped article never counted in the card:\n{card}"
        );
        session.escape("person · China");
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn a_cold_start_on_a_large_corpus_shows_hints_in_the_first_article() {
    let Some((hx, runtime)) = helix() else { return };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let corpus = dir.path().join("corpus");
    let run = common::dossier_in(
        dir.path(),
        &[
            "generate",
            corpus.to_str().expect("a UTF-8 path"),
            "--entities",
            "100000",
            "--articles",
            "5000",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let first = walkdir::WalkDir::new(corpus.join("articles"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .expect("a generated article");
    let relative = first
        .path()
        .strip_prefix(&corpus)
        .expect("inside the corpus")
        .to_str()
        .expect("a UTF-8 path")
        .to_owned();
    let session = Session::start(&hx, &runtime, &corpus, &relative);
    let screen = session.wait_for("hints in the first article opened", |s| s.contains('‹'));
    assert!(screen.contains('›'), "{screen}");
}
