// The Dossier extension: starts `dossier lsp` for the articles and knowledge-base files of the
// corpora (folders with a `dossier.toml`) in the workspace, and adds commands and a status item.
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  type DocumentSelector,
  type FeatureState,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
  State,
  WorkDoneProgress,
  type WorkDoneProgressBegin,
  WorkDoneProgressCreateRequest,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from "vscode-languageclient/node";

import { corpusPatterns, readCorpusConfig, relativeGlob } from "./corpus";
import {
  findServer,
  notFoundMessage,
  parseIndexProgress,
  parseIndexSummary,
  summaryText,
} from "./discovery";

/** The server's tagging commands (src/lsp/tagging.rs): after them the knowledge base is saved. */
const TAGGING_COMMANDS = new Set(["dossier.tag", "dossier.addAlias", "dossier.untag", "dossier.assign"]);
/** Settings whose change restarts the client (trace.server is applied by the client itself). */
const RESTART_SETTINGS = ["dossier.path", "dossier.display", "dossier.candidateSeverity"];

interface Corpus {
  root: vscode.Uri;
  knowledge: vscode.Uri[];
  patterns: string[];
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let corpora: Corpus[] = [];
let context: vscode.ExtensionContext;
/** Per corpus root (as the server names it in its progress): the last indexing's counts. */
const counts = new Map<string, { entities: number; articles: number }>();
/** Restarts are queued so that two never overlap. */
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  output = vscode.window.createOutputChannel("Dossier");
  status = vscode.window.createStatusBarItem("dossier.status", vscode.StatusBarAlignment.Left, 10);
  status.name = "Dossier";
  status.command = "dossier.openKnowledgeBase";
  ctx.subscriptions.push(output, status);

  ctx.subscriptions.push(
    vscode.commands.registerCommand("dossier.restartServer", () => queue(restart)),
    vscode.commands.registerCommand("dossier.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("dossier.openKnowledgeBase", openKnowledgeBase),
    vscode.commands.registerCommand("dossier.tagSelection", tagSelection),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) {
        output.appendLine("Settings changed: restarting the server.");
        void queue(restart);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
  );
  // A corpus appears, goes, or changes its globs: the documents served change with it.
  const markers = vscode.workspace.createFileSystemWatcher("**/dossier.toml");
  const corporaChanged = () => {
    output.appendLine("A dossier.toml changed: restarting the server.");
    void queue(restart);
  };
  ctx.subscriptions.push(
    markers,
    markers.onDidCreate(corporaChanged),
    markers.onDidChange(corporaChanged),
    markers.onDidDelete(corporaChanged),
    vscode.workspace.onDidChangeWorkspaceFolders(corporaChanged),
  );
  await queue(start);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step).catch((err) => {
    output.appendLine(`Dossier: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  });
  return lifecycle;
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const old = client;
  client = undefined;
  void vscode.commands.executeCommand("setContext", "dossier.active", false);
  // The counts are the old server's: not shown as if they were the new one's.
  counts.clear();
  if (old) showStatus("$(loading~spin) Dossier", "Restarting the server", "dossier.showOutput");
  if (old && old.state !== State.Stopped) {
    try {
      await old.stop(5000);
    } catch (err) {
      output.appendLine(`Stopping the server: ${String(err)}`);
    }
  }
  await old?.dispose().catch(() => undefined);
}

/** The corpora of the workspace: each folder with a `dossier.toml`, and what it names. */
async function findCorpora(): Promise<Corpus[]> {
  const markers = await vscode.workspace.findFiles(
    "**/dossier.toml",
    "{**/node_modules/**,**/.git/**,**/target/**}",
    100,
  );
  const found: Corpus[] = [];
  for (const marker of markers) {
    const root = vscode.Uri.joinPath(marker, "..");
    let text = "";
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(marker));
    } catch {
      continue;
    }
    const config = readCorpusConfig(text);
    if (config.error) output.appendLine(`${marker.fsPath}: ${config.error} (the defaults are used)`);
    found.push({
      root,
      knowledge: config.knowledge.map((k) => vscode.Uri.joinPath(root, relativeGlob(k))),
      patterns: corpusPatterns(config),
    });
  }
  return found.sort((a, b) => a.root.fsPath.length - b.root.fsPath.length);
}

/**
 * Files the server serves: each corpus's articles and knowledge-base files, on disk (an untitled
 * buffer belongs to no corpus yet). The client hands a static selector's patterns to VS Code as
 * they are, so a `vscode.RelativePattern` goes in where the protocol's type says string: globs
 * relative to the corpus root, whatever characters its path holds.
 */
function selector(list: Corpus[]): DocumentSelector {
  return vscodeSelector(list).map((f) => ({
    scheme: "file",
    pattern: f.pattern as unknown as string,
  }));
}

function vscodeSelector(list: Corpus[]): vscode.DocumentFilter[] {
  return list.flatMap((c) =>
    c.patterns.map((p) => ({ scheme: "file", pattern: new vscode.RelativePattern(c.root, p) })),
  );
}

function inCorpus(doc: vscode.TextDocument | undefined): boolean {
  return doc !== undefined && vscode.languages.match(vscodeSelector(corpora), doc) > 0;
}

function updateContext(): void {
  const doc = vscode.window.activeTextEditor?.document;
  void vscode.commands.executeCommand("setContext", "dossier.inCorpus", inCorpus(doc));
}

async function start(): Promise<void> {
  corpora = await findCorpora();
  counts.clear();
  updateContext();
  if (corpora.length === 0) {
    showStatus("$(circle-slash) Dossier", "No dossier.toml in this workspace", undefined);
    output.appendLine("No dossier.toml in the workspace: the server is not started.");
    return;
  }
  const config = vscode.workspace.getConfiguration("dossier");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // A .vsix is a zip: the bundled server may come out of it without its executable bit.
  const bundled = vscode.Uri.joinPath(context.extensionUri, "server", process.platform === "win32" ? "dossier.exe" : "dossier").fsPath;
  try {
    if (fs.statSync(bundled).isFile()) fs.chmodSync(bundled, 0o755);
  } catch {
    // not a platform build
  }
  const found = findServer(config.get<string>("path"), {
    pathVar: process.env.PATH,
    home: os.homedir(),
    platform: process.platform,
    extensionDir: context.extensionPath,
    workspaceFolder: folder,
    isExecutable: (file) => {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    },
  });
  if (!found.found) {
    const message = notFoundMessage(found);
    output.appendLine(message);
    showStatus("$(error) Dossier", message, "dossier.showOutput", true);
    void vscode.window.showErrorMessage(message, "Open Setting", "Show Output").then((pick) => {
      if (pick === "Open Setting") {
        // In a remote window (code-server, SSH, WSL) the setting, scoped to the machine, lives
        // in the remote's settings, which the User tab does not show.
        if (vscode.env.remoteName) {
          void vscode.commands.executeCommand("workbench.action.openRemoteSettings", { query: "dossier.path" });
        } else {
          void vscode.commands.executeCommand("workbench.action.openSettings", "dossier.path");
        }
      } else if (pick === "Show Output") {
        output.show(true);
      }
    });
    return;
  }
  output.appendLine(`Starting ${found.command} lsp (found by ${found.source}) for ${corpora.map((c) => c.root.fsPath).join(", ")}`);
  const serverOptions: ServerOptions = {
    run: { command: found.command, args: ["lsp"] },
    debug: { command: found.command, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector(corpora),
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: {
      display: config.get<string>("display", "semanticTokens"),
      candidateSeverity: config.get<string>("candidateSeverity", "hint"),
    },
    middleware: {
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (TAGGING_COMMANDS.has(command)) await afterTagging(result);
        return result;
      },
    },
  };
  const next = new LanguageClient("dossier", "Dossier", serverOptions, clientOptions);
  next.registerFeature(new IndexingProgress(next));
  next.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === next) {
      showStatus("$(error) Dossier", "The server stopped. Click to see its output.", "dossier.showOutput", true);
    }
  });
  client = next;
  showStatus("$(loading~spin) Dossier", "Starting the server", "dossier.showOutput");
  try {
    await next.start();
  } catch (err) {
    showStatus("$(error) Dossier", `The server did not start: ${String(err)}`, "dossier.showOutput", true);
    void vscode.window.showErrorMessage(`Dossier: the server did not start (${String(err)}).`, "Show Output").then((pick) => {
      if (pick) output.show(true);
    });
    return;
  }
  void vscode.commands.executeCommand("setContext", "dossier.active", true);
  if (counts.size === 0) showStatus("$(loading~spin) Dossier", "Indexing", "dossier.showOutput");
}

function showStatus(text: string, tooltip: string, command: string | undefined, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.command = command;
  status.backgroundColor = error ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  status.show();
}

function showCounts(): void {
  let entities = 0;
  let articles = 0;
  const lines: string[] = [];
  for (const [root, c] of counts) {
    entities += c.entities;
    articles += c.articles;
    lines.push(`${root}: ${summaryText(c.entities, c.articles)}`);
  }
  showStatus(`$(book) ${summaryText(entities, articles)}`, `${lines.join("\n")}\nClick to open the knowledge base`, "dossier.openKnowledgeBase");
}

/**
 * The server's indexing progress, shown in the status bar and the window's progress area. It
 * takes over `window/workDoneProgress/create` (registered after the client's own feature, so
 * its handler is the one in force) to read the reports' counts.
 */
class IndexingProgress implements StaticFeature {
  constructor(private readonly lc: LanguageClient) {}
  fillClientCapabilities(): void {}
  getState(): FeatureState {
    return { kind: "static" };
  }
  clear(): void {}
  initialize(): void {
    this.lc.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      let root = "";
      let report: ((message: string | undefined, increment?: number) => void) | undefined;
      let finish: (() => void) | undefined;
      let last = 0;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: "Dossier" },
        (progress) =>
          new Promise<void>((resolve) => {
            report = (message, percentage) => {
              const increment = percentage !== undefined ? Math.max(0, percentage - last) : undefined;
              if (percentage !== undefined) last = percentage;
              progress.report({ message, increment });
            };
            finish = resolve;
          }),
      );
      const sub = this.lc.onProgress(WorkDoneProgress.type, token, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
        if (this.lc !== client) return;
        if (value.kind === "begin") {
          root = value.message ?? "";
          report?.(value.title, value.percentage);
          showStatus("$(loading~spin) Dossier: indexing", `Indexing ${root}`, "dossier.showOutput");
        } else if (value.kind === "report") {
          report?.(value.message, value.percentage);
          const p = parseIndexProgress(value.message);
          if (p) showStatus(`$(loading~spin) Dossier: ${p.done}/${p.total} articles`, `Indexing ${root}`, "dossier.showOutput");
        } else {
          finish?.();
          sub.dispose();
          const summary = parseIndexSummary(value.message);
          if (summary) {
            counts.set(root, summary);
            showCounts();
          }
        }
      });
      return null;
    });
  }
}

/**
 * After a tagging edit: the knowledge base is saved, or the user is told it is unsaved. (The
 * counts in the status item come from the server's progress, which every reindex reports.)
 */
async function afterTagging(result: unknown): Promise<void> {
  if (result !== true) return;
  const kbs = new Set(corpora.flatMap((c) => c.knowledge.map((k) => k.toString())));
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && kbs.has(d.uri.toString()));
  const save = vscode.workspace.getConfiguration("dossier").get<boolean>("saveKnowledgeBase", true);
  for (const doc of dirty) {
    const name = vscode.workspace.asRelativePath(doc.uri);
    if (save && (await doc.save())) {
      output.appendLine(`Tagging: saved ${name}.`);
      continue;
    }
    void vscode.window.showWarningMessage(`Dossier: ${name} has unsaved changes from tagging.`, "Save", "Open").then(async (pick) => {
      if (pick === "Save") await doc.save();
      if (pick === "Open") await vscode.window.showTextDocument(doc);
    });
  }
}

/** The corpus of a document: the deepest root above it. */
function corpusOf(uri: vscode.Uri | undefined): Corpus | undefined {
  if (!uri) return undefined;
  const matches = corpora.filter((c) => uri.fsPath.startsWith(c.root.fsPath + "/") || uri.fsPath === c.root.fsPath);
  return matches.sort((a, b) => b.root.fsPath.length - a.root.fsPath.length)[0];
}

async function openKnowledgeBase(): Promise<void> {
  const here = corpusOf(vscode.window.activeTextEditor?.document.uri);
  const files = here ? here.knowledge : corpora.flatMap((c) => c.knowledge);
  if (files.length === 0) {
    void vscode.window.showInformationMessage("Dossier: no corpus (dossier.toml) in this workspace.");
    return;
  }
  let file = files[0];
  if (files.length > 1) {
    const pick = await vscode.window.showQuickPick(
      files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
      { placeHolder: "Knowledge base to open" },
    );
    if (!pick) return;
    file = pick.uri;
  }
  await vscode.window.showTextDocument(file);
}

/** "Dossier: Tag Selection As…": the server's tagging actions for the selection, as a pick of kinds. */
async function tagSelection(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage("Dossier: select a name in an article first.");
    return;
  }
  if (!client || !inCorpus(editor.document)) {
    void vscode.window.showInformationMessage("Dossier: this file is not an article of a corpus.");
    return;
  }
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      "vscode.executeCodeActionProvider",
      editor.document.uri,
      editor.selection,
      // No kind: tagging a candidate name is a quick fix (it fixes the candidate's
      // diagnostic), tagging any other selection a refactor.
    )) ?? [];
  const tags = actions
    .map((a) => ("command" in a && typeof a.command === "object" ? a.command : undefined))
    .filter((c): c is vscode.Command => c?.command === "dossier.tag");
  if (tags.length === 0) {
    void vscode.window.showInformationMessage(
      `Dossier: «${editor.document.getText(editor.selection)}» cannot be tagged (already a mention, or not a name).`,
    );
    return;
  }
  const items = tags.map((c) => {
    const kind = ((c.arguments?.[0] as { kind?: string } | undefined)?.kind ?? "").toString();
    return { label: kind, description: c.title, command: c };
  });
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: `Tag «${editor.document.getText(editor.selection)}» as…`,
  });
  if (!pick) return;
  await vscode.commands.executeCommand(pick.command.command, ...(pick.command.arguments ?? []));
}
