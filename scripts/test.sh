#!/usr/bin/env bash
# Install everything the tests need and run them (unit tests, real MNIST digits,
# the pipeline end to end, the report in headless Chromium).
#   bash scripts/test.sh            everything (what CI runs)
#   bash scripts/test.sh --quick    the quick layer while you work: no end-to-end pipeline, no browser
# Other arguments go to pytest (bash scripts/test.sh tests/test_idx.py -x). The tests run on one worker a core
# (pytest-xdist, a file's tests on one worker: the pipeline's share one project); TEST_WORKERS=0 runs them here.
quick=()
if [ "${1:-}" = "--quick" ]; then
    shift
    quick=(-m "not pipeline and not browser")
fi
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
command -v git >/dev/null || { echo "error: the end-to-end tests need git; install it (apt-get install git)." >&2; exit 1; }
if [ ${#quick[@]} = 0 ] && ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium (the report is checked in a headless browser)"
    (apt-get install -y -qq chromium || { apt-get update -qq && apt-get install -y -qq chromium; }) >/dev/null
fi
exec python -m pytest -n "${TEST_WORKERS:-logical}" --dist loadfile "${quick[@]}" "$@"
