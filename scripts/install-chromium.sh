#!/usr/bin/env bash
# Installs Debian's chromium package, which the routes page test (test/cli/routes-browser.test.ts)
# renders the self-contained SVG/HTML page in. Does nothing when a chromium is already on PATH
# (or CHROMIUM names one). Needs root (or sudo) and the Debian archive.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] && command -v "$CHROMIUM" >/dev/null 2>&1; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else echo "install-chromium: not root and no sudo: install Debian's chromium package by hand" >&2; exit 1; fi
fi
# One install at a time: parallel test files may all find chromium missing.
exec 9>/tmp/chime-voice-operator-install-chromium.lock
flock 9
if command -v chromium >/dev/null 2>&1; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
