"""The interpretation report as one HTML page: its sections, figures and tables.

The page is self-contained: figures are embedded as ``data:`` URIs (made small
by ``hiddennodes.report.images``) and there is no script or remote resource, so it opens
offline and can be mailed. It opens on the summary and a contents bar that
stays in view; each section is an HTML ``details`` element, closed until the
reader opens it, so the page needs no script to fold. The sentences on it come
from ``hiddennodes.report.findings`` and ``hiddennodes.report.summary``.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from PIL import Image

from hiddennodes.report.images import compact_image, png_size
from hiddennodes.report.tables import COMPARISON_COLUMNS, COMPARISON_TEXT_COLUMNS, study_sources_text, table_cells
from hiddennodes.words import percentage, with_article


@dataclass
class Figure:
    caption: str
    png: bytes  # or, with ``animation``, empty
    wide: bool = False  # may spread beyond the text column, up to the window's width
    half: bool = False  # half the text column, so two stand side by side
    animation: bytes | None = None  # an animated WebP, embedded as it is


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    text_columns: int = 1  # the first columns, words, left-aligned; the rest are numbers


@dataclass
class Section:
    """One folding section: the paragraphs, then ``lead`` (figures and tables that answer its question), the findings
    as a list, the tables, the figures and last the ``closing`` paragraphs; ``short`` names it in the contents bar."""

    anchor: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    lead: list[Figure | Table] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    short: str = ""


def realworld_table(realworld: Mapping, robustness: Mapping, calibration: Mapping, experiments: Sequence[str]) -> Table:
    """Per experiment: accuracy at home and away, calibration, the reject option, and the most harmful change."""
    headers = ["experiment", "MNIST test acc", "UCI acc", "test calibration error", "UCI calibration error", "threshold", "test answered",
               "acc answered", "UCI answered", "UCI acc answered", "most harmful change (acc at strongest)"]
    rows = []
    for name in experiments:
        real, calibrated, rates = realworld.get(name, {}), calibration[name], robustness[name]["strongest"]
        worst = min(rates, key=rates.get)
        threshold = calibrated["threshold"]
        rows.append([
            name, f"{calibrated['test_accuracy']:.4f}",
            f"{real['uci_accuracy']:.4f}" if "uci_accuracy" in real else "n/a",
            f"{calibrated['test_ece']:.4f}", f"{real['uci_ece']:.4f}" if "uci_ece" in real else "n/a",
            "none" if threshold is None else f"{threshold:.3f}",
            percentage(calibrated["test_coverage"]), percentage(calibrated["test_accuracy_kept"]),
            percentage(real.get("uci_coverage")), percentage(real.get("uci_accuracy_kept")),
            f"{worst} ({rates[worst]:.4f})",
        ])
    return Table(headers, rows)


def customers_table(table: Mapping, experiment: str) -> Table:
    """One row a condition, at its strongest level: digits answered and how accurately, against the raw arrays of the
    same digits, and at how many of its levels the answers keep the threshold's promise (the customers stage's
    ``target_met``). Every level's row is in ``metrics/customers_table.json``."""
    headers = ["group", "condition", "strongest level", "answered", "acc answered", "raw answered", "raw acc answered",
               "main refusal", "levels meeting the target"]
    conditions: dict[str, list[Mapping]] = {}
    for row in table["experiments"][experiment]:
        conditions.setdefault(row["condition"], []).append(row)
    rows = []
    for levels in conditions.values():
        row = max(levels, key=lambda level: level["level"])
        refusal = next(iter(row["refusals"]), "") if row["refusals"] else ""
        met = sum(bool(level["target_met"]) for level in levels)
        rows.append([row["group"], row["words"], row["label"], percentage(row["answered"]), percentage(row["accuracy_answered"]),
                     percentage(row["raw_answered"]), percentage(row["raw_accuracy_answered"]), refusal, f"{met} of {len(levels)}"])
    return Table(headers, rows)


def strongest_table(robustness: Mapping, experiments: Sequence[str]) -> Table:
    """Test accuracy of each experiment with no change and at each change's strongest severity."""
    changes = list(robustness["severities"])
    levels = {change: max(int(key) for key in robustness["severities"][change] if key.isdigit()) for change in changes}
    headers = ["experiment", "no change"] + [f"{change} {robustness['severities'][change][str(levels[change])]:g}" for change in changes]
    rows = [[name, f"{robustness[name]['clean']:.4f}"] + [f"{robustness[name]['strongest'][change]:.4f}" for change in changes]
            for name in experiments]
    return Table(headers, rows)


def augment_table(plain: str, augmented: str, rows) -> Table:
    """``hiddennodes.report.findings.augment_rows`` as a table: each measure for both networks and the difference."""
    cells = [[name, f"{before:.4f}", f"{after:.4f}", f"{100 * (after - before):+.1f}"] for name, before, after in rows]
    return Table(["measure", plain, augmented, "difference (points)"], cells)


def conv_table(dense: str, conv: str, rows) -> Table:
    """``hiddennodes.report.findings.conv_rows`` as a table: per class, each hidden layer's preferring nodes,
    accuracy and strongest carrier."""
    cells = [[name, str(dense_count), str(conv_count), percentage(dense_accuracy), percentage(conv_accuracy), f"{dense_top:+.2f}",
              f"{conv_top:+.2f}"] for name, dense_count, conv_count, dense_accuracy, conv_accuracy, dense_top, conv_top in rows]
    return Table(["class", f"{dense}: nodes preferring it", f"{conv}: nodes preferring it", f"{dense}: right", f"{conv}: right",
                  f"{dense}: strongest carrier", f"{conv}: strongest carrier"], cells)


def carriers_table(nodes: Mapping, items: str = "digits") -> Table:
    """What carries each class, from the interpret stage's ``nodes.json``: its accuracy, what it is most often taken
    for, and the nodes adding most to its score (mean activation × weight on its test images; ``items``: what they are)."""
    rows = []
    for row in nodes["classes"]:
        confused = "never taken for another" if row["confused_with"] is None else f"{row['confused_with']} ({row['confusions']})"
        toward = [carrier for carrier in row["carriers"] if carrier["contribution"] > 0]
        against = [carrier for carrier in row["carriers"] if carrier["contribution"] <= 0]
        said = [f"{label}: " + ", ".join(f"{carrier['node']} ({carrier['contribution']:+.2f})" for carrier in carriers)
                for label, carriers in (("toward", toward), ("against", against)) if carriers]
        rows.append([row["class"], confused, "; ".join(said), percentage(row["accuracy"])])
    return Table(["class", f"most often taken for ({items})", "its strongest nodes, toward its score or against it (mean contribution)",
                  f"test {items} right"], rows, text_columns=3)


def table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for title in table.headers)
    body = "".join("<tr>" + "".join(f"<td{'' if index < table.text_columns else ' class=num'}>{html.escape(cell)}</td>"
                                    for index, cell in enumerate(cells)) + "</tr>"
                   for cells in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def comparison_html(comparison: Mapping[str, Mapping]) -> str:
    """The comparison table as HTML, with the same columns and cells as the Markdown one."""
    sources = study_sources_text(comparison)
    return (table_html(Table([title for _, title in COMPARISON_COLUMNS], table_cells(comparison), COMPARISON_TEXT_COLUMNS))
            + (f"<p>{html.escape(sources)}</p>" if sources else ""))


STYLE = """
html { scroll-padding-top: 8.5em; }  /* the section's title stays in sight below the contents bar */
body { font-family: system-ui, sans-serif; margin: 0; color: #222; line-height: 1.45; }
main { margin: 0 auto; max-width: 1100px; padding: 0 1.5em 3em; }
nav.contents { position: sticky; top: 0; z-index: 1; background: #fafafa; border-bottom: 1px solid #ccc; padding: .45em 1.5em;
  font-size: .9em; white-space: nowrap; overflow-x: auto; }
nav.contents a { margin-right: 1.1em; color: #0645ad; text-decoration: none; } nav.contents a:hover { text-decoration: underline; }
h1 { font-size: 1.7em; margin-top: .8em; } h2 { font-size: 1.3em; margin: 0; display: inline; }
section.summary { border-bottom: 1px solid #ccc; padding-bottom: .6em; } section.summary h2 { display: block; margin-top: 1em; }
details { border-bottom: 1px solid #ccc; } details > summary { cursor: pointer; padding: .7em 0; }
details[open] > summary { border-bottom: 1px solid #eee; margin-bottom: .6em; }
table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; } td.num { text-align: right; } th { background: #f2f2f2; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figure.wide img { max-width: min(96vw, 1500px); position: relative; left: 50%; transform: translateX(-50%); }
figcaption { font-size: .9em; color: #555; } ul.findings li { margin: .3em 0; }
section.answer { border-bottom: 1px solid #ccc; padding-bottom: .6em; } section.answer h2 { display: block; margin-top: 1em; }
div.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: .4em 1.2em; }
figure.half { display: inline-block; vertical-align: top; width: 48.5%; margin-right: 1%; }
figure.card { margin: .4em 0; } figure.card img { display: block; border: 0; } figure.card figcaption { color: #222; font-size: .88em; }
"""


@dataclass
class Answer:
    """What the report opens with, open on the first screen: the paragraphs, then one card per class (its picture and
    the sentence that reads it), then the ``closing`` paragraphs (what the narrow layers measure)."""

    title: str
    paragraphs: list[str]
    cards: list[tuple[bytes, str]]
    closing: list[str] = field(default_factory=list)


def answer_html(answer: Answer, encoded: Mapping[bytes, tuple[str, bytes]] | None = None) -> str:
    """The answer as an open section: each class's picture with its sentence beneath it, side by side."""
    parts = [f'<section class="answer" id="answer"><h2>{html.escape(answer.title)}</h2>']
    parts += [f"<p>{html.escape(paragraph)}</p>" for paragraph in answer.paragraphs]
    parts.append('<div class="cards">')
    for png, sentence in answer.cards:
        mime, data = encoded[png] if encoded and png in encoded else compact_image(png)
        width, height = png_size(png)
        parts.append(f'<figure class="card"><img src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}" width="{width}" '
                     f'height="{height}" alt="{html.escape(sentence)}"><figcaption>{html.escape(sentence)}</figcaption></figure>')
    parts.append("</div>")
    parts += [f"<p>{html.escape(paragraph)}</p>" for paragraph in answer.closing]
    parts.append("</section>")
    return "\n".join(parts)


# The explorer stage writes its page beside the report (dvc.yaml): a relative link works wherever both are.
EXPLORER_LINK = "explorer.html"


def compact_images(pngs: Sequence[bytes]) -> dict[bytes, tuple[str, bytes]]:
    """``compact_image`` of each PNG, keyed by it: the figures share nothing, so they are encoded side by side,
    one process a core (the same bytes as one at a time)."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    unique = list(dict.fromkeys(pngs))
    workers = min(len(unique), os.cpu_count() or 1)
    if workers <= 1:
        return {png: compact_image(png) for png in unique}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(zip(unique, pool.map(compact_image, unique, chunksize=4)))


def figure_html(figure: Figure, encoded: Mapping[bytes, tuple[str, bytes]] | None = None) -> str:
    """A figure embedded whole, at its own size in CSS pixels (never wider than the page), with its caption.
    ``encoded``: its compact image already made (``compact_images``)."""
    if figure.animation is not None:
        mime, data = "image/webp", figure.animation
        with Image.open(io.BytesIO(figure.animation)) as image:
            width, height = image.size
    else:
        mime, data = encoded[figure.png] if encoded and figure.png in encoded else compact_image(figure.png)
        width, height = png_size(figure.png)
    caption = html.escape(figure.caption)
    kind = " class=wide" if figure.wide else " class=half" if figure.half else ""
    return (f'<figure{kind}><img src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}" width="{width}" height="{height}" '
            f'decoding="async" alt="{caption}"><figcaption>{caption}</figcaption></figure>')


def section_html(section: Section, encoded: Mapping[bytes, tuple[str, bytes]] | None = None) -> str:
    """A section as a ``details`` element, closed, its title as the summary line. The anchor is the first thing inside
    it: following a link to a place in a closed ``details`` opens it (the HTML standard's auto-expand), no script needed."""
    parts = [f'<details><summary><h2>{html.escape(section.title)}</h2></summary><span id="{section.anchor}"></span>']
    parts += [f"<p>{html.escape(paragraph)}</p>" for paragraph in section.paragraphs]
    parts += [figure_html(part, encoded) if isinstance(part, Figure) else table_html(part) for part in section.lead]
    if section.findings:
        parts += ['<ul class="findings">', *(f"<li>{html.escape(sentence)}</li>" for sentence in section.findings), "</ul>"]
    parts += [table_html(table) for table in section.tables]
    parts += [figure_html(figure, encoded) for figure in section.figures]
    parts += [f"<p>{html.escape(paragraph)}</p>" for paragraph in section.closing]
    parts.append("</details>")
    return "\n".join(parts)


def render_html(title: str, introduction: str, summary: Sequence[str], comparison: Mapping[str, Mapping], sections: Sequence[Section],
                explorer: str | None = EXPLORER_LINK, summary_heading: str = "", item: str = "digit", answer: Answer | None = None) -> str:
    """The whole report as one HTML document; ``summary`` and every text are plain text. ``explorer``: the
    relative address of the explorer page, linked at the top (None: no link); ``item``: what one image is called;
    ``answer``: what the page opens with, before the summary."""
    links = ([("answer", "Answer")] if answer else []) + [("summary", "Summary"), ("comparison", "Comparison")]
    links += [(section.anchor, section.short or section.title) for section in sections]
    contents = "".join(f'<a href="#{anchor}">{html.escape(name)}</a>' for anchor, name in links)
    encoded = compact_images([part.png for section in sections for part in (*section.lead, *section.figures)
                              if isinstance(part, Figure) and part.animation is None]
                             + ([png for png, _ in answer.cards] if answer else []))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f'<nav class="contents" aria-label="Contents">{contents}</nav><main>',
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(introduction)}</p>",
        *([f'<p class="explorer"><a href="{html.escape(explorer)}">Draw {html.escape(with_article(item))} and watch every hidden node answer: '
           "the explorer page</a> (every experiment; it opens beside this report).</p>"] if explorer else []),
        *([answer_html(answer, encoded)] if answer else []),
        '<section class="summary" id="summary"><h2>Summary</h2>',
        *([f"<p>{html.escape(summary_heading)}</p>"] if summary_heading else []),
        '<ul class="findings">', *(f"<li>{html.escape(sentence)}</li>" for sentence in summary), "</ul></section>",
        '<details><summary><h2>Comparison of the experiments</h2></summary><span id="comparison"></span>', comparison_html(comparison),
        "</details>",
        *(section_html(section, encoded) for section in sections),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"
