"""hiddennodes-predict: read the digits in your own photos and scans with a trained experiment, or refuse them with a reason.

    hiddennodes-predict photo.jpg scans/            # the network that reads customers best, a table
    hiddennodes-predict --experiment exp5 --json scans/
    hiddennodes-predict --network models/exp4/network.npz photo.jpg
    hiddennodes-predict --save-prepared prepared/ photo.heic
    hiddennodes-predict --explain why/ photo.jpg     # which pixels made each answer, as a picture

Run it in the project's folder after ``dvc repro``. Without ``--experiment`` or ``--network`` it reads with
the network the customers stage found to read customers' pictures best (``reader`` in
``metrics/customers.json``: of those whose answers on clean pictures reach the calibration target, the one
that answers the most of them), and with params.yaml's ``reference`` where that does not apply (a dataset
that is not digits) or no network reaches the target; it says which above its table, and each JSON row
names it. It reads the experiment's network file (``models/<experiment>/network.npz``: weights, input map, class
names), the reject threshold in ``metrics/calibration.json`` and the limits in
``metrics/familiarity.json`` with the PCA they are measured in
(``data/inputs/pca/map.npz``); ``hiddennodes.cli.project`` names those paths.
A picture (PNG, JPEG, HEIC/HEIF, GIF, BMP, TIFF or WebP; a phone photo or a
scan, turned upright by its EXIF orientation) may hold one digit or a number
written side by side: each digit is found on the paper (``hiddennodes.reading.find_digits``),
prepared as MNIST's digits were and read by the network in NumPy, left to right.
A digit is refused, with the reason, when its prepared image looks like no
training digit or the network is less sure than the calibrated threshold; a
picture with no digit is refused with the reason. A file that cannot be read
gets one line on standard error and the others still run.

Exit status: 0 every digit answered; 1 some files could not be read; 2 the
experiment is not ready (run ``dvc repro``); 3 all files read, but some pictures
or digits refused.

``--explain DIR`` writes ``DIR/<picture>.png``: for each digit, its prepared
28x28 and the pixels that pushed the network toward its answer and toward its
runner-up (red up, blue down; ``hiddennodes.interpret.attributions``, measured against the
training digits kept in the network file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from hiddennodes import ImageError, PipelineError
from hiddennodes.cli.project import CALIBRATION, CUSTOMERS, FAMILIARITY, PCA_MAP, network_path, project_params
from hiddennodes.files import atomic_path, load_json, load_npz
from hiddennodes.network.trained import load_network
from hiddennodes.reading.decode import SUFFIXES
from hiddennodes.reading.reader import Answer, DigitReader, Prepared, prepare_picture


def image_files(paths: list[Path]) -> list[Path]:
    """The files named, and the pictures inside the folders named, in a stable order."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(child for child in path.iterdir() if child.suffix.lower() in SUFFIXES and child.is_file())
        else:
            files.append(path)
    return files


def read_file(path: Path) -> tuple[Prepared | None, str | None]:
    """The picture's prepared digits, or the one sentence that says why the file cannot be read."""
    try:
        with open(path, "rb") as handle:
            return prepare_picture(handle), None
    except FileNotFoundError:
        return None, "no such file."
    except IsADirectoryError:
        return None, "is a folder of no pictures."
    except PermissionError:
        return None, "cannot be opened: permission denied."
    except ImageError as error:
        return None, str(error)
    except Exception as error:  # one strange file must never stop the batch
        return None, f"could not be prepared ({type(error).__name__}: {error}); please report this file."


def _hard_words(reader: dict) -> str:
    """", hard ones ...% right" when the customers stage measured them (older files lack it)."""
    accuracy = reader.get("hard_accuracy_answered")
    return f"; hard ones {accuracy:.1%} right" if isinstance(accuracy, (int, float)) else ""


def default_experiment(project: Path, params) -> tuple[str, str]:
    """The experiment to read with when none is named, and why, in words (see the module)."""
    try:
        customers = load_json(project / CUSTOMERS, ("applicable",))
    except PipelineError:  # not there, or not the customers stage's: the reference reads, and the line says why
        customers = {}
    reader = customers.get("reader")
    if isinstance(reader, dict) and reader.get("experiment") in params.names:
        return reader["experiment"], (
            f"of the networks measured on customers' pictures it answers the most clean ones ({reader['clean_answered']:.1%}, "
            f"{reader['clean_accuracy_answered']:.1%} of them right{_hard_words(reader)}; {CUSTOMERS}); --experiment chooses another")
    if not customers:
        why = f"{CUSTOMERS} was not found or not read"
    elif not customers.get("applicable"):
        why = "customers' pictures are not measured for this dataset"
    else:
        why = "no network reaches the target accuracy on customers' clean pictures"
    return params.reference, f"params.yaml's reference ({why}); --experiment chooses another"


def load_reader(project: Path, network_file: Path, threshold: float | None = None) -> tuple[DigitReader, list[str]]:
    """The network in ``network_file`` with its two refusal checks, and the class names; SetupError names a missing file."""
    network = load_network(network_file)
    experiment = network.settings.get("experiment", "")
    calibration = load_json(project / CALIBRATION, (experiment,))
    if threshold is None:
        threshold = calibration[experiment].get("threshold")
    familiarity = load_json(project / FAMILIARITY, ("limits",))
    pca = load_npz(project / PCA_MAP, ("pca_components", "pca_mean"))
    reader = DigitReader(network, threshold, familiarity["limits"], pca["pca_components"], pca["pca_mean"],
                         calibration.get("target_accuracy", 0.99))
    return reader, list(network.class_names)


def picture_row(path: Path, prepared: Prepared, answers: list[Answer], class_names: list[str]) -> dict:
    """One picture's result as the JSON output gives it."""
    joiner = "" if all(len(name) == 1 for name in class_names) else " "
    digits = [{
        "position": position, "box": list(box),
        "predicted": class_names[answer.predicted], "probability": round(answer.probability, 4),
        "runner_up": class_names[answer.runner_up], "runner_up_probability": round(answer.runner_up_probability, 4),
        "answered": answer.answered, "refusal": answer.refusal,
    } for position, (box, answer) in enumerate(zip(prepared.boxes, answers), start=1)]
    number = joiner.join(digit["predicted"] if digit["answered"] else "?" for digit in digits) if digits else None
    return {"file": str(path), "number": number, "answered": bool(digits) and all(digit["answered"] for digit in digits),
            "refusal": prepared.refusal, "digits": digits}


def table(rows: list[dict]) -> str:
    """The rows as a plain table: a line per digit, or one for a picture refused whole."""
    headers = ["file", "number", "digit", "predicted", "probability", "runner-up", "probability", "answer"]
    lines = []
    for row in rows:
        number = row["number"] or "-"
        if not row["digits"]:
            lines.append([row["file"], number, "-", "-", "-", "-", "-", f"refused: {row['refusal']}"])
        for digit in row["digits"]:
            answer = "yes" if digit["answered"] else f"refused: {digit['refusal']}"
            lines.append([row["file"], number, f"{digit['position']}/{len(row['digits'])}", digit["predicted"],
                          f"{digit['probability']:.4f}", digit["runner_up"], f"{digit['runner_up_probability']:.4f}", answer])
    widths = [max(len(str(cells[column])) for cells in [headers] + lines) for column in range(len(headers) - 1)]
    return "\n".join("  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths)) + "  " + cells[-1] for cells in [headers] + lines)


def save_prepared(folder: Path, path: Path, prepared: Prepared, used: set[str]) -> None:
    """Each digit's 28x28 as the network got it: ``stem.png``, or ``stem-1.png``, ... for several digits."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    stem = path.stem
    while stem in used:  # two pictures of the same name in different folders
        stem += "_"
    used.add(stem)
    for position, digit in enumerate(prepared.digits, start=1):
        name = f"{stem}.png" if len(prepared.digits) == 1 else f"{stem}-{position}.png"
        with atomic_path(folder / name, suffix=".png") as temporary:
            Image.fromarray(np.round(digit * 255).astype(np.uint8)).save(temporary, format="PNG")


def save_explanation(folder: Path, path: Path, prepared: Prepared, answers: list[Answer], network, class_names: list[str],
                     used: set[str]) -> Path:
    """``folder/<stem>.png``: each digit of the picture with its attributions toward its answer and its runner-up."""
    from hiddennodes.figures.attributions import attribution_rows_figure
    from hiddennodes.interpret.attributions import attribute

    digits = np.asarray(prepared.digits, dtype=np.float32).reshape(len(prepared.digits), -1)
    answer = np.array([item.predicted for item in answers])
    runner_up = np.array([item.runner_up for item in answers])
    toward = attribute(network, np.concatenate([digits, digits]), np.concatenate([answer, runner_up]))
    figure = attribution_rows_figure(
        digits, toward[: len(digits)], toward[len(digits):],
        [f"digit {position} of {len(digits)}" for position in range(1, len(digits) + 1)],
        [f"toward {class_names[item.predicted]} ({item.probability:.0%}, {'its answer' if item.answered else 'refused'})"
         for item in answers],
        [f"toward {class_names[item.runner_up]} ({item.runner_up_probability:.0%}, the runner-up)" for item in answers],
        f"{path.name}: which pixels made each answer")
    folder.mkdir(parents=True, exist_ok=True)
    stem = path.stem
    while stem in used:
        stem += "_"
    used.add(stem)
    target = folder / f"{stem}.png"
    with atomic_path(target, suffix=".png") as temporary:
        figure.savefig(temporary, dpi=100)
    return target


def prepare_all(files: list[Path], jobs: int) -> list[tuple[Prepared | None, str | None]]:
    """Every file read and prepared, in order; in ``jobs`` processes when there are enough files to pay for them."""
    if jobs <= 1 or len(files) < 4 * jobs:
        return [read_file(path) for path in files]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(read_file, files, chunksize=16))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hiddennodes-predict", description=__doc__.splitlines()[0],
                                     epilog="Exit status: 0 all answered, 1 some files unreadable, 2 experiment not ready, "
                                            "3 some pictures or digits refused.")
    parser.add_argument("images", nargs="+", type=Path, help="picture files or folders of them")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--experiment", help="an experiment of params.yaml (default: the one that reads customers' "
                                             "pictures best, metrics/customers.json; else params.yaml's reference)")
    choice.add_argument("--network", type=Path, metavar="FILE", help="a network file (models/<experiment>/network.npz)")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    parser.add_argument("--json", action="store_true", help="one JSON list instead of a table")
    parser.add_argument("--save-prepared", type=Path, metavar="DIR", help="write the 28x28 images fed to the model here")
    parser.add_argument("--threshold", type=float, metavar="P",
                        help="answer only at this probability or above (default: the calibration stage's; 0 answers all)")
    parser.add_argument("--explain", type=Path, metavar="DIR",
                        help="write each picture's attributions (why this answer, why not the runner-up) as DIR/<picture>.png")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes that prepare pictures (default: one per core)")
    args = parser.parse_args(argv)
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        parser.error(f"--threshold {args.threshold:g} is not a probability; give a number from 0 to 1.")
    chosen = None  # why the experiment read with is the one, when the command chose it
    try:
        network_file = args.network
        if network_file is None:
            params = project_params(args.project)
            if args.experiment:
                experiment = params.experiment(args.experiment).name
            else:
                experiment, why = default_experiment(args.project, params)
                chosen = f"Read with {experiment}: {why}."
            network_file = args.project / network_path(experiment)
        reader, class_names = load_reader(args.project, network_file, args.threshold)
        experiment = reader.network.settings.get("experiment", "")
        if args.explain and reader.network.background is None:
            print(f"warning: {network_file} keeps no training digits to measure attributions against (it was written before "
                  "attributions existed): --explain measures them against a blank page; retrain it for the usual background.",
                  file=sys.stderr)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    files = image_files(args.images)
    if not files:
        print("error: no pictures found in the folders given (" + ", ".join(SUFFIXES) + ").", file=sys.stderr)
        return 2
    rows, failed, used, explained = [], 0, set(), set()
    results = prepare_all(files, args.jobs)
    pictures = [(path, prepared) for path, (prepared, _) in zip(files, results) if prepared is not None]
    for path, (_, error) in zip(files, results):
        if error is not None:
            print(f"error: {path}: {error}", file=sys.stderr)
            failed += 1
    digits = [prepared.digits for _, prepared in pictures]
    answers = reader.answer(np.concatenate(digits)) if digits else []
    start = 0
    for path, prepared in pictures:
        count = len(prepared.digits)
        rows.append({"experiment": experiment, **picture_row(path, prepared, answers[start : start + count], class_names)})
        start += count
        if args.save_prepared:
            save_prepared(args.save_prepared, path, prepared, used)
        if args.explain and count:
            rows[-1]["explanation"] = str(save_explanation(args.explain, path, prepared, answers[start - count : start],
                                                           reader.network, class_names, explained))
    if args.json:
        print(json.dumps(rows, indent=2))
    elif rows:
        print((f"{chosen}\n\n" if chosen else "") + table(rows))
    if failed:
        return 1
    return 0 if all(row["answered"] for row in rows) else 3


if __name__ == "__main__":
    sys.exit(main())
