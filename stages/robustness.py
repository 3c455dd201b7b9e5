"""Stage robustness: how each experiment's test accuracy falls as the digits move away from MNIST's conditions.

The test images are turned, shifted, shrunk, enlarged, thinned, thickened,
made noisy, blurred and faded (``hiddennodes.evaluate.robustness``), each in
``robustness.levels`` steps up to the strongest severity set in params.yaml,
and every experiment reads every changed set. The random part of each change
(which way a digit turns or moves, its noise) is drawn once per image from
``seed``, so a curve follows the same digits getting worse, and a rerun gives
the same numbers. Writes the accuracies (metrics JSON), the curves, and one
test digit at every level of every change, so the severities can be seen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from common import atomic_path, load_arrays, read_json, run, write_json
from settings import load_params

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.evaluate.robustness import CHANGES, change_levels, draws, severities
from hiddennodes.figures.robustness import changed_examples_figure, robustness_figure
from hiddennodes.network.trained import load_network
from hiddennodes.parallel import save_figures, side_by_side


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, type=Path, help="folder with each experiment's <experiment>/network.npz")
    parser.add_argument("--test", required=True, type=Path, help="the prepared test.npz (pixels)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--metrics", required=True, type=Path)
    parser.add_argument("--curves-png", required=True, type=Path)
    parser.add_argument("--examples-png", required=True, type=Path)
    parser.add_argument("--levels", required=True, type=Path,
                        help="a folder: per experiment, its accuracy at every level of every change, as rows for `dvc plots`")
    args = parser.parse_args()
    params = load_params()
    settings = params.robustness
    info = read_json(args.dataset_info)
    test = load_arrays(args.test)
    images, labels = test["features"].reshape(-1, *IMAGE_SHAPE).astype(np.float32), test["labels"]
    readers = {name: load_network(args.models / name / "network.npz") for name in params.names}

    strongest = settings.strongest()
    levels = {name: severities(name, value, settings.levels) for name, value in strongest.items()}
    clean = {name: float(np.mean(reader.probabilities(images).argmax(axis=1) == labels)) for name, reader in readers.items()}
    curves = {name: {change: [clean[name]] for change in strongest} for name in readers}
    # One digit per change, a different one each, to show what the levels look like.
    shown = {change: index for index, change in enumerate(strongest)}
    examples = {change: [images[shown[change]]] for change in strongest}
    random = draws(len(images), params.seed)

    def read(item):
        """One changed set: its example digit and every experiment's accuracy on it."""
        change, _, severity = item
        changed = CHANGES[change].apply(images, severity, random)
        accuracies = {name: float(np.mean(reader.probabilities(changed).argmax(axis=1) == labels)) for name, reader in readers.items()}
        return changed[shown[change]].copy(), accuracies  # a copy: a view would keep the whole set alive

    # Each set is made and read on its own: side by side, one process a core, in order.
    sets = change_levels(strongest, settings.levels)
    for (change, _, _), (example, accuracies) in zip(sets, side_by_side(read, sets)):
        examples[change].append(example)
        for name, accuracy in accuracies.items():
            curves[name][change].append(accuracy)

    result = {
        "test_images": int(len(labels)),
        "severities": {change: {"unit": CHANGES[change].unit, **{str(level): round(float(value), 6) for level, value in enumerate(levels[change])}}
                       for change in strongest},
    }
    for name in readers:
        result[name] = {
            "clean": round(clean[name], 6),
            "strongest": {change: round(curves[name][change][-1], 6) for change in strongest},
            "levels": {change: {str(level): round(value, 6) for level, value in enumerate(curves[name][change])} for change in strongest},
        }
    write_json(args.metrics, result)
    # The same curves as data DVC draws (.dvc/plots/lines.json: a line per change), so that `dvc plots diff`
    # lays two experiments' curves over each other; level 0 is the test set as it is.
    with atomic_path(args.levels) as folder:
        folder.mkdir()
        for name in readers:
            write_json(folder / f"{name}.json", [{"line": change, "level": level, "accuracy": round(value, 6)}
                                                 for change in strongest for level, value in enumerate(curves[name][change])])
    units = {change: CHANGES[change].unit for change in strongest}
    save_figures([
        (args.curves_png, lambda: robustness_figure(
            {name: {change: np.array(values) for change, values in by_change.items()} for name, by_change in curves.items()},
            levels, units, f"{info['title']}: test accuracy as the images move away from the training conditions")),
        (args.examples_png, lambda: changed_examples_figure(
            examples, levels, units, f"{info['title']}:\neach change from none to the strongest")),
    ])
    for name in readers:
        print(name, result[name]["clean"], result[name]["strongest"])


if __name__ == "__main__":
    run(main)
