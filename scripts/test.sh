#!/usr/bin/env bash
# Install everything the tests need and run them (unit tests, real MNIST digits, the pipeline end to end).
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
command -v git >/dev/null || { echo "error: the end-to-end tests need git; install it (apt-get install git)." >&2; exit 1; }
exec python -m pytest "$@"
