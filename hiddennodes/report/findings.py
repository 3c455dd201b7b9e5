"""The report's findings: every sentence it says, worded from the pipeline's numbers, each in one place.

Every sentence is built from this run's metrics and the experiments'
declarations in params.yaml (their inputs, width and distortions), never from
their names, so another run, another dataset or a seventh experiment rewrites
them; nothing is claimed by hand. A finding that reports a difference (the best
network, a twin on other inputs, the hidden layer against logistic regression,
the widest gap, the weakest class, changed images, other writers, abstaining,
customers' pictures, distorted copies) carries its size and kind, so
``hiddennodes.report.summary`` picks the few a reader sees first from the very
sentences the sections show. The page they go on is ``hiddennodes.report.page``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from hiddennodes.data.datasets import IMAGE_SHAPE
from hiddennodes.words import (amount, better_or_worse, class_items, class_test_images, costs, count_words, english_list, interval_text,
                               percentage)


@dataclass(frozen=True)
class Finding:
    """One sentence of the report; ``size`` (the difference it reports, as a share of accuracy or of the images) and
    ``kind`` (at most one of a kind in the summary) let the summary choose it; a detail has neither."""

    sentence: str
    size: float = 0.0
    kind: str = "detail"
    surprising: bool = False


def sentences(findings: Sequence[Finding]) -> list[str]:
    return [finding.sentence for finding in findings]


HALF_A_POINT = 0.005  # a difference of accuracy smaller than this is within the noise of one run

# The comparison table's input kinds in words.
INPUT_WORDS = {"pixels": "pixels", "pca": "PCA components", "top pixels": "selected pixels", "top_pixels": "selected pixels"}


def _inputs(row: Mapping) -> str:
    return f"{row['num_inputs']} {INPUT_WORDS.get(row['inputs'], row['inputs'])}"


def _nodes(count: int) -> str:
    return f"{count} hidden node{'s' if count != 1 else ''}"


def _networks(comparison: Mapping[str, Mapping]) -> dict[str, Mapping]:
    """The rows of networks with a hidden layer (the baselines have none)."""
    return {name: row for name, row in comparison.items() if row.get("hidden_units", 0) > 0}


def accuracy_findings(comparison: Mapping[str, Mapping], reference: str, twins: Mapping[str, str], num_classes: int,
                      paired: Mapping[str, Mapping] | None = None, items: str = "digits") -> list[Finding]:
    """What the comparison table says: the best network, the layers narrower than the classes, the reference against
    each twin on other inputs (``twins``: experiment -> "inputs" or "augment", what alone sets it apart from
    ``reference`` in params.yaml), the hidden layer against logistic regression on the same inputs, and the widest gap
    between training and test accuracy. ``items``: what the images are ("digits", "images")."""
    networks = _networks(comparison)
    best = max(networks, key=lambda name: networks[name]["test_accuracy"])
    row = networks[best]
    filters = f"{' and '.join(map(str, row['filters']))} convolutional filters and " if row.get("filters") else ""
    found = [Finding(f"{best} reads the test {items} best: {row['test_accuracy']:.1%} right, from {_inputs(row)} "
                     f"through {filters}{_nodes(row['hidden_units'])}.", float("inf"), "headline")]

    narrow = sorted((name for name, row in networks.items() if row["hidden_units"] < num_classes), key=lambda name: networks[name]["hidden_units"])
    if narrow:
        parts = [f"{name} ({_nodes(networks[name]['hidden_units'])}) {networks[name]['test_accuracy']:.1%}" for name in narrow]
        parts[0] = parts[0].replace(") ", ") reads ", 1) + f" of the test {items} right"
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
        real = test["differ"] if test else abs(difference) >= HALF_A_POINT
        fewer = other["num_inputs"] < base["num_inputs"]
        text = (f"{name} reads the test {items} from {_inputs(other)} {better_or_worse(difference)} than {reference} from {_inputs(base)} "
                f"({other['test_accuracy']:.1%} against {base['test_accuracy']:.1%})")
        if test and not test["differ"]:
            text += f"; McNemar's test on the same {items} finds no real difference"
        found.append(Finding(text + ".", abs(difference), f"inputs {name}", surprising=real and fewer == (difference > 0)))

    linear = next((row for name, row in comparison.items() if row.get("hidden_units") == 0 and row.get("inputs") == base["inputs"]
                   and row.get("penalty", "l2") == "l2"), None)
    if linear is not None:
        gain = base["test_accuracy"] - linear["test_accuracy"]
        text = (f"The hidden layer of {reference} reads the test {items} {better_or_worse(gain)} than logistic regression on the same "
                f"inputs ({base['test_accuracy']:.1%} against {linear['test_accuracy']:.1%}).")
        found.append(Finding(text, abs(gain), "linear", surprising=gain <= 0))

    gaps = {name: row["train_accuracy"] - row["test_accuracy"] for name, row in networks.items() if "train_accuracy" in row}
    if gaps:
        widest = max(gaps, key=gaps.get)
        found.append(Finding(f"The widest gap between training and test is {widest}'s: {networks[widest]['train_accuracy']:.1%} right on "
                             f"the {items} it learnt from, {networks[widest]['test_accuracy']:.1%} on unseen ones.", gaps[widest], "gap"))
    return found


def inputs_finding(kinds: Sequence[str], pca: Mapping | None = None, pixels: Mapping | None = None) -> Finding | None:
    """What the reduced inputs the experiments use keep of the pixels (``kinds``: their input kinds)."""
    parts = []
    if "pca" in kinds and pca:
        parts.append(f"the PCA inputs are {pca['n_components']} components keeping {pca['explained_variance']:.1%} of the pixel variance")
    if "top_pixels" in kinds and pixels:
        parts.append(f"the selected pixels are the {pixels['top_pixels']} the random forest ranks highest, "
                     f"{pixels['importance_covered']:.0%} of its importance")
    if not parts:
        return None
    text = english_list(parts)
    return Finding(text[0].upper() + text[1:] + ".")


def sparse_findings(comparison: Mapping[str, Mapping], reference: str) -> list[Finding]:
    """The sparse logistic regressions (L1, elastic net) on the reference's inputs: the weights they drop, and the cost."""
    inputs = comparison[reference]["inputs"]
    baselines = {name: row for name, row in comparison.items() if row.get("hidden_units", 0) == 0}
    dense = next((row for row in baselines.values() if row["inputs"] == inputs and row.get("penalty", "l2") == "l2"), None)
    found = []
    for name, sparse in baselines.items():
        penalty = sparse.get("penalty", "l2")
        if penalty == "l2" or sparse["inputs"] != inputs or "zero_weights" not in sparse:
            continue
        against = f" ({better_or_worse(sparse['test_accuracy'] - dense['test_accuracy'])} than with L2)" if dense else ""
        found.append(Finding(f"With an {'L1' if penalty == 'l1' else 'elastic-net'} penalty ({name}) logistic regression sets "
                             f"{sparse['zero_weights']:.0%} of its weights to zero and reaches {sparse['test_accuracy']:.1%}{against}."))
    return found


def paired_findings(tests: Mapping[str, Mapping], comparison: Mapping[str, Mapping]) -> list[str]:
    """One sentence per pair of networks: does the McNemar test on the same test images say they differ?"""
    found = []
    for pair, result in tests.items():
        first, second = pair.split(" vs ")
        text = (f"{first} against {second} on the same test images: only {first} is right on {result[f'only_{first}']}, only {second} on "
                f"{result[f'only_{second}']}; McNemar's p = {result['p_value']:.2g}, ")
        text += "a real difference." if result["differ"] else "no evidence that they differ: the gap is within chance."
        intervals = [comparison.get(name, {}).get("test_accuracy_ci95") for name in (first, second)]
        if all(intervals):
            text += (f" Over {comparison[first]['repeats']} seeds their mean test accuracies' 95% intervals are "
                     f"{interval_text(intervals[0])} and {interval_text(intervals[1])}.")
        found.append(text)
    return found


def overlap_finding(experiment: str, overlap: Mapping) -> str:
    """One sentence on how well a single node's values separate the classes."""
    text = (f"With one node ({experiment}), the middle halves of the classes' activations overlap by {overlap['mean_pairwise_iqr_overlap']:.0%} "
            f"of their joint range on average; {overlap['overlapping_pairs']} of {overlap['pairs']} class pairs overlap at all")
    alone = overlap["classes_with_a_range_of_their_own"]
    if alone:
        text += f", and {english_list(alone)} {'has a range' if len(alone) == 1 else 'have ranges'} of {'its' if len(alone) == 1 else 'their'} own."
    else:
        text += ", and no class has a range of its own."
    return text


def node_findings(experiment: str, nodes: Mapping) -> list[str]:
    """Sentences on one experiment's hidden nodes, from its ``nodes.json``."""
    rows = nodes["nodes"]
    found = []
    count = len(rows)
    dead = nodes["dead_nodes"]
    silent = (f"{dead} of its {count} hidden nodes never fire on the test set" if dead > 1 else
              f"one of its {count} hidden nodes never fires on the test set" if dead == 1 and count > 1 else "")
    if count > 2:  # a class selectivity means something across many nodes; one or two are described node by node
        found.append(f"{experiment}: {silent + '; ' if silent else ''}mean class selectivity {nodes['mean_selectivity']:.2f} "
                     "(0: responds to every class alike, 1: to one class only).")
    elif silent:
        found.append(f"{experiment}: {silent}.")
    elif dead and count == 1:
        found.append(f"{experiment}'s one hidden node never fires on the test set.")
    live = [row for row in rows if not row["dead"]]
    if count == 1 and live:  # one node is both the most selective and the most important: say what it does, once
        node = live[0]
        found.append(f"{experiment}'s one node {node['description']} (mean activation per class); switching it off "
                     f"{costs(node['importance'])}.")
    elif live:
        selective = max(live, key=lambda row: row["selectivity"])
        important = max(live, key=lambda row: row["importance"])
        if selective is not important:
            found.append(
                f"Its most selective node, {selective['node']}, {selective['description']} (selectivity {selective['selectivity']:.2f}); "
                f"switching node {selective['node']} off {costs(selective['importance'])}."
            )
            text = f"Its most important node, {important['node']}, {important['description']}; "
        else:
            text = (f"Its most selective node, {important['node']}, is also its most important: it {important['description']} "
                    f"(selectivity {important['selectivity']:.2f}); ")
        text += f"switching node {important['node']} off {costs(important['importance'])}"
        if count > 2 and important["importance"] < 0.01:
            text += ": no single node matters much, each class is spread over many nodes."
        else:
            text += "."
        found.append(text)
    preferred = nodes.get("class_preferred_probability")
    if preferred:
        weakest = min(preferred, key=preferred.get)
        mean = sum(preferred.values()) / len(preferred)
        text = f"The images found by gradient ascent for each class get a mean probability of {mean:.2f} for their class"
        # Only a class the ascent cannot make convincing is worth naming; at 0.99 or more every class is drawn.
        found.append(text + (f"; the hardest class to draw for this network is {weakest} ({preferred[weakest]:.2f})."
                             if preferred[weakest] < 0.99 else "."))
    return found


def embedding_finding(experiment: str, embedding: Mapping, num_classes: int) -> str:
    return (
        f"{experiment}: on the t-SNE map of its hidden activations {embedding['tsne_neighbour_agreement']:.0%} of each training image's "
        f"10 nearest neighbours share its class, against {embedding['pca_neighbour_agreement']:.0%} on the 2-D PCA map "
        f"({embedding['pca_variance_2d']:.0%} of the hidden variance) and {1 / num_classes:.0%} by chance."
    )


def class_finding(experiment: str, nodes: Mapping) -> Finding:
    """The experiment's best and worst class, and what the worst is taken for (from its ``nodes.json``)."""
    classes = [row for row in nodes["classes"] if row["accuracy"] is not None]  # a class with no test images has none
    best = max(classes, key=lambda row: row["accuracy"])
    worst = min(classes, key=lambda row: row["accuracy"])
    text = (f"{experiment} reads {best['accuracy']:.0%} of the {class_test_images(best['class'])} right but only "
            f"{worst['accuracy']:.0%} of the {class_test_images(worst['class'])}")
    if worst["confused_with"] is not None:
        text += f", taking {worst['confusions']} of them for {class_items(worst['confused_with'])}"
    return Finding(text + ".", best["accuracy"] - worst["accuracy"], "classes")


def away_findings(experiment: str, realworld: Mapping, robustness: Mapping, calibration: Mapping, items: str = "digits") -> list[Finding]:
    """How ``experiment`` reads away from its test set: other writers' digits, changed images, and what it must hand
    to a person to be right on what it answers."""
    found = []
    row = realworld.get(experiment, {})
    if realworld.get("applicable") and "uci_accuracy" in row:
        count = f"{realworld['uci_digits']:,} " if "uci_digits" in realworld else ""
        found.append(Finding(
            f"On scikit-learn's {count}8×8 digits (UCI: other writers, another scanner, 64 pixels of 16 grey levels each, enlarged to "
            f"28×28 and prepared as MNIST's) {experiment} is right on {row['uci_accuracy']:.1%}, against {row['test_accuracy']:.1%} on "
            f"the test digits ({abs(100 * row['drop']):.1f} points {'lower' if row['drop'] >= 0 else 'higher'}): the drop mixes other "
            "hands with a twelfth of the pixels, so this accuracy is a floor for other writers' digits at MNIST's resolution, not an "
            "estimate of it.", abs(row["drop"]), "writers"))
    rates = robustness[experiment]["strongest"]
    worst, best = min(rates, key=rates.get), max(rates, key=rates.get)
    severity = robustness["severities"]
    level = str(max(int(key) for key in severity[worst] if key.isdigit()))
    clean = robustness[experiment]["clean"]
    found.append(Finding(
        f"{experiment} is most fragile to {worst}: at {amount(severity[worst][level], severity[worst]['unit'])} it reads {rates[worst]:.1%} "
        f"of the test {items} right, against {clean:.1%} as they are; it holds best under {best} ({rates[best]:.1%} at "
        f"{amount(severity[best][level], severity[best]['unit'])}).", clean - rates[worst], "fragile"))
    calibrated = calibration[experiment]
    if "test_ece" in calibrated:
        text = (f"{experiment}'s expected calibration error on the test {items} is {calibrated['test_ece']:.3f} "
                f"(mean confidence {calibrated['test_mean_confidence']:.1%}, accuracy {calibrated['test_accuracy']:.1%})")
        if "uci_ece" in row:
            text += f" and {row['uci_ece']:.3f} on the UCI digits"
        found.append(Finding(text + "."))
    target, certainty = calibration["target_accuracy"], calibration.get("certainty", 0.5)
    if calibrated["threshold"] is None:
        found.append(Finding(f"No confidence threshold makes {experiment} {target:.0%} right on what it answers (on the validation "
                             f"{items}, with {certainty:.0%} certainty): every answer needs checking by a person.", 1.0, "abstain",
                             surprising=True))
    else:
        text = (f"To be {target:.0%} right on what it answers, {experiment} must hand {calibrated['test_checked_by_hand']:.1%} of the test "
                f"{items} to a person: it abstains below a top probability of {calibrated['threshold']:.3f}")
        if "test_accuracy_kept" in calibrated:
            text += f" and reads the rest {percentage(calibrated['test_accuracy_kept'])} right"
        if "uci_coverage" in row:
            text += f"; on the UCI digits the same threshold answers {row['uci_coverage']:.1%}, {percentage(row['uci_accuracy_kept'])} right"
        found.append(Finding(text + ".", calibrated["test_checked_by_hand"], "abstain"))
    return found


HARD_WORDS = ("stored sideways, a table along the edge, ruled or squared paper, a printed box, faint pencil, shadows, dim light, "
              "small digits, a thin pen, several digits")


def customers_findings(customers: Mapping, table: Mapping, familiarity: Mapping, experiment: str,
                       target_accuracy: float = 0.99) -> list[Finding]:
    """How ``experiment`` reads customers' photos and scans, from the customers stage."""
    if not customers.get("applicable"):
        return [Finding(f"Customers' photos and scans: not applicable. {customers.get('reason', '')}".rstrip())]
    rows = table["experiments"][experiment]
    clean, hard = customers[experiment]["clean"], customers[experiment]["hard"]
    target = customers["reader"]["target_accuracy"] if customers.get("reader") else target_accuracy
    found = [
        Finding(f"Customers' digits: the first {customers['digits']} test digits drawn as scans and phone photos under "
                f"{len({row['condition'] for row in rows})} conditions at {len(rows)} strengths in all, read exactly as "
                "hiddennodes-predict reads a file."),
        Finding(f"On clean pictures {experiment} answers {clean['answered']:.1%} of customers' digits and is right on "
                f"{percentage(clean['accuracy_answered'])} of those (the raw arrays of the same digits: {clean['raw_accuracy']:.1%} right "
                f"when all are answered); on hard ones ({HARD_WORDS}) it answers {hard['answered']:.1%}, right on "
                f"{percentage(hard['accuracy_answered'])}.", abs(clean["answered"] - hard["answered"]), "customers"),
        Finding(f"{clean['targets_met'] + hard['targets_met']} of {clean['conditions'] + hard['conditions']} conditions and strengths "
                f"keep the threshold's promise of {target:.0%} of the answered digits right (a condition refused whole does not; "
                f"at {customers['digits']} digits a condition one wrong answer costs {1 / customers['digits']:.0%}); what it cannot read "
                "it refuses with a reason rather than guessing."),
    ]
    answered = [row for row in rows if row["accuracy_answered"] is not None]
    if answered:
        worst = min(answered, key=lambda row: row["accuracy_answered"])
        found.append(Finding(f"Least accurate on what it answers: {worst['words']} ({worst['label']}), {worst['accuracy_answered']:.1%} "
                             f"of the {worst['answered']:.1%} it answers."))
    most_refused = min(rows, key=lambda row: row["answered"])
    reasons = ", ".join(f"{reason} ({count})" for reason, count in list(most_refused["refusals"].items())[:2]) or "none"
    found.append(Finding(f"Most often refused: {most_refused['words']} ({most_refused['label']}), {1 - most_refused['answered']:.1%} of "
                         f"its digits sent to a person; reasons: {reasons}."))
    found.append(Finding(f"A picture is refused as unlike any digit when its prepared {IMAGE_SHAPE[0]}×{IMAGE_SHAPE[1]} falls outside "
                         f"limits that {familiarity['val_pass_share']:.1%} of the {familiarity['val_digits']:,} validation digits pass "
                         "(reconstruction error through the pipeline's PCA, amount of ink, width against height)."))
    return found


def augment_rows(plain: str, augmented: str, comparison: Mapping, robustness: Mapping, calibration: Mapping,
                 customers: Mapping, realworld: Mapping, items: str = "digits") -> list[tuple[str, float, float]]:
    """(what, plain's value, augmented's value) for every measure the report compares the two on: clean test accuracy,
    accuracy at each change's strongest severity and their mean, the calibration error and the share answered at the
    target accuracy, and the customers' and other writers' digits where those apply. ``items``: what the dataset's
    images are ("digits", "images")."""
    rows = [("test accuracy", comparison[plain]["test_accuracy"], comparison[augmented]["test_accuracy"])]
    severity = robustness["severities"]
    for change in severity:
        level = str(max(int(key) for key in severity[change] if key.isdigit()))
        rows.append((f"{change} {amount(severity[change][level], severity[change]['unit'])}",
                     robustness[plain]["strongest"][change], robustness[augmented]["strongest"][change]))
    strongest = [robustness[name]["strongest"] for name in (plain, augmented)]
    rows.append(("mean over the strongest changes", *(sum(rates.values()) / len(rates) for rates in strongest)))
    rows.append(("expected calibration error (lower is better)", calibration[plain]["test_ece"], calibration[augmented]["test_ece"]))
    rows.append((f"test {items} answered at {calibration['target_accuracy']:.0%} accuracy",
                 calibration[plain]["test_coverage"], calibration[augmented]["test_coverage"]))
    if customers.get("applicable") and plain in customers and augmented in customers:
        for group in ("clean", "hard"):  # what the reader answers, and how much of that is right: never the raw arrays' 1.0
            rows.append((f"customers' {group} pictures answered", customers[plain][group]["answered"],
                         customers[augmented][group]["answered"]))
            right = (customers[plain][group]["accuracy_answered"], customers[augmented][group]["accuracy_answered"])
            if None not in right:  # nothing answered has no accuracy
                rows.append((f"customers' {group} pictures: right of those answered", *right))
    if realworld.get("applicable") and "uci_accuracy" in realworld.get(plain, {}) and "uci_accuracy" in realworld.get(augmented, {}):
        rows.append(("other writers' digits (UCI)", realworld[plain]["uci_accuracy"], realworld[augmented]["uci_accuracy"]))
    return rows


def augment_findings(plain: str, augmented: str, described: str, rows: Sequence[tuple[str, float, float]],
                     items: str = "digits") -> list[Finding]:
    """What training on distorted copies bought and cost, from ``augment_rows``: the first sentence weighs it (clean
    test images, the mean at the strongest changes, customers' hard pictures), the rest say where."""
    by_name = {name: (before, after) for name, before, after in rows}
    clean = by_name["test accuracy"]
    changed = by_name["mean over the strongest changes"]
    text = (f"{augmented} is {plain} trained on distorted copies ({described}): it reads the test {items} as they are "
            f"{better_or_worse(clean[1] - clean[0])} ({clean[1]:.1%} against {clean[0]:.1%}) and at the strongest changes "
            f"{better_or_worse(changed[1] - changed[0])} on average")
    # augment_rows gives "right of those answered" only where both networks answered some
    hard, right = by_name.get("customers' hard pictures answered"), by_name.get("customers' hard pictures: right of those answered")
    if hard and right:
        text += (f"; of customers' hard pictures it answers {hard[1]:.1%} against {hard[0]:.1%}, {right[1]:.1%} of them right "
                 f"against {right[0]:.1%}")
    surprising = changed[1] <= changed[0] or (hard is not None and right is not None and right[1] < right[0])
    found = [Finding(text + ".", max(abs(clean[1] - clean[0]), abs(changed[1] - changed[0])), f"augment {augmented}", surprising)]
    from hiddennodes.evaluate.robustness import CHANGES

    changes = [(name, before, after) for name, before, after in rows if name.split(" ")[0] in CHANGES]
    if changes:
        best = max(changes, key=lambda row: row[2] - row[1])
        worst = min(changes, key=lambda row: row[2] - row[1])
        found.append(Finding(f"Changed images gain the most at {best[0]}: {best[2]:.1%} against {best[1]:.1%} "
                             f"({better_or_worse(best[2] - best[1])})."))
        if worst[2] < worst[1]:
            found.append(Finding(f"They lose the most at {worst[0]}: {worst[2]:.1%} against {worst[1]:.1%} "
                                 f"({better_or_worse(worst[2] - worst[1])})."))
        else:
            found.append(Finding(f"No change of the robustness stage leaves it worse off; the least gain is at {worst[0]} "
                                 f"({better_or_worse(worst[2] - worst[1])})."))
    if "other writers' digits (UCI)" in by_name:
        before, after = by_name["other writers' digits (UCI)"]
        found.append(Finding(f"Other writers' digits (UCI): {after:.1%} against {before:.1%} ({better_or_worse(after - before)})."))
    return found


def attribution_finding(experiment: str, summary: Mapping, items: str = "digits") -> str:
    """How the attributions were made and how closely they add up (``items``: what the dataset's images are)."""
    how = "DeepExplainer" if summary["method"] == "deep" else "GradientExplainer, expected gradients"
    return (f"How {experiment}'s red and blue attribution pictures are made: the shap library ({how}) shares out each of "
            f"{summary['explained']} test {items}' scores among its pixels, measured against {summary['background']} training {items}; "
            f"the shares add up to the score's difference from theirs to within {summary['additivity_error']:.1g}.")


def conv_rows(dense_nodes: Mapping, conv_nodes: Mapping) -> list[tuple[str, int, int, float | None, float | None, float, float]]:
    """Per class, what the dense and the convolutional hidden layer carry, from their interpret stages' ``nodes.json``:
    (class, nodes preferring it in each, test accuracy of each, the strongest carrier's mean contribution in each)."""
    def preferring(nodes: Mapping, name: str) -> int:
        return sum(node["preferred_class"] == name and not node["dead"] for node in nodes["nodes"])

    rows = []
    for dense_row, conv_row in zip(dense_nodes["classes"], conv_nodes["classes"]):
        name = dense_row["class"]
        rows.append((name, preferring(dense_nodes, name), preferring(conv_nodes, name), dense_row["accuracy"], conv_row["accuracy"],
                     dense_row["carriers"][0]["contribution"] if dense_row["carriers"] else 0.0,
                     conv_row["carriers"][0]["contribution"] if conv_row["carriers"] else 0.0))
    return rows


def conv_findings(dense: str, conv: str, comparison: Mapping[str, Mapping], dense_nodes: Mapping, conv_nodes: Mapping,
                  items: str = "digits") -> list[Finding]:
    """What looking through learnt filters changes, against the dense network of the same inputs and distortions:
    accuracy and size first (weighed for the summary), then how class-specific each hidden layer is, the class that
    gains most, and what the first-layer filters respond to."""
    base, other = comparison[dense], comparison[conv]
    gap = other["test_accuracy"] - base["test_accuracy"]
    filters = " and ".join(str(count) for count in other.get("filters", ()))
    found = [Finding(
        f"{conv}, {filters} filters of {other.get('kernel', '?')}x{other.get('kernel', '?')} before its {other['hidden_units']} "
        f"hidden nodes, reads the test {items} {better_or_worse(gap)} than {dense} ({other['test_accuracy']:.2%} against "
        f"{base['test_accuracy']:.2%}) with {other['trainable_parameters']:,} parameters against {base['trainable_parameters']:,}.",
        abs(gap), f"conv {conv}", gap < 0)]
    found.append(Finding(
        f"Its hidden nodes are {'more' if conv_nodes['mean_selectivity'] > dense_nodes['mean_selectivity'] else 'less'} "
        f"class-selective: mean selectivity {conv_nodes['mean_selectivity']:.2f} against {dense_nodes['mean_selectivity']:.2f}, "
        f"{conv_nodes['dead_nodes']} dead node{'s' if conv_nodes['dead_nodes'] != 1 else ''} against {dense_nodes['dead_nodes']}."))
    rows = [row for row in conv_rows(dense_nodes, conv_nodes) if row[3] is not None and row[4] is not None]
    if rows:
        best = max(rows, key=lambda row: row[4] - row[3])
        worst = min(rows, key=lambda row: row[4] - row[3])
        found.append(Finding(f"{class_items(best[0])} gain the most: {best[4]:.1%} right against {best[3]:.1%} "
                             f"({best[2]} of its hidden nodes prefer them, against {best[1]} of {dense}'s)."))
        if worst[4] < worst[3]:
            found.append(Finding(f"{class_items(worst[0])} lose the most: {worst[4]:.1%} against {worst[3]:.1%}."))
    first = conv_nodes.get("filters")
    if first:
        counts: dict[str, int] = {}
        for row in first["filters"]:
            counts[row["preferred_class"]] = counts.get(row["preferred_class"], 0) + 1
        top, many = max(counts.items(), key=lambda pair: pair[1])
        found.append(Finding(
            f"Its {first['first_layer']} first-layer filters are far less class-selective than its hidden nodes (mean "
            f"{first['mean_selectivity']:.2f} against {conv_nodes['mean_selectivity']:.2f}; {many} of them respond most to "
            f"{class_items(top)}): they find strokes that every class has, and which class it is is decided by the layers "
            "after them." if first["mean_selectivity"] < conv_nodes["mean_selectivity"] else
            f"Its {first['first_layer']} first-layer filters are already class-selective (mean {first['mean_selectivity']:.2f}); "
            f"{many} of them respond most to {class_items(top)}."))
    return found


def management_paragraphs(customers: Mapping, calibration: Mapping, realworld: Mapping, comparison: Mapping,
                          trained_on: Mapping[str, str]) -> list[str]:
    """The management question in three short paragraphs, from this run's numbers: which network to put in front of
    customers and how it is trained, how to judge it before use, and what the drawn customers' pictures are and are
    not. ``trained_on``: experiment -> the distortions it trains on in words ("" for the digits as they are). Every
    comparison gives the share answered and the accuracy of those answered."""
    if not customers.get("applicable") or not customers.get("reader"):
        return []
    reader = customers["reader"]
    name, target = reader["experiment"], reader["target_accuracy"]
    how = (f"trained on distorted copies ({trained_on[name]})" if trained_on.get(name) else "trained on the digits as they are")
    others = [other for other in customers if other not in ("dataset", "applicable", "digits", "reader") and other != name]
    versus = "; ".join(f"{other} answers {customers[other]['clean']['answered']:.1%} at {percentage(customers[other]['clean']['accuracy_answered'])}"
                       for other in others)
    train = (f"Which network, trained how: {name}, {how}: of the wide networks it answers the most clean customers' pictures while "
             f"{target:.0%} of its answers stay right ({reader['clean_answered']:.1%} answered, {percentage(reader['clean_accuracy_answered'])} "
             f"of those right; hard pictures {percentage(reader['hard_answered'])} at {percentage(reader['hard_accuracy_answered'])})"
             + (f"; {versus}" if versus else "") + ". hiddennodes-predict reads with it unless told otherwise.")
    judge = ("How to judge it before use: label a sample of real customers' digits (at 500, one wrong answer moves the accuracy by "
             "0.2 points) and read it with hiddennodes-predict; ")
    row, calibrated = realworld.get(name, {}), calibration.get(name, {})
    if realworld.get("applicable") and "uci_accuracy" in row:
        judge += (f"expect an accuracy between {row['uci_accuracy']:.1%} (scikit-learn's 8×8 digits by other writers, a floor) and "
                  f"{comparison[name]['test_accuracy']:.1%} (MNIST's own test writers) when every digit is answered; ")
    if "test_coverage" in calibrated:
        judge += (f"at its {target:.0%} threshold a person checks {1 - calibrated['test_coverage']:.1%} of MNIST's test digits and "
                  f"{1 - reader['clean_answered']:.1%} of the clean customers' pictures, and more of real customers' if their "
                  "writing differs.")
    drawn = (f"What the customers' pictures are: the first {customers['digits']} of MNIST's test digits drawn by this pipeline as "
             "scans and phone photos (paper, light, pens, framing, several digits). They test how the reader copes with pictures; "
             "they are not other people's handwriting, since the digits are MNIST's own writers'.")
    return [train, judge, drawn]


def width_sentences(sweep: Mapping) -> list[str]:
    """Why the reference has its width, from the width_sweep stage's summary (``metrics/width_sweep.json``): what the
    recorded sweep measured, how far this run's width is from its best on validation and at what training time, and
    whether it is the best width in the sense the report uses: the smallest within half a point (``HALF_A_POINT``,
    the noise of one run) of the best; or, where the sweep was made under other settings, that none backs this width,
    with the differences and the fix."""
    key, chosen = sweep["key"], sweep["chosen"]
    nodes = f"{chosen} hidden node{'s' if chosen != 1 else ''}"
    if not sweep["applicable"]:
        differences = [f"{item['key']} {item['recorded']} (this run: {item['now']})" for item in sweep["differences"]]
        shown = differences[:3] + ([f"{len(differences) - 3} more"] if len(differences) > 3 else [])
        return [f"No width sweep backs this run's {nodes}: the one recorded in sweeps/width.json was made with "
                f"{english_list(shown)}. Sweep the width again under these settings (docs/experiments.md) and record it "
                "with hiddennodes-sweep --key model.hidden --record sweeps/width.json."]
    rows = sorted(sweep["rows"], key=lambda row: row[key])  # widths' accuracies differ by tenths: hundredths of a point below
    repeated = sweep["chosen_on"] == "val_accuracy_mean"
    validation = {row[key]: row[sweep["chosen_on"]] for row in rows}
    by_width = {row[key]: row for row in rows}
    best, smallest = sweep["best"], rows[0][key]
    date = sweep.get("recorded", {}).get("date")
    seeds = f"{count_words(sweep['repeats'])} seeds" if sweep["repeats"] > 1 else "one seed"
    mean = "mean validation accuracy over the seeds" if repeated else "validation accuracy"
    said = [f"Why {nodes}: a sweep of {key} trained {sweep['experiment']} at {len(rows)} widths from {smallest} to "
            f"{rows[-1][key]}, each with {seeds}, under this run's settings (sweeps/width.json{', recorded ' + date if date else ''}; "
            "dvc repro reads it back and does not train it again)."]
    knee = next(width for width, accuracy in validation.items() if accuracy >= validation[best] - 0.01)
    rise = f"its {mean} is {percentage(validation[smallest], 2)} with {smallest} node{'s' if smallest != 1 else ''}"
    if knee not in (best, smallest):
        rise += f", within a point of the best from {knee} nodes on ({percentage(validation[knee], 2)})"
    said.append(f"Chosen on validation, never on test: {rise}, and highest with {best} nodes ({percentage(validation[best], 2)}).")
    # The best width as the report means it: the smallest within the noise of one run of the best.
    enough = next(width for width, accuracy in validation.items() if accuracy >= validation[best] - HALF_A_POINT)
    seconds, be = "training_seconds", "is" if chosen == 1 else "are"
    if chosen == best:
        said.append(f"This run's {nodes} {be} the sweep's best.")
    elif chosen not in validation:
        said.append(f"This run's width, {chosen}, was not among the widths swept.")
    else:
        gap = 100 * (validation[best] - validation[chosen])
        interval = by_width[best].get("val_accuracy_ci95")
        inside = interval is not None and validation[chosen] >= interval["low"]
        where = (f", inside the best's 95% interval ({percentage(interval['low'], 2)} to {percentage(interval['high'], 2)}): the sweep "
                 "cannot tell the two apart" if inside else
                 f", outside the best's 95% interval ({percentage(interval['low'], 2)} to {percentage(interval['high'], 2)})" if interval else "")
        cost = (f"; {chosen} nodes train in {by_width[chosen][seconds]:.0f} s, {best} in {by_width[best][seconds]:.0f} s"
                if seconds in by_width[chosen] and seconds in by_width[best] else "")
        said.append(f"This run's {nodes} {be} {gap:.2f} points below the best on validation{where}{cost}.")
    if chosen != best and chosen in validation:
        if chosen == enough:
            said.append(f"{chosen} is the smallest width within half a point of the best, the gap under which this report "
                        "calls a difference too small to matter: the best width in that sense.")
        else:
            said.append(f"The smallest width within half a point of the best (the gap under which this report calls a difference "
                        f"too small to matter) is {enough} ({percentage(validation[enough], 2)}); {chosen} is "
                        f"{'narrower' if chosen < enough else 'wider'}.")
    return said


def epochs_index(numbers: Mapping, epoch: int) -> int:
    return numbers["epochs"].index(epoch)


def epochs_sentence(name: str, numbers: Mapping) -> str:
    """How an experiment's hidden layer formed, from the interpret stage's numbers (``metrics/<exp>/epochs.json``): which
    classes it learns first and last (the first snapshot from which a class stays at 90% of its final rate:
    ``hiddennodes.interpret.epochs.learnt_epochs``), those it never learns, and when its nodes' preferred classes
    settle (``settled_epoch``), or how far they are from settled along the way where that is only at the kept epoch."""
    from hiddennodes.interpret.epochs import LEARNT, NEVER, SETTLED

    names, learnt, kept = numbers["class_names"], numbers["learnt"], numbers["kept_epoch"]
    items = [class_items(str(names[label])) for label in range(len(names))]
    known = [epoch for epoch in learnt if epoch is not None]

    def by(epoch: int) -> str:
        return "before any training (epoch 0)" if epoch == 0 else f"by epoch {epoch}"

    if not known:
        said = f"{name} over its epochs: it learns no class (each is read right less than {NEVER:.0%} of the time at the kept epoch)"
    elif min(known) == max(known):
        said = (f"{name} over its epochs: it reads every class {'it learns ' if None in learnt else ''}at {LEARNT:.0%} of its final "
                f"validation accuracy {by(known[0])}")
        rates = numbers["class_accuracy"]
        now, final = rates[epochs_index(numbers, known[0])], rates[epochs_index(numbers, kept)]
        behind = min((label for label in range(len(names)) if learnt[label] is not None and final[label]),
                     key=lambda label: now[label] / final[label])
        if known[0] != kept and now[behind] < final[behind]:
            said += (f"; the furthest behind then: {items[behind]}, right {percentage(now[behind])} of the time against "
                     f"{percentage(final[behind])} at the kept epoch ({kept})")
    else:
        first = [items[label] for label, epoch in enumerate(learnt) if epoch == min(known)]
        last = [items[label] for label, epoch in enumerate(learnt) if epoch == max(known)]
        share = f"{'each ' if len(first) > 1 else ''}at {LEARNT:.0%} of its final validation accuracy from then on"
        said = (f"{name} over its epochs: it learns {english_list(first)} first ({share}, {by(min(known))}) and "
                f"{english_list(last)} last ({by(max(known))})")
    never = [items[label] for label, epoch in enumerate(learnt) if epoch is None]
    if never and known:
        said += f"; it never learns {english_list(never)} (under {NEVER:.0%} right at the kept epoch, {kept})"
    shares, epochs = numbers["final_class_shares"], numbers["epochs"]
    preferred = numbers["preferred"][epochs.index(kept)]
    alive, width = sum(1 for label in preferred if label >= 0), len(preferred)
    if alive == 0:
        return said + f". {'Its node never fires' if width == 1 else 'None of its nodes fires'} on the validation images."
    if width == 1:
        subject, verb, they = "The class its node prefers", "settles", "it"
    elif width == 2 and alive == 2:
        subject, verb, they = "The classes both its nodes prefer", "settle", "they"
    else:
        firing = f"its {alive} firing node{'s' if alive > 1 else ''}" + (f" (of {width})" if alive < width else "")
        subject, verb, they = (f"The class{'es' if alive > 1 else ''} {firing} prefer{'' if alive > 1 else 's'}",
                               "settle" if alive > 1 else "settles", "they" if alive > 1 else "it")
    if numbers["settled"] < kept:
        said += f". {subject} {verb} {by(numbers['settled'])}"
        if alive > 2:
            said += f": from then on at least {SETTLED:.0%} of the nodes prefer the class they prefer at the kept epoch"
    else:
        along = [(epoch, share) for epoch, share in zip(epochs, shares) if 0 < epoch < kept]
        picked = dict(along[:1] + along[len(along) // 2:len(along) // 2 + 1])
        said += f". {subject} {verb} only at the kept epoch ({kept})"
        if picked and alive > 2:
            said += (": " + english_list([f"{percentage(share)} of them by epoch {epoch}" for epoch, share in picked.items()])
                     + f" already prefer the class {they} prefer there")
    return said + "."
