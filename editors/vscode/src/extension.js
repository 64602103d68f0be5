// Starts `dossier lsp` for plain-text, Markdown and TOML files of the workspace.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("dossier");
  const command = config.get("path", "dossier");
  client = new LanguageClient(
    "dossier",
    "Dossier",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "plaintext" },
        { scheme: "file", language: "markdown" },
        { scheme: "file", pattern: "**/*.toml" },
      ],
      initializationOptions: {
        display: "semanticTokens",
        candidateSeverity: config.get("candidateSeverity", "hint"),
      },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
