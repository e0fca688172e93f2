#!/usr/bin/env bash
# Installs what the test suite needs beyond Go: Debian's chromium for the
# end-to-end browser test. Needs root (or passwordless sudo) to install;
# without it the browser test is skipped locally (CI requires it).
set -u
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "deps: chromium is not installed and this user cannot install it; the browser test will be skipped" >&2
    exit 0
  fi
fi
if command -v apt-get >/dev/null 2>&1; then
  echo "deps: installing chromium (Debian package) for the browser test" >&2
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || echo "deps: could not install chromium; the browser test will be skipped" >&2
fi
exit 0
