"""The report's summary: the few findings of a run that a reader should see first, chosen by rules.

The candidates are the very findings the report's sections show (``hiddennodes.report.findings``),
each with the size of the difference it reports (in accuracy, a share: 0.05 is 5 points) and
whether it goes against what one would expect (fewer inputs reading better, training on distorted
copies reading changed images worse, a hidden layer no better than logistic regression, ...). The
summary keeps the headline, then the surprising findings, largest first, then the largest of the
rest, one of each kind, and leaves out differences under half a point unless they are surprising,
to at most eight sentences. Everything else stays in its section of the report. The sizes are
shares, so they compare across kinds only roughly: an accuracy lost (under a change, on another
class) and a share of images (handed to a person, refused) are both fractions of the test images,
and the rule ranks them as such.
"""

from __future__ import annotations

from typing import Sequence

from hiddennodes.report.findings import HALF_A_POINT, Finding
from hiddennodes.words import count_words

SUMMARY_LIMIT = 8
NOTEWORTHY = HALF_A_POINT  # smaller differences are left to the sections, unless surprising


def summary(findings: Sequence[Finding], limit: int = SUMMARY_LIMIT) -> list[str]:
    """The summary's sentences: the headline, the surprising findings, then the largest of the rest (see the module)."""
    headline = [finding for finding in findings if finding.kind == "headline"]
    rest = [finding for finding in findings if finding.kind != "headline" and (finding.surprising or finding.size >= NOTEWORTHY)]
    rest.sort(key=lambda finding: (not finding.surprising, -finding.size))  # stable: equal ones keep their order
    chosen, kinds = [], set()
    for finding in headline[:1] + rest:
        if finding.kind not in kinds and len(chosen) < limit:
            chosen.append(finding.sentence)
            kinds.add(finding.kind)
    return chosen


def count_sentence(count: int) -> str:
    """"The eight findings below ..." for the summary's heading line."""
    return f"The {count_words(count)} largest and most surprising differences of this run, chosen by rules from its metrics:"
