#!/usr/bin/env bash
# Creates the Python venv used by benches/peers.py: the two peer tools a user would otherwise pick
# for dictionary (gazetteer) entity matching, FlashText and spaCy's PhraseMatcher.
# Usage: benches/setup-peers.sh [VENV_DIR]   (default: <repo>/target/bench-venv)
# Idempotent: does nothing when both packages already import. Downloads no spaCy model
# (peers.py uses spacy.blank("en"), which needs none).
set -euo pipefail

FLASHTEXT_VERSION=2.7
SPACY_VERSION=3.8.18

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$repo/target/bench-venv}"
py="$venv/bin/python"

fail() { echo "setup-peers: $*" >&2; exit 1; }

if [[ -x "$py" ]] && "$py" -c 'import flashtext, spacy' 2>/dev/null; then
    echo "setup-peers: $venv already has flashtext and spacy" >&2
    exit 0
fi

command -v python3 >/dev/null || fail "python3 not found"
python3 -m venv "$venv" || fail "could not create venv at $venv (is python3-venv installed?)"
"$py" -m pip install --quiet --disable-pip-version-check \
    "flashtext==$FLASHTEXT_VERSION" "spacy==$SPACY_VERSION" \
    || fail "pip install of flashtext==$FLASHTEXT_VERSION spacy==$SPACY_VERSION failed"
"$py" -c 'import flashtext, spacy; spacy.blank("en")' \
    || fail "flashtext/spacy installed but do not import"
echo "setup-peers: ready, run: $py $repo/benches/peers.py DIR" >&2
