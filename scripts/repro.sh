#!/usr/bin/env bash
# Install everything the pipeline needs and run it.
#   bash scripts/repro.sh                                  # dvc repro with params.yaml (MNIST, downloads 11 MB)
#   bash scripts/repro.sh -S data.dataset=fashion_mnist    # dvc exp run with these changes (offline on Debian)
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"

wants_fashion() { [[ " $* " == *"data.dataset=fashion_mnist"* ]] || grep -qE '^\s+dataset:\s*fashion_mnist' params.yaml; }
if wants_fashion "$@" && [ ! -d /usr/share/datasets/fashion-mnist ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's dataset-fashion-mnist (the offline copy of Fashion-MNIST)"
    (apt-get install -y -qq dataset-fashion-mnist || { apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist; }) >/dev/null
fi

source scripts/dvc_run.sh "$@"
cat metrics/comparison.md
echo "The report: report.html (self-contained, open it in any browser)."
echo "Plots in plots/; 'dvc plots show' draws them all in dvc_plots/index.html; 'dvc exp show' lists every experiment."
