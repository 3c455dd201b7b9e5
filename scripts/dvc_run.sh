#!/usr/bin/env bash
# Run the pipeline in the current DVC project: `dvc repro`, or with arguments `dvc exp run ARGS`.
# Sourced by repro.sh; on its own: bash scripts/dvc_run.sh [-S key=value ...]
#
# Before it reproduces, `dvc exp run` checks out every output dvc.lock records. On a project's first run there is
# no dvc.lock, so DVC warns once per output ("No file hash info found for '...'. It won't be created.", 189 lines
# here) before the first stage: nothing is missing, there is just nothing to check out yet. Those lines alone are
# left out then; with a dvc.lock the same warning means a cached output is missing, and it is shown.
if [ $# -eq 0 ]; then
    dvc repro
elif [ -f dvc.lock ]; then
    dvc exp run "$@"
else
    # stderr alone goes through the filter (stdout is passed round it on descriptor 3), a line at a time; the
    # status is DVC's (sourced under `set -e -o pipefail` the script stops here with it). DVC's progress bars, drawn
    # only on a terminal, are not drawn on this first run.
    { dvc exp run "$@" 2>&1 1>&3 3>&- | { grep --line-buffered -v "^WARNING: No file hash info found for '.*'\. It won't be created\.$" || true; } >&2; } 3>&1
    (exit "${PIPESTATUS[0]}")
fi
