"""The interpretation report as one HTML page: its sections, figures and tables.

The page is self-contained: figures are embedded as ``data:`` URIs and
there is no script or remote resource, so it opens offline and can be mailed.
The sentences on it come from ``hiddennodes.report_words``.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from hiddennodes.tables import COMPARISON_COLUMNS, COMPARISON_TEXT_COLUMNS, table_cells
from hiddennodes.words import percentage


@dataclass
class Figure:
    caption: str
    png: bytes


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    text_columns: int = 1  # the first columns, words, left-aligned; the rest are numbers


@dataclass
class Section:
    anchor: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def realworld_table(realworld: Mapping, robustness: Mapping, calibration: Mapping, experiments: Sequence[str]) -> Table:
    """Per experiment: accuracy at home and away, calibration, the reject option, and the most harmful change."""
    headers = ["experiment", "MNIST test acc", "UCI acc", "test ECE", "UCI ECE", "threshold", "test answered", "acc answered",
               "UCI answered", "UCI acc answered", "most harmful change (acc at strongest)"]
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


def customers_table(table: Mapping, experiment: str = "exp3") -> Table:
    """Per condition and level: digits answered and how accurately, against the raw arrays of the same digits."""
    headers = ["group", "condition", "level", "answered", "acc answered", "raw acc", "raw answered", "raw acc answered",
               "main refusal", "target"]
    rows = []
    for row in table["experiments"][experiment]:
        refusal = next(iter(row["refusals"]), "") if row["refusals"] else ""
        met = row["accuracy_answered"] is None or (
            row["accuracy_answered"] >= 0.95 * row["raw_accuracy"] and row["wrong_share_of_answered"] <= 0.10)
        rows.append([row["group"], row["words"], row["label"], percentage(row["answered"]), percentage(row["accuracy_answered"]),
                     percentage(row["raw_accuracy"]), percentage(row["raw_answered"]), percentage(row["raw_accuracy_answered"]),
                     refusal, "met" if met else "missed"])
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
    """``hiddennodes.report_words.augment_rows`` as a table: each measure for both networks and the difference."""
    cells = [[name, f"{before:.4f}", f"{after:.4f}", f"{100 * (after - before):+.1f}"] for name, before, after in rows]
    return Table(["measure", plain, augmented, "difference (points)"], cells)


def table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for title in table.headers)
    body = "".join("<tr>" + "".join(f"<td{'' if index < table.text_columns else ' class=num'}>{html.escape(cell)}</td>"
                                    for index, cell in enumerate(cells)) + "</tr>"
                   for cells in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def comparison_html(comparison: Mapping[str, Mapping]) -> str:
    """The comparison table as HTML, with the same columns and cells as the Markdown one."""
    return table_html(Table([title for _, title in COMPARISON_COLUMNS], table_cells(comparison), COMPARISON_TEXT_COLUMNS))


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
nav ul { columns: 3; } table { border-collapse: collapse; margin: 1em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; } td.num { text-align: right; } th { background: #f2f2f2; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #555; } .findings li { margin: .3em 0; }
"""


# The explorer stage writes its page beside the report (dvc.yaml): a relative link works wherever both are.
EXPLORER_LINK = "explorer.html"


def render_html(title: str, introduction: str, findings: Sequence[str], comparison: Mapping[str, Mapping], sections: Sequence[Section],
                explorer: str | None = EXPLORER_LINK) -> str:
    """The whole report as one HTML document; ``findings`` and paragraphs are plain text. ``explorer``: the
    relative address of the explorer page, linked at the top (None: no link)."""
    toc = "".join(f'<li><a href="#{section.anchor}">{html.escape(section.title)}</a></li>' for section in sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(introduction)}</p>",
        *([f'<p class="explorer"><a href="{html.escape(explorer)}">Draw a digit and watch every hidden node answer: '
           "the explorer page</a> (every experiment; it opens beside this report).</p>"] if explorer else []),
        f'<nav><ul><li><a href="#findings">Findings</a></li><li><a href="#comparison">Comparison</a></li>{toc}</ul></nav>',
        '<h2 id="findings">Findings</h2><ul class="findings">',
        *(f"<li>{html.escape(sentence)}</li>" for sentence in findings),
        "</ul>",
        '<h2 id="comparison">Comparison of the experiments</h2>',
        comparison_html(comparison),
    ]
    for section in sections:
        parts.append(f'<h2 id="{section.anchor}">{html.escape(section.title)}</h2>')
        parts += [f"<p>{html.escape(paragraph)}</p>" for paragraph in section.paragraphs]
        parts += [table_html(table) for table in section.tables]
        for figure in section.figures:
            data = base64.b64encode(figure.png).decode("ascii")
            caption = html.escape(figure.caption)
            parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{caption}"><figcaption>{caption}</figcaption></figure>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

