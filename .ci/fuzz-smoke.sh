#!/usr/bin/env bash
# A 60-second smoke run of each fuzz target (fuzz/, RELIABILITY.md § Fuzzing), one at a time.
#
#   bash .ci/fuzz-smoke.sh [SECONDS]
#
# Builds without a sanitizer (`-s none`: Dossier has no unsafe code, and no sanitizer is what
# lets a stable toolchain build the targets) and with debug assertions (`-a`: overflow checks).
# Uses `cargo +nightly` when a nightly toolchain is installed, else the default toolchain.
# When cargo-fuzz is missing or the targets do not build, says so LOUDLY and exits 0 — unless
# FUZZ_SMOKE_REQUIRED=1, when that is a failure. A crash is always a failure (exit 1), and its
# input is left in fuzz/artifacts/TARGET/.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=(kb_load recognize edits server)

skip() {
    echo
    echo "*******************************************************************"
    echo "*** SKIPPED: the fuzz smoke runs: $1"
    echo "*******************************************************************"
    echo
    if [ "${FUZZ_SMOKE_REQUIRED:-0}" = 1 ]; then exit 1; fi
    exit 0
}

toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
fi
cargo "${toolchain[@]}" fuzz --version >/dev/null 2>&1 \
    || skip "cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
echo "fuzzing with $(cargo "${toolchain[@]}" --version), $(cargo "${toolchain[@]}" fuzz --version)"

cd fuzz
cargo "${toolchain[@]}" fuzz build -O -a -s none \
    || skip "the fuzz targets do not build with $(cargo "${toolchain[@]}" --version)"

failed=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target" "seeds/$target"
    # Structured inputs need room from the start; the loader has a dictionary of TOML tokens.
    case $target in
        kb_load) options=(-dict=kb_load.dict) ;;
        server) options=(-max_len=8192 -len_control=0) ;;
        *) options=(-max_len=4096 -len_control=0) ;;
    esac
    echo "--- $target: ${seconds}s"
    if ! cargo "${toolchain[@]}" fuzz run -O -a -s none "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=3072 \
        -artifact_prefix="artifacts/$target/" "${options[@]}" 2>&1 | tail -n 25; then
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz smoke runs crashed: ${failed[*]} (inputs in fuzz/artifacts/)"
    exit 1
fi
echo "fuzz smoke runs: ${targets[*]}: no crash in ${seconds}s each"
