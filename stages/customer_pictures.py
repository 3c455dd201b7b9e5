"""Stage customer_pictures: the test digits drawn as customers send them, and prepared as the prediction command prepares them.

The part of the customers' measure that no network enters: the first
``customers.digits`` test digits drawn under every condition of
``hiddennodes.conditions.catalogue`` at each of its strengths (scans, phone photos, JPEG
and HEIC, ruled paper, shadows, several digits in a row, ...), each encoded as
the file a phone or scanner writes and then read back as ``hiddennodes-predict``
reads a file: decoded, the ink found, each digit prepared as a 28x28 or the
picture refused with its reason. A stage of its own that reads only the test
digits and the drawing code, so a change of any network (``-S model.hidden=700``)
does not draw the pictures again; the ``customers`` stage answers them with
every network. The sets are independent (each has its own seeded generator), so
they are drawn in parallel, one process a core, and give the same arrays
whatever the number of cores. For a dataset whose classes are not the ten digits
(Fashion-MNIST) there is nothing to draw and the file says why.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from common import load_arrays, read_json, run, save_arrays
from settings import load_params

from hiddennodes.conditions.catalogue import CONDITIONS
from hiddennodes.data.datasets import DIGITS, IMAGE_SHAPE
from hiddennodes.evaluate.customer_pictures import draw_pictures, drawn_arrays


def draw_set(images: np.ndarray, condition: str, level: int, seed: int):
    # The examples figure shows each condition at its strongest only.
    return draw_pictures(images, condition, level, seed, picture=level == len(CONDITIONS[condition].levels) - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", required=True, type=Path, help="the prepared test.npz (pixels)")
    parser.add_argument("--dataset-info", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="the prepared pictures (.npz)")
    args = parser.parse_args()
    params = load_params()
    info = read_json(args.dataset_info)
    if tuple(info["class_names"]) != DIGITS:
        reason = f"the conditions draw handwritten digits on paper, and the classes of {info['title']} are not the ten digits."
        save_arrays(args.out, applicable=np.array(False), reason=np.array(reason))
        print(reason)
        return
    test = load_arrays(args.test)
    count = min(params.customers.digits, len(test["labels"]))
    images = np.round(test["features"][:count].reshape(-1, *IMAGE_SHAPE) * 255).astype(np.uint8)
    sets = [(condition, level) for condition, described in CONDITIONS.items() for level in range(len(described.levels))]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=min(len(sets), os.cpu_count() or 1)) as pool:
        drawn = list(pool.map(draw_set, *zip(*[(images, condition, level, params.seed) for condition, level in sets])))
    save_arrays(args.out, applicable=np.array(True), digits=np.array(count), **drawn_arrays(drawn))
    pictures = sum(len(one.prepared) for one in drawn)
    print(f"{pictures:,} pictures of {count} test digits under {len(CONDITIONS)} conditions, {len(sets)} sets, "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    run(main)
