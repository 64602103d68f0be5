import { test } from "node:test";
import * as assert from "node:assert/strict";

import {
  findServer,
  notFoundMessage,
  parseIndexProgress,
  parseIndexSummary,
  summaryText,
  type Environment,
} from "../../src/discovery";

function env(files: string[], pathVar = "/usr/bin:/opt/tools/bin"): Environment {
  return {
    pathVar,
    home: "/home/ann",
    platform: "linux",
    extensionDir: "/ext/dossier",
    workspaceFolder: "/work/news",
    isExecutable: (f) => files.includes(f),
  };
}

test("the setting wins, with ~ and ${workspaceFolder} expanded", () => {
  const all = ["/home/ann/bin/dossier", "/work/news/bin/dossier", "/usr/bin/dossier"];
  assert.deepEqual(findServer("~/bin/dossier", env(all)), { found: true, command: "/home/ann/bin/dossier", source: "setting" });
  assert.deepEqual(findServer("${workspaceFolder}/bin/dossier", env(all)), { found: true, command: "/work/news/bin/dossier", source: "setting" });
  assert.deepEqual(findServer("dossier", env(all)), { found: true, command: "/usr/bin/dossier", source: "setting" });
});

test("a setting naming a missing file is reported as such, not silently replaced", () => {
  const r = findServer("/nowhere/dossier", env(["/usr/bin/dossier"]));
  assert.equal(r.found, false);
  if (!r.found) {
    assert.equal(r.settingMissing, "/nowhere/dossier");
    assert.match(notFoundMessage(r), /"dossier\.path".*\/nowhere\/dossier.*cargo install --path \./);
  }
});

test("then the PATH, then ~/.cargo/bin, then the bundled binary", () => {
  assert.deepEqual(findServer("", env(["/opt/tools/bin/dossier", "/home/ann/.cargo/bin/dossier"])), { found: true, command: "/opt/tools/bin/dossier", source: "PATH" });
  assert.deepEqual(findServer(undefined, env(["/home/ann/.cargo/bin/dossier", "/ext/dossier/server/dossier"])), { found: true, command: "/home/ann/.cargo/bin/dossier", source: "~/.cargo/bin" });
  assert.deepEqual(findServer(undefined, env(["/ext/dossier/server/dossier"], "")), { found: true, command: "/ext/dossier/server/dossier", source: "bundled" });
});

test("nothing found: one message naming the setting and the install command", () => {
  const r = findServer(undefined, env([]));
  assert.equal(r.found, false);
  if (!r.found) {
    const m = notFoundMessage(r);
    assert.match(m, /dossier\.path/);
    assert.match(m, /cargo install --path \./);
    assert.match(m, /\/home\/ann\/\.cargo\/bin\/dossier/);
  }
});

test("the server's progress messages are read into counts", () => {
  assert.deepEqual(parseIndexSummary("5 articles, 48 entities"), { articles: 5, entities: 48 });
  assert.deepEqual(parseIndexSummary("1 article, 1 entity"), { articles: 1, entities: 1 });
  assert.equal(parseIndexSummary("indexing"), undefined);
  assert.deepEqual(parseIndexProgress("3/5 articles"), { done: 3, total: 5 });
  assert.equal(summaryText(48, 5), "48 entities · 5 articles");
  assert.equal(summaryText(1, 1), "1 entity · 1 article");
});
