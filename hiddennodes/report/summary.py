"""The report's summary: the few findings of a run that a reader should see first, chosen by rules.

Each candidate is a sentence worded from the metrics with the size of the
difference it reports (in accuracy, a share: 0.05 is 5 points) and whether it
goes against what one would expect (fewer inputs reading better, training on
distorted copies reading changed digits worse, a hidden layer no better than
logistic regression, ...). The summary keeps the headline, then the surprising
findings, largest first, then the largest of the rest, one of each kind, and
leaves out differences under half a point unless they are surprising, to at
most eight sentences. Everything else stays in its section of the report. The
sizes are shares, so they compare across kinds only roughly: an accuracy lost
(under a change, on another class) and a share of digits (handed to a person,
refused) are both fractions of the test digits, and the rule ranks them as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from hiddennodes.words import better_or_worse, class_items, class_test_images, count_words

SUMMARY_LIMIT = 8
NOTEWORTHY = 0.005  # half a point of accuracy: smaller differences are left to the sections, unless surprising


@dataclass(frozen=True)
class Finding:
    sentence: str
    size: float  # the difference it reports, as a share of accuracy (or of digits); ranks it
    kind: str  # at most one finding of a kind in the summary
    surprising: bool = False


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


# The comparison table's input kinds in words.
INPUT_WORDS = {"pixels": "pixels", "pca": "PCA components", "top pixels": "selected pixels", "top_pixels": "selected pixels"}


def _inputs(row: Mapping) -> str:
    return f"{row['num_inputs']} {INPUT_WORDS.get(row['inputs'], row['inputs'])}"


def _nodes(count: int) -> str:
    return f"{count} hidden node{'s' if count != 1 else ''}"


def accuracy_findings(comparison: Mapping[str, Mapping], reference: str, twins: Mapping[str, str], num_classes: int,
                      paired: Mapping[str, Mapping] | None = None) -> list[Finding]:
    """The candidates the comparison table gives: the best network, the narrow layers, the reference against its twins
    (``twins``: experiment -> "inputs" or "augment", what alone sets it apart from ``reference``), the hidden layer
    against logistic regression on the same inputs, and the widest gap between training and test accuracy."""
    networks = {name: row for name, row in comparison.items() if "hidden_units" in row and row["hidden_units"] > 0}
    best = max(networks, key=lambda name: networks[name]["test_accuracy"])
    row = networks[best]
    found = [Finding(f"{best} reads the test digits best: {row['test_accuracy']:.1%} right, from {_inputs(row)} "
                     f"through {_nodes(row['hidden_units'])}.", float("inf"), "headline")]

    narrow = sorted((name for name, row in networks.items() if row["hidden_units"] < num_classes), key=lambda name: networks[name]["hidden_units"])
    if narrow:
        parts = [f"{name} ({_nodes(networks[name]['hidden_units'])}) {networks[name]['test_accuracy']:.1%}" for name in narrow]
        parts[0] = parts[0].replace(") ", ") reads ", 1) + " of the test digits right"
        worst = min(networks[name]["test_accuracy"] for name in narrow)
        found.append(Finding(f"With fewer hidden nodes than classes, {', '.join(parts)}, against {1 / num_classes:.0%} by chance.",
                             row["test_accuracy"] - worst, "narrow"))

    base = comparison[reference]
    for name, kind in twins.items():
        if kind != "inputs" or name not in comparison:
            continue
        other = comparison[name]
        difference = other["test_accuracy"] - base["test_accuracy"]
        test = (paired or {}).get(f"{reference} vs {name}") or (paired or {}).get(f"{name} vs {reference}")
        real = test["differ"] if test else abs(difference) >= NOTEWORTHY
        fewer = other["num_inputs"] < base["num_inputs"]
        text = (f"{name} reads the test digits from {_inputs(other)} {better_or_worse(difference)} than {reference} from {_inputs(base)} "
                f"({other['test_accuracy']:.1%} against {base['test_accuracy']:.1%})")
        if test and not test["differ"]:
            text += "; McNemar's test on the same digits finds no real difference"
        found.append(Finding(text + ".", abs(difference), f"inputs {name}", surprising=real and fewer == (difference > 0)))

    linear = next((row for name, row in comparison.items() if row.get("hidden_units") == 0 and row.get("inputs") == base["inputs"]
                   and row.get("penalty", "l2") == "l2"), None)
    if linear is not None:
        gain = base["test_accuracy"] - linear["test_accuracy"]
        text = (f"The hidden layer of {reference} reads the test digits {better_or_worse(gain)} than logistic regression on the same "
                f"inputs ({base['test_accuracy']:.1%} against {linear['test_accuracy']:.1%}).")
        found.append(Finding(text, abs(gain), "linear", surprising=gain <= 0))

    gaps = {name: row["train_accuracy"] - row["test_accuracy"] for name, row in networks.items() if "train_accuracy" in row}
    widest = max(gaps, key=gaps.get)
    found.append(Finding(f"The widest gap between training and test is {widest}'s: {networks[widest]['train_accuracy']:.1%} right on the "
                         f"digits it learnt from, {networks[widest]['test_accuracy']:.1%} on unseen ones.", gaps[widest], "gap"))
    return found


def class_finding(experiment: str, nodes: Mapping) -> Finding:
    """The reference's best and worst class, and what the worst is taken for."""
    classes = [row for row in nodes["classes"] if row["accuracy"] is not None]  # a class with no test images has none
    best = max(classes, key=lambda row: row["accuracy"])
    worst = min(classes, key=lambda row: row["accuracy"])
    text = (f"{experiment} reads {best['accuracy']:.0%} of the {class_test_images(best['class'])} right but only "
            f"{worst['accuracy']:.0%} of the {class_test_images(worst['class'])}")
    if worst["confused_with"] is not None:
        text += f", taking {worst['confusions']} of them for {class_items(worst['confused_with'])}"
    return Finding(text + ".", best["accuracy"] - worst["accuracy"], "classes")


def away_findings(experiment: str, realworld: Mapping, robustness: Mapping, calibration: Mapping, customers: Mapping) -> list[Finding]:
    """Candidates on digits away from the test set: other writers, changed images, abstaining, customers' pictures."""
    found = []
    row = realworld.get(experiment, {})
    if realworld.get("applicable") and "uci_accuracy" in row:
        found.append(Finding(f"On digits by other writers and another scanner (UCI) {experiment} is right on {row['uci_accuracy']:.1%}, "
                             f"against {row['test_accuracy']:.1%} on the test digits.", abs(row["drop"]), "writers"))
    rates = robustness[experiment]["strongest"]
    worst = min(rates, key=rates.get)
    severity = robustness["severities"][worst]
    level = str(max(int(key) for key in severity if key.isdigit()))
    clean = robustness[experiment]["clean"]
    found.append(Finding(f"{experiment} is most fragile to {worst}: at {severity[level]:g} {severity['unit']} it reads {rates[worst]:.1%} "
                         f"of the test digits right, against {clean:.1%} as they are.", clean - rates[worst], "fragile"))
    calibrated = calibration[experiment]
    target = calibration["target_accuracy"]
    if calibrated["threshold"] is None:
        found.append(Finding(f"No confidence threshold makes {experiment} {target:.0%} right on what it answers: every answer needs "
                             "checking by a person.", 1.0, "abstain", surprising=True))
    else:
        found.append(Finding(f"To be {target:.0%} right on what it answers, {experiment} must hand {calibrated['test_checked_by_hand']:.0%} "
                             "of the test digits to a person.", calibrated["test_checked_by_hand"], "abstain"))
    if customers.get("applicable") and experiment in customers:
        clean, hard = customers[experiment]["clean"], customers[experiment]["hard"]
        found.append(Finding(f"Of customers' digits on hard pictures (ruled paper, shadows, faint pencil, several digits, ...) "
                             f"{experiment} answers {hard['answered']:.0%}, against {clean['answered']:.0%} on clean ones.",
                             abs(clean["answered"] - hard["answered"]), "customers"))
    return found


def augment_finding(plain: str, augmented: str, rows: Sequence[tuple[str, float, float]]) -> Finding:
    """What training on distorted copies bought on changed digits and cost on clean ones, from ``augment_rows``."""
    by_name = {name: (before, after) for name, before, after in rows}
    clean = by_name["test accuracy"]
    changed = by_name["mean over the strongest changes"]
    text = (f"Trained on distorted copies, {augmented} reads the test digits as they are {better_or_worse(clean[1] - clean[0])} than "
            f"{plain} and digits at the strongest changes {better_or_worse(changed[1] - changed[0])} on average")
    hard = by_name.get("customers' hard pictures read right")
    if hard:
        text += f", customers' hard pictures {better_or_worse(hard[1] - hard[0])}"
    size = max(abs(clean[1] - clean[0]), abs(changed[1] - changed[0]))
    surprising = changed[1] <= changed[0] or (hard is not None and hard[1] < hard[0])
    return Finding(text + ".", size, f"augment {augmented}", surprising=surprising)


def count_sentence(count: int) -> str:
    """"The eight findings below ..." for the summary's heading line."""
    return f"The {count_words(count)} largest and most surprising differences of this run, chosen by rules from its metrics:"
