#!/usr/bin/env bash
# The whole benchmark: builds the release binary, then prints the main table (knowledge-base
# load, recognition throughput against bare aho-corasick, indexing, peak memory, peers) and the
# language-server latencies on the 10k-article corpus with a 100k-entity knowledge base, and the
# server's indexing against the CLI's on it (lsp_index).
# With --archive, lsp_index also runs on the 100k-article corpus the table generates and on a
# 1M-article one (5 GB of text, ~8 GB on disk, generated once into target/bench-data in about a
# minute, seed 1 like the others; the 1M row alone takes ~15 minutes). Issue 16's targets are read from those rows.
# Usage: benches/run.sh [--quick] [--no-peers] [--archive]   (see BENCHMARKS.md for the latest output)
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
if [[ " $* " == *" --archive "* ]]; then
    # The table generates the 100k corpus (seed 1) unless --quick; the 1M one is made here.
    for articles in 100000 1000000; do
        dir=target/bench-data/e100000-a$articles
        if [ ! -f "$dir/dossier.toml" ]; then
            rm -rf "$dir"
            target/release/dossier generate "$dir" --entities 100000 --articles $articles --seed 1
        fi
    done
    echo
    cargo bench --quiet --bench lsp_index -- target/bench-data/e100000-a100000 \
        target/bench-data/e100000-a1000000 --runs 1
fi
