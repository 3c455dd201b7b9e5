"""The report's summary: which findings the rules choose, and how they are worded, on hand-made metrics."""

from __future__ import annotations

import re

from hiddennodes.report.findings import (Finding, accuracy_findings, augment_findings, away_findings, class_finding,
                                         customers_findings)
from hiddennodes.report.summary import SUMMARY_LIMIT, summary
from hiddennodes.words import better_or_worse, costs


def row(inputs, num_inputs, hidden, train, test, **extra):
    return {"inputs": inputs, "num_inputs": num_inputs, "hidden_units": hidden, "train_accuracy": train, "test_accuracy": test, **extra}


COMPARISON = {
    "exp1": row("pixels", 784, 1, 0.40, 0.39),
    "exp2": row("pixels", 784, 2, 0.72, 0.71),
    "exp3": row("pixels", 784, 128, 0.95, 0.893),
    "exp4": row("pca", 154, 128, 0.94, 0.890),
    "exp5": row("top pixels", 70, 128, 0.85, 0.826),
    "logreg pixels": row("pixels", 784, 0, 0.87, 0.844, penalty="l2"),
    "logreg pixels l1": row("pixels", 784, 0, 0.87, 0.845, penalty="l1"),
}
TWINS = {"exp4": "inputs", "exp5": "inputs"}
SIGNED_CHANGE = re.compile(r"(by|changes?) [-+−]?\d|[-+−]\d[\d.]* points")  # "changes by -0.1 points", "+2.5 points"


def sentences(findings):
    return {finding.kind: finding.sentence for finding in findings}


def test_words_for_a_cost_and_a_difference_never_carry_a_sign():
    assert costs(0.005) == "costs 0.5 points" and costs(-0.003) == "gains 0.3 points"
    assert costs(0.0002) == "makes less than 0.1 points of difference"
    assert better_or_worse(0.025) == "2.5 points better" and better_or_worse(-0.067) == "6.7 points worse"
    assert better_or_worse(0.0001) == "within 0.1 points"


def test_accuracy_findings_say_the_best_the_narrow_layers_and_each_twin():
    found = sentences(accuracy_findings(COMPARISON, "exp3", TWINS, 10))
    assert found["headline"] == "exp3 reads the test digits best: 89.3% right, from 784 pixels through 128 hidden nodes."
    assert found["narrow"].startswith("With fewer hidden nodes than classes, exp1 (1 hidden node) reads 39.0% of the test digits right")
    assert "exp2 (2 hidden nodes) 71.0%" in found["narrow"] and found["narrow"].endswith("against 10% by chance.")
    assert found["inputs exp5"] == ("exp5 reads the test digits from 70 selected pixels 6.7 points worse than exp3 from 784 pixels "
                                    "(82.6% against 89.3%).")
    assert found["linear"] == ("The hidden layer of exp3 reads the test digits 4.9 points better than logistic regression on the same "
                               "inputs (89.3% against 84.4%).")  # the L2 model, not the L1 one
    assert found["gap"].startswith("The widest gap between training and test is exp3's: 95.0% right")
    assert not any(SIGNED_CHANGE.search(sentence) for sentence in found.values()), found


def test_fewer_inputs_reading_better_is_surprising_unless_mcnemar_says_it_is_chance():
    better = {**COMPARISON, "exp5": row("top pixels", 70, 128, 0.97, 0.91)}
    paired = {"exp3 vs exp5": {"differ": True}}
    finding = next(f for f in accuracy_findings(better, "exp3", TWINS, 10, paired) if f.kind == "inputs exp5")
    assert finding.surprising and "1.7 points better" in finding.sentence
    paired = {"exp3 vs exp5": {"differ": False}}
    finding = next(f for f in accuracy_findings(better, "exp3", TWINS, 10, paired) if f.kind == "inputs exp5")
    assert not finding.surprising and finding.sentence.endswith("McNemar's test on the same digits finds no real difference.")
    # More inputs reading worse than fewer is what one expects: not surprising.
    assert not next(f for f in accuracy_findings(COMPARISON, "exp3", TWINS, 10) if f.kind == "inputs exp5").surprising


def test_a_hidden_layer_no_better_than_logistic_regression_is_surprising():
    worse = {**COMPARISON, "logreg pixels": row("pixels", 784, 0, 0.93, 0.90, penalty="l2")}
    finding = next(f for f in accuracy_findings(worse, "exp3", TWINS, 10) if f.kind == "linear")
    assert finding.surprising and "0.7 points worse than logistic regression" in finding.sentence


def test_summary_keeps_the_headline_then_the_surprising_then_the_largest():
    findings = [
        Finding("small", 0.002, "a"),  # under half a point: left to its section
        Finding("large", 0.30, "b"),
        Finding("headline", float("inf"), "headline"),
        Finding("surprising but small", 0.003, "c", surprising=True),
        Finding("medium", 0.10, "d"),
        Finding("large again, same kind", 0.40, "b"),
    ]
    assert summary(findings) == ["headline", "surprising but small", "large again, same kind", "medium"]
    many = [Finding(f"finding {number}", 0.01 * number, f"kind {number}") for number in range(1, 20)]
    chosen = summary([Finding("headline", 1, "headline"), *many])
    assert len(chosen) == SUMMARY_LIMIT and chosen[:3] == ["headline", "finding 19", "finding 18"]


NODES = {"classes": [
    {"class": "Trouser", "accuracy": 0.97, "confused_with": "Dress", "confusions": 20},
    {"class": "Shirt", "accuracy": 0.70, "confused_with": "T-shirt/top", "confusions": 116},
    {"class": "Bag", "accuracy": 0.975, "confused_with": None, "confusions": 0},
]}
ROBUSTNESS = {"severities": {"rotation": {"unit": "degrees", "0": 0, "4": 45}, "contrast": {"unit": "share of contrast kept", "0": 1, "4": 0.2}},
              "exp3": {"clean": 0.893, "strongest": {"rotation": 0.40, "contrast": 0.104}},
              "exp6": {"clean": 0.815, "strongest": {"rotation": 0.70, "contrast": 0.50}}}
CALIBRATION = {"target_accuracy": 0.99, "exp3": {"threshold": 0.95, "test_checked_by_hand": 0.36}}


def test_class_and_away_findings():
    finding = class_finding("exp3", NODES)
    assert finding.sentence == ("exp3 reads 98% of the Bag test images right but only 70% of the Shirt test images, "
                                "taking 116 of them for T-shirt/top.")
    digits = {"classes": [{"class": "1", "accuracy": 0.99, "confused_with": "7", "confusions": 3},
                          {"class": "5", "accuracy": 0.85, "confused_with": "3", "confusions": 30},
                          {"class": "9", "accuracy": None, "confused_with": None, "confusions": 0}]}  # no test 9s: left out
    assert class_finding("exp3", digits).sentence == "exp3 reads 99% of the test 1s right but only 85% of the test 5s, taking 30 of them for 3s."
    assert abs(finding.size - 0.275) < 1e-9
    realworld = {"applicable": True, "exp3": {"uci_accuracy": 0.83, "test_accuracy": 0.97, "drop": 0.14}}
    found = sentences(away_findings("exp3", realworld, ROBUSTNESS, CALIBRATION))
    assert found["writers"] == ("On scikit-learn's 8×8 digits (UCI: other writers, another scanner, 64 pixels of 16 grey levels each, "
                                "enlarged to 28×28 and prepared as MNIST's) exp3 is right on 83.0%, against 97.0% on the test digits "
                                "(14.0 points lower): the drop mixes other hands with a twelfth of the pixels, so this accuracy is a floor "
                                "for other writers' digits at MNIST's resolution, not an estimate of it.")
    assert found["fragile"] == ("exp3 is most fragile to contrast: at 0.2 share of contrast kept it reads 10.4% of the test digits right, "
                                "against 89.3% as they are; it holds best under rotation (40.0% at 45 degrees).")
    assert found["abstain"] == ("To be 99% right on what it answers, exp3 must hand 36.0% of the test digits to a person: it abstains "
                                "below a top probability of 0.950.")
    # Another dataset: no other writers, its own words; no threshold reaching the target is surprising.
    never = {**CALIBRATION, "exp3": {"threshold": None}}
    found = away_findings("exp3", {"applicable": False}, ROBUSTNESS, never, items="images")
    assert [f.kind for f in found] == ["fragile", "abstain"] and found[1].surprising
    assert "of the test images right" in found[0].sentence and "on the validation images" in found[1].sentence


def test_customers_findings_weigh_clean_against_hard_pictures():
    customers = {"applicable": True, "digits": 50,
                 "exp3": {"clean": {"answered": 0.95, "accuracy_answered": 0.996, "raw_accuracy": 0.98, "targets_met": 20, "conditions": 25},
                          "hard": {"answered": 0.61, "accuracy_answered": 0.99, "raw_accuracy": 0.97, "targets_met": 30, "conditions": 36}}}
    table = {"experiments": {"exp3": [
        {"condition": "scan", "label": "112 px", "words": "clean grey scan", "answered": 0.96, "accuracy_answered": 1.0, "refusals": {}},
        {"condition": "faint", "label": "1/5 contrast", "words": "faint pencil", "answered": 0.0, "accuracy_answered": None,
         "refusals": {"no mark found": 50}}]}}
    found = customers_findings(customers, table, {"val_pass_share": 0.99, "val_digits": 5000}, "exp3")
    weighed = [f for f in found if f.kind == "customers"]
    assert len(weighed) == 1 and abs(weighed[0].size - 0.34) < 1e-9
    assert weighed[0].sentence.startswith("On clean pictures exp3 answers 95.0% of customers' digits and is right on 99.6% of those")
    assert found[2].sentence.startswith("50 of 61 conditions and strengths keep the threshold's promise of 99% of the answered digits "
                                        "right (a condition refused whole does not; at 50 digits a condition one wrong answer costs 2%)")
    assert found[4].sentence.startswith("Most often refused: faint pencil (1/5 contrast), 100.0% of its digits sent to a person")
    assert [f.sentence for f in customers_findings({"applicable": False, "reason": "Not digits."}, {}, {}, "exp3")] == [
        "Customers' photos and scans: not applicable. Not digits."]


def test_augmentation_that_does_not_help_changed_digits_is_surprising():
    helped = [("test accuracy", 0.893, 0.815), ("mean over the strongest changes", 0.45, 0.57)]
    finding = augment_findings("exp3", "exp6", "turned up to 15°", helped)[0]
    assert finding.sentence == ("exp6 is exp3 trained on distorted copies (turned up to 15°): it reads the test digits as they are "
                                "7.8 points worse (81.5% against 89.3%) and at the strongest changes 12.0 points better on average.")
    assert not finding.surprising and abs(finding.size - 0.12) < 1e-9
    hurt = [("test accuracy", 0.893, 0.88), ("mean over the strongest changes", 0.45, 0.44),
            ("customers' hard pictures answered", 0.968, 0.919), ("customers' hard pictures: right of those answered", 0.999, 0.982)]
    finding = augment_findings("exp3", "exp6", "moved up to 2 px", hurt, items="images")[0]
    # Answered share and accuracy of the answered, never the raw arrays' 1.0000 / 1.0000.
    assert finding.surprising and ("of customers' hard pictures it answers 91.9% against 96.8%, 98.2% of them right against 99.9%"
                                   in finding.sentence)
    assert "reads the test images as they are" in finding.sentence
