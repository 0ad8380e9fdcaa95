#!/usr/bin/env bash
# Installs the Debian packages the browser and queue-mode tests need (Chromium, Redis,
# PostgreSQL), once: nothing is done when they are already there. Needs root (CI and the
# development machines run as root); elsewhere it says what to install and fails.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ensure-system-packages: please install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
	exit 1
fi
echo "ensure-system-packages: installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2
