#!/usr/bin/env python3
"""Peer baselines for Dossier: dictionary (gazetteer) matching throughput of the tools a user
would otherwise pick for "find these known entity names in my text":

  * FlashText (KeywordProcessor, case-sensitive, Aho-Corasick-like trie on characters), and
  * spaCy's PhraseMatcher on ORTH over spacy.blank("en") (no model), tokenization included,
    since a user has to tokenize every article to use it.

Usage (with the venv made by benches/setup-peers.sh):
    target/bench-venv/bin/python benches/peers.py DIR [--repeat N]

DIR holds entities.toml ([[entity]] with id, name, aliases, weak_aliases) and the articles: every
*.txt under DIR, recursively. Surface forms = name + aliases + weak_aliases, deduplicated. Each
timing is the best of N runs (time.perf_counter). MB = 1e6 UTF-8 bytes of article text.
Match counts are not directly comparable: FlashText reports longest non-overlapping matches,
PhraseMatcher every (possibly overlapping) match. Prints one JSON object on stdout,
progress on stderr; a peer that cannot be imported gets {"error": ...} in its slot.
"""
import argparse
import importlib.metadata
import json
import pathlib
import platform
import sys
import time
import tomllib


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def best_of(repeat, fn):
    """Run fn() `repeat` times; return (best seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bench_flashtext(forms, texts, mb, repeat):
    from flashtext import KeywordProcessor

    def build():
        kp = KeywordProcessor(case_sensitive=True)
        for form, eid in forms.items():
            kp.add_keyword(form, eid)
        return kp

    build_s, kp = best_of(repeat, build)
    match_s, matches = best_of(repeat, lambda: sum(len(kp.extract_keywords(t)) for t in texts))
    return {"build_s": round(build_s, 4), "match_s": round(match_s, 4),
            "mb_per_s": round(mb / match_s, 3), "matches": matches}


def bench_spacy(forms, texts, mb, repeat):
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    by_id = {}
    for form, eid in forms.items():
        by_id.setdefault(eid, []).append(form)

    def build():
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for eid, fs in by_id.items():
            matcher.add(eid, list(nlp.tokenizer.pipe(fs)))
        return matcher

    build_s, matcher = best_of(repeat, build)
    match_s, matches = best_of(repeat, lambda: sum(len(matcher(nlp.make_doc(t))) for t in texts))
    return {"build_s": round(build_s, 4), "match_s": round(match_s, 4),
            "mb_per_s": round(mb / match_s, 3), "matches": matches}


def version(pkg):
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=pathlib.Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with open(args.dir / "entities.toml", "rb") as f:
        entities = tomllib.load(f).get("entity", [])
    forms = {}  # surface form -> id of the first entity that has it
    for e in entities:
        for form in [e["name"], *e.get("aliases", []), *e.get("weak_aliases", [])]:
            forms.setdefault(form, e["id"])

    paths = sorted(args.dir.rglob("*.txt"))
    if not paths:
        sys.exit(f"peers.py: no *.txt articles under {args.dir}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    corpus_bytes = sum(len(t.encode("utf-8")) for t in texts)
    mb = corpus_bytes / 1e6
    log(f"{len(entities)} entities, {len(forms)} forms, {len(texts)} articles, {mb:.2f} MB, "
        f"best of {args.repeat}")

    out = {"corpus_bytes": corpus_bytes, "articles": len(texts), "entities": len(entities),
           "forms": len(forms), "repeat": args.repeat}
    for name, bench in [("flashtext", bench_flashtext), ("spacy", bench_spacy)]:
        log(f"{name} ...")
        try:
            out[name] = bench(forms, texts, mb, args.repeat)
            log(f"{name}: {out[name]}")
        except ImportError as e:
            out[name] = {"error": f"{type(e).__name__}: {e}"}
            log(f"{name}: unavailable ({e})")
    out["versions"] = {"python": platform.python_version(),
                       "flashtext": version("flashtext"), "spacy": version("spacy")}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
