"""Open a local HTML page in headless Chromium with Playwright, as a reader would, and record what goes wrong.

Playwright drives Debian's ``chromium`` (no browser download: ``playwright install``
needs the internet and is never needed here). Every request that is not the page
itself (or data it carries: ``data:`` and ``blob:`` URLs) is recorded and
aborted, so a page that needs anything from outside shows up; console errors,
warnings and uncaught exceptions are recorded too.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

# Every <img> decoded: its alt text, natural size and whether decoding succeeded.
IMAGES_SCRIPT = """
() => Promise.all(Array.from(document.images).map(image => image.decode().then(
    () => ({alt: image.alt, width: image.naturalWidth, height: image.naturalHeight, decoded: true}),
    () => ({alt: image.alt, width: image.naturalWidth, height: image.naturalHeight, decoded: false}))))
"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def launch_args(executable: str) -> dict:
    return {"executable_path": executable, "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@dataclass
class Visit:
    """A page open in the browser, with what went wrong so far."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def visit(browser, path: Path, viewport: tuple[int, int] = (1400, 1000), folder: bool = False) -> Iterator[Visit]:
    """Open ``path`` from ``file://`` in a fresh context; requests leaving the page are recorded and aborted.
    ``folder``: files beside the page, in its folder and below, may be read too (``dvc plots show`` puts its PNG
    plots there); nothing else may."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    url = Path(path).resolve().as_uri()
    beside = Path(path).resolve().parent.as_uri() + "/"
    page = context.new_page()
    seen = Visit(page)

    def on_route(route):
        if (route.request.url.split("#")[0] == url or route.request.url.startswith(("data:", "blob:"))
                or (folder and route.request.url.startswith(beside))):
            route.continue_()
        else:
            seen.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", on_route)
    page.on("console", lambda message: seen.console_errors.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
    try:
        page.goto(url, wait_until="load")
        yield seen
    finally:
        context.close()


@dataclass
class PageReport:
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)


def check_page(path: Path, browser) -> PageReport:
    """Open a page and report its title, every image's decoding, console errors and requests that left it."""
    with visit(browser, path) as seen:
        images = seen.page.evaluate(IMAGES_SCRIPT)
        return PageReport(title=seen.page.title(), console_errors=list(seen.console_errors),
                          failed_requests=list(seen.outside_requests), images=images)


# Where a contents link led: is its place inside an open section (or in none), and is that section's title in
# sight below the contents bar?
SECTION_SCRIPT = """
(anchor) => {
    const place = document.getElementById(anchor);
    const section = place.closest('details');
    const title = section ? section.querySelector('summary') : (place.querySelector('h2') || place);
    const bar = document.querySelector('nav.contents').getBoundingClientRect();
    const box = title.getBoundingClientRect();
    return {open: section ? section.open : true, title_visible: box.top >= bar.bottom - 1 && box.bottom <= window.innerHeight};
}
"""


def open_every_section(path: Path, browser, viewport: tuple[int, int] = (1400, 1000)) -> tuple[list[tuple[str, dict]], list[str]]:
    """Follow every link of a page's contents bar with the pointer, in order, as a reader would. Returns, per link,
    (its anchor, where it led: SECTION_SCRIPT's answer), and the console errors and outside requests seen."""
    with visit(browser, path, viewport) as seen:
        opened = []
        for anchor in seen.page.eval_on_selector_all("nav.contents a", "links => links.map(link => link.hash.slice(1))"):
            seen.page.click(f'nav.contents a[href="#{anchor}"]')
            opened.append((anchor, seen.page.evaluate(SECTION_SCRIPT, anchor)))
        return opened, seen.console_errors + seen.outside_requests


# Every plot DVC's page holds (a `<div id=...>` in its body) and whether it drew: an SVG or a canvas for a vega chart,
# a decoded image for a PNG plot.
CHARTS_SCRIPT = """
async () => {
    const plots = Array.from(document.body.querySelectorAll(':scope > div[id], :scope > table div[id], :scope div[id]'))
        .filter(div => !div.parentElement.closest('div[id]'));
    for (let wait = 0; wait < 100 && !plots.every(div => div.querySelector('svg, canvas, img')); wait++) {
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    const drawn = {};
    for (const div of plots) {
        const image = div.querySelector('img');
        drawn[div.id] = !!div.querySelector('svg, canvas') || (!!image && image.complete && image.naturalWidth > 0);
    }
    return drawn;
}
"""


def dvc_plots_page(path: Path, browser) -> tuple[dict[str, bool], list[str]]:
    """Open a page `dvc plots show` or `dvc plots diff` wrote: per plot, whether it drew, and the console errors and
    requests that left the page's folder."""
    with visit(browser, path, folder=True) as seen:
        drawn = seen.page.evaluate(CHARTS_SCRIPT)
        return drawn, seen.console_errors + seen.outside_requests
