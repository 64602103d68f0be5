#!/usr/bin/env bash
# The whole benchmark: builds the release binary, then prints the main table (knowledge-base
# load, recognition throughput against bare aho-corasick, indexing, peak memory, peers) and the
# language-server latencies on the 10k-article corpus with a 100k-entity knowledge base, and the
# server's indexing against the CLI's on it (lsp_index).
# Usage: benches/run.sh [--quick] [--no-peers]      (see BENCHMARKS.md for the latest output)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
echo "Dossier benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
cargo bench --quiet --bench table -- "$@"
echo
corpus=target/bench-data/e100000-a10000
if [[ " $* " == *" --quick "* ]]; then corpus=target/bench-data/e100000-a1000; fi
cargo bench --quiet --bench lsp_latency -- "$corpus" --iterations 200
echo
# The server's indexing against annotate on the same corpus, the restart with its index cache,
# and requests while it works (BENCHMARKS.md, "The server at archive scale").
cargo bench --quiet --bench lsp_index -- "$corpus" --runs 3
