"""Benchmark: how large report.html is, section by section, and what storing its figures small saves.

    python benchmarks/report_size.py --project .          # a project after `dvc repro`
    python benchmarks/report_size.py --project /tmp/fashion --figures

Prints a table of the report's sections (bytes, images) and its total against the 5 MB target of the
default pipeline; with ``--figures``, every PNG the report embeds beside what ``hiddennodes.report.images.compact_image``
makes of it, and the seconds that takes.
"""

from __future__ import annotations

import argparse
import base64
import html
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hiddennodes.report.images import compact_image  # noqa: E402

TARGET_BYTES = 5_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--figures", action="store_true", help="also re-encode every embedded figure and compare")
    args = parser.parse_args()
    page = (args.project / "report.html").read_text()
    sections = re.split(r"(?=<details>)", page)
    print(f"{'section':60s} {'bytes':>12s} {'images':>7s}")
    for part in sections:
        title = re.search(r"<h2>(.*?)</h2>", part)
        name = html.unescape(title.group(1) if title else "top of the page (summary)")[:60]
        print(f"{name:60s} {len(part.encode()):12,d} {part.count('<img '):7d}")
    total = len(page.encode())
    print(f"{'total':60s} {total:12,d} {page.count('<img '):7d}   target {TARGET_BYTES:,} bytes: {'met' if total < TARGET_BYTES else 'missed'}")
    embedded = [base64.b64decode(data) for data in re.findall(r'src="data:image/[a-z]+;base64,([^"]+)"', page)]
    print(f"embedded images: {sum(map(len, embedded)):,} bytes decoded, {sum(len(data) * 4 // 3 for data in embedded):,} as base64")
    if args.figures:
        print(f"\n{'figure':60s} {'PNG':>10s} {'embedded':>10s} {'seconds':>8s}")
        before = after = 0
        for path in sorted((args.project / "plots").rglob("*.png")):
            png = path.read_bytes()
            start = time.perf_counter()
            mime, data = compact_image(png)
            seconds = time.perf_counter() - start
            before, after = before + len(png), after + len(data)
            print(f"{str(path.relative_to(args.project))[:60]:60s} {len(png):10,d} {len(data):10,d} {seconds:8.2f}  {mime}")
        print(f"{'all PNGs under plots/':60s} {before:10,d} {after:10,d}   {after / before:.0%} of the PNGs' size")


if __name__ == "__main__":
    main()
