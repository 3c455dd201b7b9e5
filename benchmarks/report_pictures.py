"""The README's and docs' pictures of a project's report, taken in headless Chromium as a reader sees them.

    python benchmarks/report_pictures.py --project DIR --out docs

Opens ``DIR/report.html`` (requests leaving the page aborted and recorded, as the tests do), opens a section
with a real click on its title, and saves the top of it: ``report_classes.png`` (the reference experiment's
section: what carries each class) and ``report_customers.png`` (customers' digits). Fails if the page logged a
console error or asked for anything outside it. ``report_answer.png`` is the page's answer, as it opens (no click). The figures the docs show as they are (the comparison, exp2's
scatter, exp3's t-SNE map, preferred inputs and attributions) are copied from ``DIR/plots``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import find_chromium, launch_args, visit  # noqa: E402

SECTIONS = {"report_classes.png": "{reference}", "report_customers.png": "customers"}
COPIED = {"comparison.png": "plots/comparison.png", "exp2_scatter.png": "plots/exp2/hidden/scatter_true.png",
          "exp3_tsne.png": "plots/exp3/hidden/tsne.png", "exp3_class_preferred.png": "plots/exp3/nodes/class_preferred.png",
          "exp3_attributions.png": "plots/attributions/exp3/classes.png"}
HEIGHT = 1400  # the top of a section: its title, its first sentences and its first figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    reference = yaml.safe_load((args.project / "params.yaml").read_text())["reference"]
    for name, source in COPIED.items():
        if not (args.project / source).is_file():
            sys.exit(f"error: {args.project / source} is missing; run dvc repro in the project first.")
        shutil.copyfile(args.project / source, args.out / name)
    chromium = find_chromium()
    if chromium is None:
        sys.exit("error: chromium is missing (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_args(chromium))
        with visit(browser, args.project / "report.html", viewport=(1400, HEIGHT)) as seen:
            top, height = seen.page.evaluate("(() => { const r = document.getElementById('answer').getBoundingClientRect(); "
                                             "return [r.top + window.scrollY, r.height]; })()")
            seen.page.screenshot(path=str(args.out / "report_answer.png"),
                                 clip={"x": 0, "y": top, "width": 1400, "height": min(height, HEIGHT)}, full_page=True)
            if seen.console_errors or seen.outside_requests:
                sys.exit(f"error: report_answer.png: console errors {seen.console_errors}, outside requests {seen.outside_requests}")
        print(f"{args.out / 'report_answer.png'}: the answer the page opens on")
        for name, anchor in SECTIONS.items():
            anchor = anchor.format(reference=reference)
            with visit(browser, args.project / "report.html", viewport=(1400, HEIGHT)) as seen:
                page = seen.page
                page.click(f"details:has(#{anchor}) > summary")
                page.locator(f"#{anchor}").scroll_into_view_if_needed()
                # where the section starts on the page (a bounding box is the viewport's, and the page has scrolled)
                top, opened = page.evaluate(f"(() => {{ const d = document.querySelector('details:has(#{anchor})'); "
                                            "return [d.getBoundingClientRect().top + window.scrollY, d.open]; })()")
                if not opened:
                    sys.exit(f"error: {name}: a click on its title did not open section #{anchor}")
                page.screenshot(path=str(args.out / name), clip={"x": 0, "y": top, "width": 1400, "height": HEIGHT},
                                full_page=True)
                if seen.console_errors or seen.outside_requests:
                    sys.exit(f"error: {name}: console errors {seen.console_errors}, outside requests {seen.outside_requests}")
            print(f"{args.out / name}: the top of section #{anchor}")
        browser.close()


if __name__ == "__main__":
    main()
