// Finding the `dossier` binary: the setting, then the PATH the editor was started with, then
// `~/.cargo/bin`, then a binary bundled in the extension. No VS Code here: unit-tested with Node.
import * as path from "node:path";

export interface Environment {
  /** The PATH of the extension host (the login shell's, not necessarily a terminal's). */
  pathVar: string | undefined;
  home: string;
  platform: NodeJS.Platform;
  /** The extension's own folder, where a platform `.vsix` keeps `server/dossier`. */
  extensionDir: string;
  /** The first workspace folder, for `${workspaceFolder}` in the setting. */
  workspaceFolder?: string;
  /** Whether a file exists and can be run. */
  isExecutable(file: string): boolean;
}

export type Source = "setting" | "PATH" | "~/.cargo/bin" | "bundled";

export type Found =
  | { found: true; command: string; source: Source }
  | { found: false; tried: string[]; settingMissing?: string };

/** The binary's file name on a platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "dossier.exe" : "dossier";
}

/** `~` and `${workspaceFolder}` expanded in the `dossier.path` setting. */
export function expandSetting(value: string, env: Environment): string {
  let v = value.trim();
  if (v === "~" || v.startsWith("~/")) v = path.join(env.home, v.slice(1));
  if (env.workspaceFolder) v = v.split("${workspaceFolder}").join(env.workspaceFolder);
  return v;
}

function onPath(name: string, env: Environment): string | undefined {
  for (const dir of (env.pathVar ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (env.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where the server is, in the order the README documents. */
export function findServer(setting: string | undefined, env: Environment): Found {
  const name = binaryName(env.platform);
  if (setting && setting.trim() !== "") {
    const value = expandSetting(setting, env);
    // A bare name ("dossier") is looked up on the PATH, as a shell would.
    if (!value.includes("/") && !value.includes("\\")) {
      const hit = onPath(value, env);
      if (hit) return { found: true, command: hit, source: "setting" };
      return { found: false, tried: [`${value} on the PATH`], settingMissing: value };
    }
    const absolute = path.isAbsolute(value)
      ? value
      : path.resolve(env.workspaceFolder ?? env.home, value);
    if (env.isExecutable(absolute)) return { found: true, command: absolute, source: "setting" };
    return { found: false, tried: [absolute], settingMissing: absolute };
  }
  const tried: string[] = [];
  const hit = onPath(name, env);
  if (hit) return { found: true, command: hit, source: "PATH" };
  tried.push(`${name} on the PATH`);
  const cargo = path.join(env.home, ".cargo", "bin", name);
  if (env.isExecutable(cargo)) return { found: true, command: cargo, source: "~/.cargo/bin" };
  tried.push(cargo);
  const bundled = path.join(env.extensionDir, "server", name);
  if (env.isExecutable(bundled)) return { found: true, command: bundled, source: "bundled" };
  tried.push(bundled);
  return { found: false, tried };
}

/** The install command the not-found message names. */
export const INSTALL_HINT = "cargo install --path . (in a clone of Dossier)";

/** The one message shown when no server is found. */
export function notFoundMessage(result: Extract<Found, { found: false }>): string {
  if (result.settingMissing) {
    return (
      `Dossier: the server set in "dossier.path" was not found: ${result.settingMissing}. ` +
      `Fix the setting, or clear it and install the server with ${INSTALL_HINT}.`
    );
  }
  return (
    `Dossier: the language server was not found (looked for ${result.tried.join(", ")}). ` +
    `Set "dossier.path" to the dossier binary, or install it with ${INSTALL_HINT}.`
  );
}

/** Reads the server's progress end message, "5 articles, 48 entities". */
export function parseIndexSummary(
  message: string | undefined,
): { articles: number; entities: number } | undefined {
  const m = /(\d+) articles?, (\d+) entit(?:y|ies)/.exec(message ?? "");
  return m ? { articles: Number(m[1]), entities: Number(m[2]) } : undefined;
}

/** Reads a progress report, "3/5 articles". */
export function parseIndexProgress(
  message: string | undefined,
): { done: number; total: number } | undefined {
  const m = /(\d+)\/(\d+) articles?/.exec(message ?? "");
  return m ? { done: Number(m[1]), total: Number(m[2]) } : undefined;
}

/** The status-bar text once a corpus is indexed: "48 entities · 5 articles". */
export function summaryText(entities: number, articles: number): string {
  const e = entities === 1 ? "entity" : "entities";
  const a = articles === 1 ? "article" : "articles";
  return `${entities} ${e} · ${articles} ${a}`;
}
