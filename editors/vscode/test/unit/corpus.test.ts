import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { corpusPatterns, readCorpusConfig } from "../../src/corpus";

test("the seed corpus: its globs and its knowledge base, not every .toml", () => {
  const seeds = path.resolve(__dirname, "..", "..", "..", "..", "seeds", "dossier.toml");
  const config = readCorpusConfig(readFileSync(seeds, "utf8"));
  assert.deepEqual(config.articles, ["**/*.txt", "**/*.md"]);
  assert.deepEqual(config.knowledge, ["entities.toml"]);
  const patterns = corpusPatterns(config);
  assert.deepEqual(patterns, ["**/*.txt", "**/*.md", "entities.toml"]);
  assert.ok(!patterns.some((p) => p.endsWith("*.toml")), "a glob that takes every .toml");
});

test("defaults where keys are absent, and where the file does not parse", () => {
  assert.deepEqual(corpusPatterns(readCorpusConfig("")), ["**/*.txt", "**/*.md", "entities.toml"]);
  const broken = readCorpusConfig("articles = [");
  assert.ok(broken.error);
  assert.deepEqual(broken.knowledge, ["entities.toml"]);
});

test("paths are made relative globs", () => {
  const c = readCorpusConfig('articles = ["./news/*.txt"]\nknowledge = ["kb\\\\people.toml", "./kb/places.toml"]');
  assert.deepEqual(corpusPatterns(c), ["news/*.txt", "kb/people.toml", "kb/places.toml"]);
});
