#!/usr/bin/env bash
# The review workstation's browser test drives Debian's Chromium (/usr/bin/chromium), never a
# downloaded browser. Installs it when missing on a Debian host; elsewhere says what to do and fails.
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium
[[ -x "$CHROMIUM" ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: the browser test needs Chromium at $CHROMIUM, and this host has no apt-get to install it; install Chromium there (Debian: apt-get install chromium) and run again" >&2
  exit 1
fi
if ((EUID == 0)); then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-chromium: the browser test needs Chromium at $CHROMIUM; install it with: sudo apt-get install chromium" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium for the browser test" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$CHROMIUM" --version >&2
