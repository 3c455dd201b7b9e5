"""Benchmark: the explorer page in headless Chromium (Playwright on Debian's chromium).

    python benchmarks/explorer.py --project .          # the pipeline's explorer.html and network files
    python benchmarks/explorer.py --project DIR --digits 20
    python benchmarks/explorer.py --project DIR --screenshots docs   # also docs/explorer_<exp>.png, a real digit drawn
    python benchmarks/explorer.py --random-only        # only 2.: no project needed

Printed:
1. per experiment of the project's ``explorer.html``: its share of the page's
   bytes, the page's forward pass against NumPy's on 1,000 real test digits
   (largest probability difference, classes that differ), and the time a pen
   stroke takes to update everything (the page's ``update``: preparation,
   forward pass, every node's tile, the bars, the views; ``performance.now()``
   in the page) while real test digits are drawn with pointer events;
2. the same stroke timings on random-weight pages of 128 and 700 nodes (the
   work does not depend on what the weights are), and on a convolutional one of
   the study's size (16 then 32 filters of 5x5, each max-pooled 2x2, 128 nodes);
3. the time from navigation to a usable page;
4. the preparation against the prediction command's on 500 real digits
   rendered as clean 128x128 pictures, and on 100 at 284 and 416 pixels a side:
   classes that agree, mean absolute pixel difference.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import find_chromium, launch_args, visit  # noqa: E402
from explorer_pages import clean_picture, conv_network, digit_strokes, draw_strokes, page_html, random_network  # noqa: E402

from hiddennodes.data.checks import verify  # noqa: E402
from hiddennodes.data.datasets import DATASETS  # noqa: E402
from hiddennodes.network.trained import load_network  # noqa: E402
from hiddennodes.reading.prepare import prepare_digit  # noqa: E402

READY = "document.body.dataset.ready === 'yes'"


def real_digits(folder: Path) -> np.ndarray:
    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (folder / "t10k-images-idx3-ubyte.gz").read_bytes())
    return (images.reshape(-1, 784) / 255).astype(np.float32)


def stroke_times(page, digits: np.ndarray) -> np.ndarray:
    page.evaluate("explorer.timings.length = 0")
    for digit in digits:
        page.click("#clear")
        draw_strokes(page, *digit_strokes(digit), every=3)  # a move every 3 pad pixels: as a hand delivers them
    return np.array(page.evaluate("explorer.timings"))


def row(name: str, times: np.ndarray) -> str:
    return f"| {name} | {len(times)} | {np.median(times):.2f} | {np.percentile(times, 95):.2f} | {times.max():.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="a project folder after dvc repro (explorer.html, models/)")
    parser.add_argument("--mnist", type=Path, default=ROOT.parent / "shared" / "data" / "mnist-t10k")
    parser.add_argument("--digits", type=int, default=10, help="real test digits drawn per experiment for the timings")
    parser.add_argument("--pictures", type=int, default=500)
    parser.add_argument("--screenshots", type=Path, help="save explorer_<experiment>.png here: the page with a real test digit drawn")
    parser.add_argument("--random-only", action="store_true", help="only the random-weight pages' stroke timings (no project)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    digits = real_digits(args.mnist)
    drawn = digits[-args.digits:]
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(**launch_args(find_chromium()))
        random_pages(browser, Path(scratch), digits, drawn)
        if not args.random_only:
            project_page(browser, args, digits)
        browser.close()


def random_pages(browser, scratch: Path, digits: np.ndarray, drawn: np.ndarray) -> None:
    print("## Random-weight pages (one experiment each, 784 pixel inputs)\n")
    print("| network | page (MB) | updates | median (ms) | 90th (ms) | 95th (ms) | max (ms) | opens in (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    labels = np.arange(len(digits)) % 10
    networks = {"dense, 128 nodes": random_network(128), "dense, 700 nodes": random_network(700),
                "convolutional: 16 then 32 filters of 5×5, pooled 2×2, 128 nodes": conv_network(128, filters=(16, 32))}
    for index, (name, network) in enumerate(networks.items()):
        path = scratch / f"random{index}.html"
        path.write_text(page_html({"exp3": (network, name)}, digits[:5000], labels[:5000], digits[5000:6000], labels[5000:6000]))
        with visit(browser, path) as seen:
            seen.page.wait_for_function(READY)
            ready = seen.page.evaluate("explorer.readyAt")
            times = stroke_times(seen.page, drawn)
            assert not seen.console_errors and not seen.outside_requests, (seen.console_errors, seen.outside_requests)
        print(f"| {name} | {path.stat().st_size / 1e6:.2f} | {len(times)} | {np.median(times):.2f} | {np.percentile(times, 90):.2f} | "
              f"{np.percentile(times, 95):.2f} | {times.max():.2f} | {ready:.0f} |")
    print()


def project_page(browser, args, digits: np.ndarray) -> None:
    drawn, checked = digits[-args.digits:], digits[:1000]
    page_path = args.project / "explorer.html"
    text = page_path.read_text()
    data = json.loads(re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', text, re.S).group(1))
    print(f"## {page_path}: {len(text) / 1e6:.2f} MB, {len(data['experiments'])} experiments\n")
    print("| experiment | hidden nodes | its bytes (MB) | max probability difference vs NumPy (1,000 digits) | classes differing | stroke update median (ms) | 95th (ms) |")
    print("|---|---|---|---|---|---|---|")
    opened = []
    with visit(browser, page_path) as seen:
        page = seen.page
        page.wait_for_function(READY)
        opened.append(page.evaluate("explorer.readyAt"))
        for payload in data["experiments"]:
            name = payload["name"]
            network = load_network(args.project / "models" / name / "network.npz")
            page.locator(f"#experiments button[data-name={name}]").click()
            result = page.evaluate("([n, flat, count]) => explorer.run(n, flat, count)", [name, checked.ravel().tolist(), len(checked)])
            ours, numpy = np.array(result["probabilities"]), network.probabilities(checked)
            times = stroke_times(page, drawn)
            if args.screenshots:
                page.screenshot(path=args.screenshots / f"explorer_{name}.png", full_page=True)
            size = len(json.dumps(payload, separators=(",", ":"))) / 1e6
            print(f"| {name} | {payload['units']} | {size:.2f} | {np.abs(ours - numpy).max():.1e} | "
                  f"{int((ours.argmax(1) != numpy.argmax(1)).sum())} | {np.median(times):.2f} | {np.percentile(times, 95):.2f} |")
        assert not seen.console_errors and not seen.outside_requests, (seen.console_errors, seen.outside_requests)

    print(f"\nThe project's page was usable {opened[0]:.0f} ms after navigation began.")

    reference = load_network(args.project / "models" / data["reference"] / "network.npz")
    print(f"\n## Preparation of real test digits as clean pictures (dark on white), {data['reference']}: "
          "the page's against the prediction command's\n")
    print("| picture | digits | same class | mean absolute pixel difference | largest |")
    print("|---|---|---|---|---|")
    # 128 pixels a side is the command's crop of one digit; larger pictures take more of its steps for photos.
    for factor, margin, count in ((4, 8, args.pictures), (8, 30, args.pictures // 5), (12, 40, args.pictures // 5)):
        same, differences = 0, []
        with visit(browser, page_path) as seen:
            seen.page.wait_for_function(READY)
            for digit in digits[-count:]:
                picture = clean_picture(digit, factor=factor, margin=margin)
                command = prepare_digit(picture).ravel()
                mine = np.array(seen.page.evaluate("([g, w, h]) => explorer.preparePicture(g, w, h)",
                                                   [(picture.ravel() / 255).tolist(), picture.shape[1], picture.shape[0]]), dtype=np.float32)
                same += int(reference.probabilities(command[None]).argmax() == reference.probabilities(mine[None]).argmax())
                differences.append(np.abs(command - mine).mean())
        print(f"| {picture.shape[1]}×{picture.shape[0]} | {count} | {same} ({100 * same / count:.1f}%) | "
              f"{np.mean(differences):.4f} | {np.max(differences):.4f} |")


if __name__ == "__main__":
    main()
