"""The report's findings: sentences worded from the pipeline's numbers.

Every sentence in the findings is built from the pipeline's metrics, so a new
run with other params or another dataset rewrites them; nothing is claimed by
hand. The page they go on is ``hiddennodes.report.page``.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from hiddennodes.data.datasets import IMAGE_PIXELS, IMAGE_SHAPE
from hiddennodes.words import better_or_worse, class_test_images, costs, english_list, interval_text, percentage


def _shape(row: Mapping) -> str:
    return f"{row['num_inputs']}→{row['hidden_units']}→10"


def model_findings(comparison: Mapping[str, Mapping], num_classes: int, pca: Mapping | None = None, pixels: Mapping | None = None) -> list[str]:
    """Sentences comparing the experiments' accuracies."""
    found = []
    baselines = {name: row for name, row in comparison.items() if not name.startswith("exp")}
    comparison = {name: row for name, row in comparison.items() if name.startswith("exp")}
    best = max(comparison, key=lambda name: comparison[name]["test_accuracy"])
    row = comparison[best]
    text = f"{best} ({row['inputs']}, {_shape(row)}) reads the test set best: accuracy {row['test_accuracy']:.2%}."
    small = [name for name in ("exp1", "exp2") if name in comparison]
    if small:
        text += " With " + " and ".join(f"{comparison[name]['hidden_units']} hidden node{'s' if comparison[name]['hidden_units'] > 1 else ''} "
                                        f"({name}) it is {comparison[name]['test_accuracy']:.2%}" for name in small)
        text += f", against {1 / num_classes:.0%} by chance."
    found.append(text)
    if "exp3" in comparison:
        base = comparison["exp3"]["test_accuracy"]
        if "exp4" in comparison and pca:
            found.append(
                f"PCA inputs ({pca['n_components']} components keeping {pca['explained_variance']:.1%} of the pixel variance, exp4) "
                f"read the test digits {better_or_worse(comparison['exp4']['test_accuracy'] - base)} than all {IMAGE_PIXELS} pixels (exp3)."
            )
        if "exp5" in comparison and pixels:
            found.append(
                f"The {pixels['top_pixels']} pixels the random forest ranks highest (exp5, {pixels['importance_covered']:.0%} of its importance) "
                f"read the test digits {better_or_worse(comparison['exp5']['test_accuracy'] - base)} than all pixels."
            )
    # The L2 model of each input kind speaks for it (the l1 and elasticnet rows stand in the table beside it).
    linear = {row["inputs"]: (name, row) for name, row in baselines.items() if name == f"logreg {row['inputs']}"}
    if comparison[best]["inputs"] in linear:
        name, row = linear[comparison[best]["inputs"]]
        found.append(f"Logistic regression on the same inputs ({name}, no hidden layer) reaches {row['test_accuracy']:.2%}: "
                     f"the hidden layer of {best} reads {better_or_worse(comparison[best]['test_accuracy'] - row['test_accuracy'])}.")

    # The sparse models (L1, elastic net) of the best network's inputs: how many weights they drop, and what it costs.
    for sparse_name, sparse in baselines.items():
        penalty = sparse.get("penalty", "l2")
        if penalty == "l2" or sparse["inputs"] != comparison[best]["inputs"] or "zero_weights" not in sparse:
            continue
        dense = linear.get(sparse["inputs"])
        against = f" ({better_or_worse(sparse['test_accuracy'] - dense[1]['test_accuracy'])} than with L2)" if dense else ""
        found.append(f"With an {'L1' if penalty == 'l1' else 'elastic-net'} penalty ({sparse_name}) logistic regression sets "
                     f"{sparse['zero_weights']:.0%} of its weights to zero and reaches {sparse['test_accuracy']:.2%}{against}.")
    gaps = {name: row["train_accuracy"] - row["test_accuracy"] for name, row in comparison.items() if "train_accuracy" in row}
    if gaps:
        widest = max(gaps, key=gaps.get)
        row = comparison[widest]
        found.append(f"The widest gap between training and test accuracy is {widest}'s: {row['train_accuracy']:.2%} on the images "
                     f"it learnt from, {row['test_accuracy']:.2%} on unseen ones.")
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


def overlap_finding(overlap: Mapping) -> str:
    """One sentence on how well the single node's values separate the classes."""
    text = (f"With one node (exp1), the middle halves of the classes' activations overlap by {overlap['mean_pairwise_iqr_overlap']:.0%} "
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
    found.append(
        f"{experiment}: {nodes['dead_nodes']} of {count} hidden node{'s' if count > 1 else ''} never fire{'s' if count == 1 else ''} on the test set; "
        f"mean class selectivity {nodes['mean_selectivity']:.2f} (0: responds to every class alike, 1: to one class only)."
    )
    live = [row for row in rows if not row["dead"]]
    if live:
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
        found.append(
            f"The images found by gradient ascent for each class get a mean probability of {mean:.2f} for their class; "
            f"the hardest class to draw for this network is {weakest} ({preferred[weakest]:.2f})."
        )
    return found


def embedding_finding(experiment: str, embedding: Mapping, num_classes: int) -> str:
    return (
        f"{experiment}: on the t-SNE map of its hidden activations {embedding['tsne_neighbour_agreement']:.0%} of each training image's "
        f"10 nearest neighbours share its class, against {embedding['pca_neighbour_agreement']:.0%} on the 2-D PCA map "
        f"({embedding['pca_variance_2d']:.0%} of the hidden variance) and {1 / num_classes:.0%} by chance."
    )


def error_finding(experiment: str, class_report: Mapping, class_names: Sequence[str]) -> str:
    recalls = {name: class_report[name]["recall"] for name in class_names if name in class_report}
    weakest, strongest = min(recalls, key=recalls.get), max(recalls, key=recalls.get)
    text = (f"{experiment} finds {recalls[strongest]:.0%} of the {class_test_images(strongest)} but only {recalls[weakest]:.0%} "
            f"of the {class_test_images(weakest)}")
    confused = class_report.get("most_confused") or []
    if confused:
        top = confused[0]
        text += f"; it mixes up {top['classes'][0]} and {top['classes'][1]} most ({top['mistakes']} test mistakes, both ways)"
    return text + "."


def realworld_findings(realworld: Mapping, robustness: Mapping, calibration: Mapping, experiment: str = "exp3") -> list[str]:
    """Sentences answering "how would it read real digits?" for one experiment (the study's best width on pixels)."""
    found = []
    row = realworld.get(experiment, {})
    if realworld.get("applicable") and "uci_accuracy" in row:
        found.append(
            f"On {realworld['uci_digits']:,} handwritten digits from other writers and another scanner (UCI, enlarged and prepared as MNIST's), "
            f"{experiment} is right on {row['uci_accuracy']:.1%}, against {row['test_accuracy']:.1%} on MNIST's test digits "
            f"({abs(100 * row['drop']):.1f} points {'lower' if row['drop'] >= 0 else 'higher'}): the better guide to customers' digits."
        )
    rates = robustness[experiment]["strongest"]
    worst, best = min(rates, key=rates.get), max(rates, key=rates.get)
    severity = robustness["severities"]
    levels = max(int(key) for key in severity[worst] if key.isdigit())
    clean = robustness[experiment]["clean"]
    found.append(
        f"{experiment} is most fragile to {worst}: at {severity[worst][str(levels)]:g} {severity[worst]['unit']} its test accuracy falls from "
        f"{clean:.1%} to {rates[worst]:.1%}; it holds best under {best} ({rates[best]:.1%} at {severity[best][str(levels)]:g} {severity[best]['unit']})."
    )
    calibrated = calibration[experiment]
    text = (f"{experiment}'s expected calibration error on the test digits is {calibrated['test_ece']:.3f} "
            f"(mean confidence {calibrated['test_mean_confidence']:.1%}, accuracy {calibrated['test_accuracy']:.1%})")
    if "uci_ece" in row:
        text += f" and {row['uci_ece']:.3f} on the UCI digits"
    found.append(text + ".")
    target = calibration["target_accuracy"]
    if calibrated["threshold"] is None:
        found.append(f"No confidence threshold gives {experiment} {target:.0%} accuracy on the validation digits with "
                     f"{calibration.get('certainty', 0.5):.0%} certainty: every answer needs checking.")
    else:
        text = (f"To be {target:.0%} right on what it answers, {experiment} abstains below a top probability of {calibrated['threshold']:.3f} "
                f"(the lowest at which its validation answers reach {target:.0%} with {calibration.get('certainty', 0.5):.0%} certainty): it then answers {calibrated['test_coverage']:.1%} of the test digits, "
                f"{percentage(calibrated['test_accuracy_kept'])} of them correctly, and a person checks {calibrated['test_checked_by_hand']:.1%}")
        if "uci_coverage" in row:
            text += (f"; on the UCI digits the same threshold answers {row['uci_coverage']:.1%}, "
                     f"{percentage(row['uci_accuracy_kept'])} correctly")
        found.append(text + ".")
    return found


def customers_findings(customers: Mapping, table: Mapping, familiarity: Mapping, experiment: str = "exp3") -> list[str]:
    """Sentences answering "how would it read customers' photos and scans?" from the customers stage."""
    if not customers.get("applicable"):
        return [f"Customers' photos and scans: not applicable. {customers.get('reason', '')}"]
    rows = table["experiments"][experiment]
    clean, hard = customers[experiment]["clean"], customers[experiment]["hard"]
    found = [
        f"Customers' digits: the first {customers['digits']} test digits drawn as scans and phone photos under "
        f"{len({row['condition'] for row in rows})} conditions at {len(rows)} strengths in all, read exactly as "
        "hiddennodes-predict reads a file. "
        f"On clean pictures {experiment} answers {clean['answered']:.1%} of the digits and is right on {percentage(clean['accuracy_answered'])} "
        f"of those (the raw arrays of the same digits: {clean['raw_accuracy']:.1%} right when all are answered); on hard ones "
        f"(stored sideways, a table along the edge, ruled or squared paper, a printed box, faint pencil, shadows, dim light, "
        f"small digits, a thin pen, several digits) it answers {hard['answered']:.1%}, right on {percentage(hard['accuracy_answered'])}.",
        f"{clean['targets_met'] + hard['targets_met']} of {clean['conditions'] + hard['conditions']} conditions and strengths meet the target "
        "(the digits answered are read at 95% of the raw arrays' accuracy or better, and no more than 10% of them are wrong); "
        "what it cannot read it refuses with a reason rather than guessing.",
    ]
    answered = [row for row in rows if row["accuracy_answered"] is not None]
    if answered:
        worst = min(answered, key=lambda row: row["accuracy_answered"])
        found.append(f"Least accurate on what it answers: {worst['words']} ({worst['label']}), {worst['accuracy_answered']:.1%} "
                     f"of the {worst['answered']:.1%} it answers.")
    most_refused = min(rows, key=lambda row: row["answered"])
    reasons = ", ".join(f"{reason} ({count})" for reason, count in list(most_refused["refusals"].items())[:2]) or "none"
    found.append(f"Most often refused: {most_refused['words']} ({most_refused['label']}), {1 - most_refused['answered']:.1%} of "
                 f"its digits sent to a person; reasons: {reasons}.")
    found.append(f"A picture is refused as unlike any digit when its prepared {IMAGE_SHAPE[0]}×{IMAGE_SHAPE[1]} falls outside limits that "
                 f"{familiarity['val_pass_share']:.1%} of the {familiarity['val_digits']:,} validation digits pass "
                 "(reconstruction error through the pipeline's PCA, amount of ink, width against height).")
    return found



def augment_rows(plain: str, augmented: str, comparison: Mapping, robustness: Mapping, calibration: Mapping,
                 customers: Mapping, realworld: Mapping) -> list[tuple[str, float, float]]:
    """(what, plain's value, augmented's value) for every measure the report compares the two on: clean test accuracy,
    accuracy at each change's strongest severity and their mean, the calibration error and the share answered at the
    target accuracy, and the customers' and other writers' digits where those apply."""
    rows = [("test accuracy", comparison[plain]["test_accuracy"], comparison[augmented]["test_accuracy"])]
    severity = robustness["severities"]
    for change in severity:
        level = str(max(int(key) for key in severity[change] if key.isdigit()))
        rows.append((f"{change} {severity[change][level]:g} {severity[change]['unit']}",
                     robustness[plain]["strongest"][change], robustness[augmented]["strongest"][change]))
    strongest = [robustness[name]["strongest"] for name in (plain, augmented)]
    rows.append(("mean over the strongest changes", *(sum(rates.values()) / len(rates) for rates in strongest)))
    rows.append(("expected calibration error (lower is better)", calibration[plain]["test_ece"], calibration[augmented]["test_ece"]))
    rows.append((f"test digits answered at {calibration['target_accuracy']:.0%} accuracy",
                 calibration[plain]["test_coverage"], calibration[augmented]["test_coverage"]))
    if customers.get("applicable") and plain in customers and augmented in customers:
        for group in ("clean", "hard"):
            rows.append((f"customers' {group} pictures read right", customers[plain][group]["raw_accuracy"],
                         customers[augmented][group]["raw_accuracy"]))
    if realworld.get("applicable") and "uci_accuracy" in realworld.get(plain, {}) and "uci_accuracy" in realworld.get(augmented, {}):
        rows.append(("other writers' digits (UCI)", realworld[plain]["uci_accuracy"], realworld[augmented]["uci_accuracy"]))
    return rows


def augment_findings(plain: str, augmented: str, described: str, rows: Sequence[tuple[str, float, float]]) -> list[str]:
    """Sentences on what training on distorted copies bought and cost, from ``augment_rows``."""
    by_name = {name: (before, after) for name, before, after in rows}
    before, after = by_name["test accuracy"]
    found = [f"{augmented} is {plain} trained on distorted copies ({described}): on the test digits as they are it is right on "
             f"{after:.1%}, against {before:.1%} ({better_or_worse(after - before)})."]
    from hiddennodes.evaluate.robustness import CHANGES

    changes = [(name, before, after) for name, before, after in rows if name.split(" ")[0] in CHANGES]
    if changes:
        best = max(changes, key=lambda row: row[2] - row[1])
        worst = min(changes, key=lambda row: row[2] - row[1])
        found.append(f"Changed images gain the most at {best[0]}: {best[2]:.1%} against {best[1]:.1%} ({better_or_worse(best[2] - best[1])}).")
        if worst[2] < worst[1]:
            found.append(f"They lose the most at {worst[0]}: {worst[2]:.1%} against {worst[1]:.1%} ({better_or_worse(worst[2] - worst[1])}).")
        else:
            found.append(f"No change of the robustness stage leaves it worse off; the least gain is at {worst[0]} ({better_or_worse(worst[2] - worst[1])}).")
    for name in ("customers' hard pictures read right", "other writers' digits (UCI)"):
        if name in by_name:
            before, after = by_name[name]
            found.append(f"{name.capitalize()}: {after:.1%} against {before:.1%} ({better_or_worse(after - before)}).")
    return found


def attribution_finding(experiment: str, summary: Mapping) -> str:
    """How the attributions were made and how closely they add up."""
    how = "shap's DeepExplainer" if summary["method"] == "deep" else "shap's GradientExplainer (expected gradients)"
    return (f"{experiment}: {how} explains {summary['explained']} test digits against {summary['background']} training digits; "
            f"each picture's attributions add up to its score minus the background's to within {summary['additivity_error']:.1g}.")
