"""Write the page template `dvc plots show` and `dvc plots diff` use, with vega, vega-lite and vega-embed inside.

    python scripts/vega_page.py              # fetches the pinned versions with `npm pack` (the npm registry)
    python scripts/vega_page.py --from DIR   # or from tarballs already in DIR

DVC's own page loads the three libraries from a CDN, so offline no chart draws. `.dvc/config` points DVC at
`.dvc/plots_page/page.html` instead: this script writes it with the libraries' built files inlined (the
page then needs nothing from outside) and copies their licences (BSD-3-Clause) beside it. The major versions are the ones DVC's specs are written for (vega-lite 5, vega-embed 6).
Run it again to move to newer releases of the same majors.
"""

from __future__ import annotations

import argparse
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / ".dvc" / "plots_page"  # beside .dvc/config, which names it
PACKAGES = {"vega": "5.33.1", "vega-lite": "5.23.0", "vega-embed": "6.29.0"}  # npm versions; the scripts load in this order
# vega's npm package carries no licence file; its repository's is the same BSD-3-Clause text as vega-lite's.
LICENCE_FROM = {"vega": "vega-lite"}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{{refresh_tag}}
<title>DVC plots</title>
<!-- {versions}, from the npm registry, inlined by scripts/vega_page.py so the page needs nothing from outside
     (licences beside this file). DVC puts the plots where the body says. -->
{scripts}
<style>
body {{ font-family: system-ui, sans-serif; margin: 1em; }}
table {{ border-spacing: 15px; }}
</style>
</head>
<body>
{{plot_divs}}
</body>
</html>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="a folder holding the packages' npm tarballs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source = args.source or Path(scratch)
        if args.source is None:
            subprocess.run(["npm", "pack", "--silent", *(f"{name}@{version}" for name, version in PACKAGES.items())],
                           cwd=source, check=True, stdout=subprocess.DEVNULL)
        builds, licences = {}, {}
        for name, version in PACKAGES.items():
            with tarfile.open(source / f"{name}-{version}.tgz") as archive:
                code = archive.extractfile(f"package/build/{name}.min.js").read().decode()
                # No source map to fetch: the page must ask for nothing outside itself.
                builds[name] = "\n".join(line for line in code.splitlines() if not line.startswith("//# sourceMappingURL="))
                if name not in LICENCE_FROM:
                    licences[name] = archive.extractfile("package/LICENSE").read().decode()
        for name, other in LICENCE_FROM.items():
            licences[name] = licences[other]
    for code in builds.values():
        if "</script" in code or "{plot_divs}" in code:
            raise SystemExit("a library's build contains '</script' or DVC's placeholder; it cannot be inlined as it is.")
    scripts = "\n".join(f"<script>\n{builds[name]}\n</script>" for name in PACKAGES)
    versions = ", ".join(f"{name} {version}" for name, version in PACKAGES.items())
    FOLDER.mkdir(exist_ok=True)
    (FOLDER / "page.html").write_text(PAGE.format(versions=versions, scripts=scripts))
    for name, text in licences.items():
        (FOLDER / f"LICENSE-{name}").write_text(text)
    print(f"{FOLDER / 'page.html'}: {versions}, {sum(map(len, builds.values())):,} bytes of script")


if __name__ == "__main__":
    main()
