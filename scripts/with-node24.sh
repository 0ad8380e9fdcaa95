#!/usr/bin/env bash
# Runs a command of this project with Node 24 first on PATH.
#
# n8n 2.x and its n8n-workflow need Node 24, and the machines we build on may only have
# an older Node. Node 24 comes from the npm registry (the node-linux-<arch> package ships
# the binary and headers), into a cache folder outside the repo, so a fresh clone needs
# nothing but npm. The project's dependencies are installed the first time, and again
# whenever package-lock.json changes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_version=24.9.0
cache_dir=${SONARLY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-sonarly}

case "$(uname -m)" in
	x86_64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) echo "with-node24: unsupported CPU $(uname -m)" >&2; exit 1 ;;
esac

node_home="$cache_dir/node-$node_version/node_modules/node-linux-$arch"
if [ ! -x "$node_home/bin/node" ]; then
	echo "with-node24: installing Node $node_version from the npm registry into $cache_dir" >&2
	npm install --silent --no-save --no-package-lock --ignore-scripts \
		--prefix "$cache_dir/node-$node_version" "node-linux-$arch@$node_version" >&2
fi

export PATH="$root/node_modules/.bin:$node_home/bin:$PATH"
# Native modules (isolated-vm, sqlite3) must be built against Node 24's headers, not the
# system Node's that this machine's npm config points at.
export npm_config_nodedir="$node_home"
# A preinstall of n8n's lint plugin calls npx, which would otherwise wait for a prompt.
export npm_config_yes=true

stamp="$root/node_modules/.sonarly-installed"
if [ ! -f "$stamp" ] || [ "$root/package-lock.json" -nt "$stamp" ] || [ "$root/package.json" -nt "$stamp" ]; then
	echo "with-node24: installing the project's dependencies with Node $(node --version)" >&2
	if [ -f "$root/package-lock.json" ] && [ "${CI:-}" = "true" ]; then
		(cd "$root" && npm ci --no-audit --no-fund >&2)
	else
		(cd "$root" && npm install --no-audit --no-fund >&2)
	fi
	touch "$stamp"
fi

if [ "$#" -eq 0 ]; then
	exit 0
fi
cd "$root"
exec "$@"
