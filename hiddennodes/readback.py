"""The report's sentences about hidden nodes, read back from the page and held to the numbers behind its figures.

"Fires for" means one thing everywhere (``hiddennodes.words.describe_node``): the classes whose mean activation on
the test images reaches half the node's strongest class's; "silent for", those under a tenth of it. This module reads
every such sentence out of a ``report.html`` and checks it against each node's mean activation per class, the
``tuning`` array of ``data/interpretation/<exp>.npz`` that the tuning figure and the explorer draw, by those
definitions and not by re-running the code that wrote it. ``python benchmarks/check_report.py --project DIR`` runs
it on a finished run; the tests run it on theirs.
"""

from __future__ import annotations

import html
import re
from typing import Mapping, Sequence

import numpy as np

FIRES = 0.5  # "fires for": mean activation at least this share of the node's strongest class's
SILENT = 0.1  # "silent for": under this share

# Where a section names a node: "exp1's one node fires for ...", "Its most selective node, 90, fires for ...",
# "Its most important node, 117, fires for ...", "..., is also its most important: it fires for ...", and the answer's
# "Node 0 of exp2: ... on average it is most active for 6s and 2s and least for 1s and 7s".
_CLAIMS = (
    re.compile(r"(?P<exp>\w+)'s one node (?P<desc>(?:fires|never fires)[^;(]*?)\s*\(mean activation per class\)"),
    re.compile(r"(?:Its most selective node|Its most important node), (?P<node>\d+), (?:is also its most important: it )?"
               r"(?P<desc>(?:fires|never fires)[^;(]*?)\s*[;(]"),
    re.compile(r"(?:Node (?P<node>\d+) of (?P<exp>\w+)|(?P<exp1>\w+)'s one node): [^;]*; on average it is most active for "
               r"(?P<high>.+?) and least for (?P<low>.+?) \(mean activation per class\)"),
)


def _classes(text: str, class_names: Sequence[str]) -> list[int]:
    """Class indices from "6s, 0s and 2s" (digits said as plurals) or "Sandal, Shirt and Bag"."""
    names = {f"{name}s" if len(name) == 1 and name.isdigit() else name: index for index, name in enumerate(class_names)}
    found = []
    for piece in re.split(r", | and ", text.strip()):
        if piece not in names:
            raise ValueError(f"{piece!r} is not a class of {list(names)}")
        found.append(names[piece])
    return found


def description_problems(description: str, row: np.ndarray, class_names: Sequence[str]) -> list[str]:
    """What does not hold of one node's description ("fires for 6s and 0s, silent for 7s") against its mean
    activation per class; empty when it all holds."""
    row = np.asarray(row, np.float64)
    peak = float(row.max())
    if description == "never fires":
        return [] if peak <= 0 else [f"'never fires' but its mean activation reaches {peak:.3g}"]
    if peak <= 0:
        return [f"{description!r} but it never fires"]
    firing = {int(i) for i in np.flatnonzero(row >= FIRES * peak)}
    problems = []
    match = re.fullmatch(r"fires for every class(?: but (?P<but>.+?))?, most for (?P<most>.+)", description)
    if match:
        named_out = set(_classes(match["but"], class_names)) if match["but"] else set()
        if firing != set(range(len(row))) - named_out:
            problems.append(f"{description!r}: classes at half its peak or more are {sorted(firing)}")
        if _classes(match["most"], class_names) != [int(row.argmax())]:
            problems.append(f"{description!r}: most active for {class_names[int(row.argmax())]}")
        return problems
    match = re.fullmatch(r"fires for (?P<fires>.+?)(?:, silent for (?P<silent>.+))?", description)
    if not match:
        return [f"{description!r} is not a node description"]
    named = _classes(match["fires"], class_names)
    if set(named) != firing:
        problems.append(f"{description!r}: classes at half its peak or more are {sorted(firing)}")
    if [row[i] for i in named] != sorted((row[i] for i in named), reverse=True):
        problems.append(f"{description!r}: not named from the most active down")
    silent = {int(i) for i in np.flatnonzero(row < SILENT * peak)}
    if match["silent"] == "every other class":
        if silent != set(range(len(row))) - firing:
            problems.append(f"{description!r}: not every other class is under a tenth of its peak")
    elif match["silent"]:
        if set(_classes(match["silent"], class_names)) != silent:
            problems.append(f"{description!r}: classes under a tenth of its peak are {sorted(silent)}")
    elif silent:
        problems.append(f"{description!r}: says nothing of the classes under a tenth of its peak, {sorted(silent)}")
    return problems


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"data:[^\"']+", "", page)))


def node_claims(page: str, experiments: Sequence[str]) -> list[tuple[str, int | None, dict]]:
    """Every sentence of a report that says what a node fires for: (experiment, node or None for a one-node layer's,
    the claim: {"description": ...} or {"high": ..., "low": ...})."""
    claims = []
    blocks = re.split(r'(?=<details)|(?=<section class="answer")', page)
    for block in blocks:
        anchor = re.search(r'id="([^"]+)"', block)
        section = anchor.group(1) if anchor else ""
        text = " ".join(_text(block).split())
        for pattern in _CLAIMS:
            for match in pattern.finditer(text):
                found = match.groupdict()
                experiment = found.get("exp") or found.get("exp1") or section
                if experiment not in experiments:
                    raise ValueError(f"a node sentence of section {section!r} names no experiment: {match.group(0)!r}")
                node = int(found["node"]) if found.get("node") else None
                claim = {"description": found["desc"].strip()} if "desc" in found else {"high": found["high"], "low": found["low"]}
                claims.append((experiment, node, claim))
    return claims


def report_problems(page: str, tunings: Mapping[str, np.ndarray], class_names: Sequence[str]) -> tuple[int, list[str]]:
    """Every node sentence of ``page`` checked against ``tunings`` (experiment -> (nodes, classes) mean activation per
    class): how many were read, and what does not hold (empty: all hold)."""
    claims = node_claims(page, list(tunings))
    problems = []
    for experiment, node, claim in claims:
        tuning = np.asarray(tunings[experiment])
        if node is None:
            if len(tuning) != 1:
                problems.append(f"{experiment}: 'one node' said of a layer of {len(tuning)}")
                continue
            node = 0
        row = tuning[node]
        if "description" in claim:
            problems += [f"{experiment} node {node}: {problem}" for problem in description_problems(claim["description"], row, class_names)]
        else:
            order = [int(i) for i in np.argsort(-row, kind="stable")]
            if _classes(claim["high"], class_names) != order[:2] or _classes(claim["low"], class_names) != order[::-1][:2]:
                problems.append(f"{experiment} node {node}: most active for {claim['high']}, least for {claim['low']}; "
                                f"its means put {order[:2]} first and {order[::-1][:2]} last")
    return len(claims), problems
