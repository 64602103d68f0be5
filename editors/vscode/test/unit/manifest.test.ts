// The manifest against the server: the contributed token types and modifiers are the legend
// the server announces (read from its source), and the colouring follows the rules of issue 11.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const here = path.resolve(__dirname, "..", "..");
const repo = path.resolve(here, "..", "..");
const manifest = JSON.parse(readFileSync(path.join(here, "package.json"), "utf8"));
const contributes = manifest.contributes;

/** The server's token types: `Kind::ALL` in order, each spelled by `Kind::as_str`. */
function serverTypes(): string[] {
  const kind = readFileSync(path.join(repo, "src/kb/kind.rs"), "utf8");
  const all = /pub const ALL: \[Kind; \d+\] = \[([^\]]*)\]/.exec(kind);
  assert.ok(all, "Kind::ALL not found in src/kb/kind.rs");
  const variants = [...all[1].matchAll(/Kind::(\w+)/g)].map((m) => m[1]);
  const spelled = new Map([...kind.matchAll(/Kind::(\w+) => "(\w+)"/g)].map((m) => [m[1], m[2]]));
  return variants.map((v) => {
    const s = spelled.get(v);
    assert.ok(s, `no as_str for Kind::${v}`);
    return s;
  });
}

/** The server's token modifiers, in legend order, and their bits. */
function serverModifiers(): string[] {
  const tokens = readFileSync(path.join(repo, "src/lsp/semantic_tokens.rs"), "utf8");
  return [...tokens.matchAll(/SemanticTokenModifier::new\("(\w+)"\)/g)].map((m) => m[1]);
}

test("contributed token types are the server's legend", () => {
  const ids = contributes.semanticTokenTypes.map((t: { id: string }) => t.id);
  assert.deepEqual(ids, serverTypes());
  assert.deepEqual(serverTypes(), ["person", "organization", "place", "initiative", "event", "product"]);
});

test("contributed token modifiers are the server's legend", () => {
  const ids = contributes.semanticTokenModifiers.map((t: { id: string }) => t.id);
  assert.deepEqual(ids, serverModifiers());
  assert.deepEqual(ids, ["ambiguous", "weak"]);
});

test("no token type is its own super type (the ~10 s freeze of the old manifest)", () => {
  const ids = new Set(contributes.semanticTokenTypes.map((t: { id: string }) => t.id));
  for (const t of contributes.semanticTokenTypes) {
    assert.notEqual(t.superType, t.id, `${t.id} has itself as superType`);
    // A super type that is one of ours would be a cycle waiting to happen too.
    assert.ok(t.superType === undefined || !ids.has(t.superType), `${t.id} -> ${t.superType}`);
  }
});

test("every kind maps to its own TextMate scope", () => {
  const scopes = contributes.semanticTokenScopes[0].scopes as Record<string, string[]>;
  const kinds = serverTypes();
  for (const kind of kinds) assert.ok(scopes[kind]?.length, `no scope for ${kind}`);
  const firsts = kinds.map((k) => scopes[k][0]);
  assert.equal(new Set(firsts).size, kinds.length, `scopes shared: ${firsts.join(", ")}`);
  // The default themes paint all entity.name.{type,class,namespace} in one colour: at most one
  // kind may use that family.
  const teal = firsts.filter((s) => /^entity\.name\.(type|class|namespace)/.test(s) || /^support\.(type|class)/.test(s));
  assert.ok(teal.length <= 1, `several kinds in the theme's one type colour: ${teal.join(", ")}`);
});

test("weak and ambiguous mentions are styled apart", () => {
  const rules = contributes.configurationDefaults["editor.semanticTokenColorCustomizations"].rules;
  assert.deepEqual(rules["*.weak"], { italic: true });
  assert.deepEqual(rules["*.ambiguous"], { underline: true });
});

test("activation and commands", () => {
  assert.deepEqual(manifest.activationEvents, ["workspaceContains:**/dossier.toml"]);
  const commands = contributes.commands.map((c: { category?: string; title: string }) => `${c.category ?? ""}: ${c.title}`);
  for (const title of ["Restart Server", "Open Knowledge Base", "Show Output", "Tag Selection As…"]) {
    assert.ok(commands.includes(`Dossier: ${title}`), `missing command Dossier: ${title}`);
  }
  assert.equal(manifest.main, "./dist/extension.js");
  assert.ok(manifest.dependencies["vscode-languageclient"].startsWith("^9."));
  assert.ok(manifest.devDependencies["@vscode/vsce"]);
});
