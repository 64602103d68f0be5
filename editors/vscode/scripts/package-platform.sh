#!/usr/bin/env bash
# Builds a platform .vsix with the release server inside (server/dossier), which the extension
# uses when no `dossier.path`, PATH or ~/.cargo/bin binary is found.
#   scripts/package-platform.sh [TARGET...]   e.g. linux-x64 (the default: this machine's)
# Each TARGET is a `vsce --target` name; its binary comes from DOSSIER_BIN_<TARGET> (dashes as
# underscores, e.g. DOSSIER_BIN_linux_arm64) or, for this machine's target, from
# `cargo build --release` (CARGO_TARGET_DIR honoured). The .vsix files go to DOSSIER_VSIX_OUT
# (default: here).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(cd ../.. && pwd)
host() {
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) echo linux-x64 ;;
        Linux-aarch64) echo linux-arm64 ;;
        Darwin-x86_64) echo darwin-x64 ;;
        Darwin-arm64) echo darwin-arm64 ;;
        *) echo "unknown" ;;
    esac
}
out=${DOSSIER_VSIX_OUT:-.}
targets=("$@")
((${#targets[@]})) || targets=("$(host)")
for target in "${targets[@]}"; do
    var="DOSSIER_BIN_${target//-/_}"
    bin=${!var:-}
    if [[ -z $bin ]]; then
        if [[ $target != "$(host)" ]]; then
            echo "package-platform: set $var to the dossier binary for $target" >&2
            exit 2
        fi
        (cd "$ROOT" && cargo build --release --locked)
        bin=${CARGO_TARGET_DIR:-$ROOT/target}/release/dossier
    fi
    rm -rf server && mkdir server
    cp "$bin" server/dossier
    # The release profile keeps line tables (for backtraces): 44 MB; stripped, about a quarter.
    if command -v strip >/dev/null && [[ $target == linux-* && $target == "$(host)" ]]; then
        strip --strip-debug server/dossier
    fi
    chmod +x server/dossier
    npx --no-install vsce package --skip-license --allow-missing-repository --no-rewrite-relative-links --target "$target" --out "$out/dossier-$target.vsix"
    rm -rf server
    echo "package-platform: $out/dossier-$target.vsix"
done
