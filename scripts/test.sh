#!/usr/bin/env bash
# Install everything the tests need and run them (unit tests, real MNIST digits,
# the pipeline end to end, the report in headless Chromium).
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
command -v git >/dev/null || { echo "error: the end-to-end tests need git; install it (apt-get install git)." >&2; exit 1; }
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium (the report is checked in a headless browser)"
    (apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }) >/dev/null
fi
exec python -m pytest "$@"
