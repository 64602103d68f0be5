//! Neovim end to end: the plugin in `editors/neovim` loaded as a user loads it (on the
//! runtimepath, `require("dossier").setup()` with `dossier` on PATH), in real headless Neovim
//! 0.11 and 0.7, against a throwaway copy of `seeds/` with a throwaway HOME and XDG folders.
//!
//! The checks themselves are `tests/editors/neovim/e2e.lua`: it types keys as a user does
//! (`K`, `gd`, `grr`, `v…gra`, `CTRL-X CTRL-O`), bounds every wait, and writes one result per
//! check to a JSON file read here. Neovim always runs under `timeout`.
//!
//! Where the binaries come from, first found wins:
//! - 0.11: `$DOSSIER_NVIM`, then `/opt/dossier-ci/bin/nvim-0.11` (what `.ci/install-neovim.sh`
//!   links; `$DOSSIER_CI_PREFIX/bin/nvim-0.11` where that is set), then `nvim` on PATH if it is
//!   0.11 or newer;
//! - 0.7: `$DOSSIER_NVIM_07`, then `/usr/bin/nvim` or `nvim` on PATH if it is 0.7.
//!
//! A Neovim that is not found skips its test with a loud message on stderr, except in CI
//! (`CI=true`), where it fails: CI installs both.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// The longest one Neovim run may take, in seconds (the script's own watchdog fires at 150).
const RUN_TIMEOUT_SECS: &str = "180";

/// A Neovim binary and the version it reports.
struct Nvim {
    path: PathBuf,
    version: (u32, u32, u32),
}

/// `NVIM v0.11.4` (first line of `nvim --version`) as numbers.
fn parse_version(output: &str) -> Option<(u32, u32, u32)> {
    let word = output.lines().next()?.split_whitespace().nth(1)?;
    let mut parts = word.trim_start_matches('v').splitn(3, '.');
    let mut next = || -> Option<u32> {
        let digits: String = parts
            .next()?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    Some((next()?, next()?, next()?))
}

/// The version `path` reports, if it runs as Neovim.
fn probe(path: &Path) -> Option<Nvim> {
    let out = Command::new("timeout")
        .arg("20")
        .arg(path)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let version = parse_version(&String::from_utf8_lossy(&out.stdout))?;
    Some(Nvim {
        path: path.to_path_buf(),
        version,
    })
}

/// `nvim` on PATH, if any.
fn on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("nvim"))
        .find(|p| p.is_file())
}

/// The Neovim for one test: the one `env_var` names (which must run), or the first of
/// `candidates` whose version `fits`.
fn find(env_var: &str, candidates: &[PathBuf], fits: fn((u32, u32, u32)) -> bool) -> Option<Nvim> {
    if let Some(path) = std::env::var_os(env_var).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return Some(
            probe(&path).unwrap_or_else(|| {
                panic!("${env_var} = {} does not run as Neovim", path.display())
            }),
        );
    }
    candidates
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| probe(p))
        .find(|n| fits(n.version))
}

/// What to do when a Neovim is missing: fail in CI, skip loudly elsewhere.
fn missing(what: &str) {
    let message = format!("{what} not found (install: .ci/install-neovim.sh)");
    common::skip_editor("Neovim", &message);
}

/// Escapes a path for `:set rtp^=…`.
fn option_value(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        if matches!(c, ' ' | '\\' | ',' | '|' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One check's outcome, as the script reports it.
struct Check {
    name: String,
    ok: bool,
    detail: String,
}

/// How the user's config starts Dossier.
#[derive(Clone, Copy)]
enum Setup {
    /// `require("dossier").setup()`: the whole suite.
    Plugin,
    /// `vim.lsp.enable("dossier")` alone (0.11): attaching, highlighting, isolation.
    Plain,
}

/// Runs the e2e script in `nvim` against a fresh copy of `seeds/`; returns the checks.
fn run_suite(nvim: &Nvim, setup: Setup) -> Vec<Check> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path();
    let corpus = root.join("corpus");
    let outside = root.join("outside");
    let home = root.join("home");
    for dir in [&corpus, &outside, &home] {
        std::fs::create_dir_all(dir).unwrap();
    }
    for entry in std::fs::read_dir(repo.join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(outside.join("note.txt"), "Jack Ma, outside any corpus.\n").unwrap();
    let init = root.join("init.lua");
    let (init_lua, mode) = match setup {
        Setup::Plugin => ("require(\"dossier\").setup()\n", "plugin"),
        Setup::Plain => ("vim.lsp.enable(\"dossier\")\n", "plain"),
    };
    std::fs::write(&init, init_lua).unwrap();
    let out_json = root.join("results.json");

    // `dossier` on PATH, as a user who ran `cargo install` has it.
    let server = PathBuf::from(env!("CARGO_BIN_EXE_dossier"));
    let mut path = vec![server.parent().unwrap().to_path_buf()];
    if let Some(existing) = std::env::var_os("PATH") {
        path.extend(std::env::split_paths(&existing));
    }

    let mut command = Command::new("timeout");
    command
        .args(["-k", "5", RUN_TIMEOUT_SECS])
        .arg(&nvim.path)
        .arg("--headless")
        .arg("--cmd")
        .arg(format!(
            "set rtp^={}",
            option_value(&repo.join("editors/neovim"))
        ))
        .arg("-u")
        .arg(&init)
        .arg("-c")
        .arg(format!(
            "luafile {}",
            option_value(&repo.join("tests/editors/neovim/e2e.lua"))
        ))
        .current_dir(root)
        .stdin(Stdio::null())
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("HOME", &home)
        .env("DOSSIER_E2E_CORPUS", &corpus)
        .env("DOSSIER_E2E_OUTSIDE", &outside)
        .env("DOSSIER_E2E_OUT", &out_json)
        .env("DOSSIER_E2E_MODE", mode);
    for (var, dir) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ] {
        let dir = root.join("xdg").join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        command.env(var, dir);
    }
    for var in [
        "NVIM",
        "NVIM_APPNAME",
        "NVIM_LOG_FILE",
        "VIM",
        "VIMRUNTIME",
        "MYVIMRC",
        "VIMINIT",
    ] {
        command.env_remove(var);
    }
    let output = command.output().expect("timeout and nvim run");
    let text = std::fs::read_to_string(&out_json).unwrap_or_else(|_| {
        panic!(
            "{} wrote no results (exit {:?}; 124 is a timeout)\nstdout: {}\nstderr: {}",
            nvim.path.display(),
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let results: Value = serde_json::from_str(&text).expect("the results are JSON");
    let checks: Vec<Check> = results["checks"]
        .as_array()
        .expect("a list of checks")
        .iter()
        .map(|c| Check {
            name: c["name"].as_str().unwrap_or("?").to_owned(),
            ok: c["ok"].as_bool().unwrap_or(false),
            detail: c["detail"].as_str().unwrap_or("").to_owned(),
        })
        .collect();
    eprintln!(
        "Neovim {} ({}), {mode} set-up:",
        results["version"].as_str().unwrap_or("?"),
        nvim.path.display()
    );
    for check in &checks {
        let first_line = check.detail.lines().next().unwrap_or("");
        let mark = if check.ok { "ok  " } else { "FAIL" };
        eprintln!("  {mark} {}: {first_line}", check.name);
    }
    checks
}

/// Runs the suite and fails with every failed check named.
fn assert_suite(nvim: &Nvim, setup: Setup) {
    let checks = run_suite(nvim, setup);
    let expected = match setup {
        Setup::Plugin => 21,
        Setup::Plain => 14,
    };
    assert!(
        checks.len() >= expected,
        "only {} checks ran, {expected} expected",
        checks.len()
    );
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect();
    assert!(
        failed.is_empty(),
        "Neovim {:?} at {}: {} of {} checks failed:\n{}",
        nvim.version,
        nvim.path.display(),
        failed.len(),
        checks.len(),
        failed.join("\n")
    );
}

#[test]
fn neovim_0_11_shows_and_navigates_entities() {
    let prefix = std::env::var_os("DOSSIER_CI_PREFIX").unwrap_or_else(|| "/opt/dossier-ci".into());
    let mut candidates = vec![Path::new(&prefix).join("bin/nvim-0.11")];
    candidates.extend(on_path());
    match find("DOSSIER_NVIM", &candidates, |v| v >= (0, 11, 0)) {
        Some(nvim) => {
            assert_suite(&nvim, Setup::Plugin);
            if nvim.version >= (0, 11, 0) {
                assert_suite(&nvim, Setup::Plain);
            }
        }
        None => missing("Neovim 0.11 ($DOSSIER_NVIM, /opt/dossier-ci/bin/nvim-0.11, nvim on PATH)"),
    }
}

#[test]
fn neovim_0_7_shows_and_navigates_entities() {
    let mut candidates = vec![PathBuf::from("/usr/bin/nvim")];
    candidates.extend(on_path());
    match find("DOSSIER_NVIM_07", &candidates, |v| (v.0, v.1) == (0, 7)) {
        Some(nvim) => assert_suite(&nvim, Setup::Plugin),
        None => missing("Neovim 0.7 ($DOSSIER_NVIM_07, /usr/bin/nvim, nvim on PATH)"),
    }
}

#[test]
fn versions_are_read_from_nvim_version() {
    assert_eq!(
        parse_version("NVIM v0.11.4\nBuild type: Release"),
        Some((0, 11, 4))
    );
    assert_eq!(parse_version("NVIM v0.7.2"), Some((0, 7, 2)));
    assert_eq!(
        parse_version("NVIM v0.12.0-dev-1234+gabc"),
        Some((0, 12, 0))
    );
    assert_eq!(parse_version("vim 9"), None);
}
