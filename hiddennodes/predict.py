"""hiddennodes-predict: read your own pictures of digits with a trained experiment.

    hiddennodes-predict photo.jpg scans/            # exp3's model, a table
    hiddennodes-predict --experiment exp5 --json scans/
    hiddennodes-predict --save-prepared prepared/ photo.jpg

Run it in the project's folder after ``dvc repro``: it reads the experiment's
``models/expN/weights.npz`` (and ``models/pca.npz`` or ``models/pixels.npz``
for exp4 and exp5), ``metrics/expN/train.json`` and ``data/dataset.json``.
Each picture (PNG, JPEG or BMP, one digit, any size, dark ink on light paper
or the reverse) is prepared as MNIST's digits were (``hiddennodes.preprocess``)
and the network is run in NumPy. A file that cannot be read gets one line on
standard error and the others still run; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from hiddennodes.interpret import forward, input_map
from hiddennodes.preprocess import ImageError, prepare_digit

SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest a phone gives; beyond it is a mistake or an attack


def image_files(paths: list[Path]) -> list[Path]:
    """The files named, and the pictures inside the folders named, in a stable order."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(child for child in path.iterdir() if child.suffix.lower() in SUFFIXES and child.is_file())
        else:
            files.append(path)
    return files


def read_picture(path: Path) -> np.ndarray:
    """The picture's pixels (grey or RGB), or ImageError with one sentence saying why not."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise ImageError(f"{picture.width}x{picture.height} pixels is more than {MAX_PIXELS:,}; crop the picture to the digit.")
            if picture.mode.startswith("I"):  # 16- or 32-bit grey
                return np.asarray(picture, dtype=np.float64) / 65535.0
            return np.asarray(picture.convert("RGBA" if picture.has_transparency_data else "L"))
    except FileNotFoundError:
        raise ImageError("no such file.") from None
    except IsADirectoryError:
        raise ImageError("is a folder of no pictures.") from None
    except UnidentifiedImageError:
        raise ImageError("not an image Pillow can read; give a PNG, JPEG or BMP file.") from None
    except Image.DecompressionBombError:
        raise ImageError(f"more than {MAX_PIXELS:,} pixels; crop the picture to the digit.") from None
    except OSError as error:
        raise ImageError(f"cannot be read ({error}); is the file complete?") from None


class Reader:
    """A trained experiment, ready to read prepared 28x28 digits."""

    def __init__(self, project: Path, experiment: str):
        weights = project / "models" / experiment / "weights.npz"
        if not weights.is_file():
            raise FileNotFoundError(f"{weights} not found; run `dvc repro` first, or name another --experiment (exp1 to exp5).")
        with np.load(weights) as arrays:
            self.parameters = {key: arrays[key] for key in arrays.files}
        kind = json.loads((project / "metrics" / experiment / "train.json").read_text())["inputs"]
        inputs = self.parameters["hidden_kernel"].shape[0]
        if kind == "pca":
            with np.load(project / "models" / "pca.npz") as pca:
                self.matrix, self.offset = input_map(inputs, pca_components=pca["components"], pca_mean=pca["mean"])
        elif kind == "top pixels":
            with np.load(project / "models" / "pixels.npz") as pixels:
                self.matrix, self.offset = input_map(inputs, pixel_indices=pixels["indices"])
        else:
            self.matrix, self.offset = input_map(inputs)
        self.class_names = json.loads((project / "data" / "dataset.json").read_text())["class_names"]

    def features(self, digits: np.ndarray) -> np.ndarray:
        """The network's inputs for (n, 28, 28) digits in [0, 1]: pixels, PCA components or selected pixels."""
        flat = digits.reshape(len(digits), -1).astype(np.float32)
        if self.matrix is None:
            return flat
        inputs = flat @ self.matrix
        return (inputs if self.offset is None else inputs + self.offset).astype(np.float32)

    def probabilities(self, digits: np.ndarray) -> np.ndarray:
        return forward(self.parameters, self.features(digits))[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hiddennodes-predict", description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="+", type=Path, help="picture files or folders of them")
    parser.add_argument("--experiment", default="exp3", choices=[f"exp{number}" for number in range(1, 6)])
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    parser.add_argument("--json", action="store_true", help="one JSON list instead of a table")
    parser.add_argument("--save-prepared", type=Path, metavar="DIR", help="write the 28x28 images fed to the model here")
    args = parser.parse_args(argv)
    try:
        reader = Reader(args.project, args.experiment)
    except (FileNotFoundError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    files = image_files(args.images)
    if not files:
        print("error: no PNG, JPEG or BMP files found in the folders given.", file=sys.stderr)
        return 2
    prepared, names, failed = [], [], 0
    for path in files:
        try:
            prepared.append(prepare_digit(read_picture(path)))
            names.append(path)
        except ImageError as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            failed += 1
    rows = []
    if prepared:
        probabilities = reader.probabilities(np.stack(prepared))
        for path, digit, row in zip(names, prepared, probabilities):
            best, second = np.argsort(row)[::-1][:2]
            rows.append({
                "file": str(path), "predicted": reader.class_names[best], "probability": round(float(row[best]), 4),
                "runner_up": reader.class_names[second], "runner_up_probability": round(float(row[second]), 4),
            })
            if args.save_prepared:
                from PIL import Image

                args.save_prepared.mkdir(parents=True, exist_ok=True)
                Image.fromarray(np.round(digit * 255).astype(np.uint8)).save(args.save_prepared / f"{path.stem}.png")
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        width = max([len(row["file"]) for row in rows] + [4])
        print(f"{'file':<{width}}  predicted  probability  runner-up  probability")
        for row in rows:
            print(f"{row['file']:<{width}}  {row['predicted']:<9}  {row['probability']:>11.4f}  "
                  f"{row['runner_up']:<9}  {row['runner_up_probability']:>11.4f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
