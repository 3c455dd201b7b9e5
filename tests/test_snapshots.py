"""The hidden layer over its epochs: the snapshots training keeps, their file, the numbers read from them and their words."""

import json

import keras
import numpy as np
import pytest

from hiddennodes.files import SetupError
from hiddennodes.figures.epochs import animation, strip, strip_epochs, weights_frame
from hiddennodes.interpret.epochs import epoch_numbers, final_class_shares, learnt_epochs, settled_epoch
from hiddennodes.network.keras_model import KeepBestWeights, KeepSnapshots, build_model, layer_parameters
from hiddennodes.network.snapshots import load_snapshots, save_snapshots
from hiddennodes.network.trained import Network
from hiddennodes.network.training import EpochRunner
from hiddennodes.report.findings import epochs_sentence


def trained(snapshots: KeepSnapshots | None, epochs=6):
    rng = np.random.default_rng(5)
    images, labels = rng.random((400, 20)).astype(np.float32), rng.integers(0, 10, 400).astype(np.uint8)
    keras.utils.set_random_seed(3)
    model = build_model(20, 6, 10, "relu", "adam", 0.01)
    keep = KeepBestWeights()
    EpochRunner(model).fit(images, labels, (images[:80], labels[:80]), epochs=epochs, batch_size=32, seed=0, verbose=False,
                           callbacks=[keep] + ([snapshots] if snapshots else []))
    return model, keep.best_epoch, images, labels


def test_snapshots_leave_the_training_as_it_is_and_keep_the_chosen_and_the_last_epochs():
    plain, _, _, _ = trained(None)
    snapshots = KeepSnapshots((0, 1, 2, 3, 5, 8))
    kept, best, _, _ = trained(snapshots)
    for first, second in zip(plain.get_weights(), kept.get_weights()):
        np.testing.assert_array_equal(first, second)  # the same updates, bit for bit
    assert sorted(snapshots.taken) == [0, 1, 2, 3, 5, 6]  # 8 is past the end; the last epoch, 6, is always kept
    assert not np.array_equal(snapshots.taken[0]["hidden_kernel"], snapshots.taken[6]["hidden_kernel"])
    # The layers after the kept epoch are those the network ends with (KeepBestWeights restores them).
    if best in snapshots.taken:
        np.testing.assert_array_equal(snapshots.taken[best]["hidden_kernel"], layer_parameters(kept)["hidden_kernel"])


def test_the_file_round_trips_and_each_snapshot_runs_as_a_network(tmp_path):
    snapshots = KeepSnapshots((0, 2))
    model, best, images, labels = trained(snapshots, epochs=4)
    snapshots.taken.setdefault(best, layer_parameters(model))
    save_snapshots(tmp_path / "snapshots.npz", snapshots.taken, best)
    loaded = load_snapshots(tmp_path / "snapshots.npz")
    assert list(loaded.epochs) == sorted({0, 2, 4, best}) and loaded.kept_epoch == best
    network = Network(layers=layer_parameters(model), input_kind="pixels", input_arrays={}, class_names=tuple("0123456789"))
    early = loaded.network_at(network, 0)
    np.testing.assert_array_equal(early.layers["hidden_kernel"], snapshots.taken[0]["hidden_kernel"])
    np.testing.assert_allclose(loaded.network_at(network, best).run(images)[1], network.run(images)[1])
    assert str(early.layers["hidden_activation"]) == "relu"
    numbers = epoch_numbers(network, loaded, images[:80], labels[:80])
    assert numbers["epochs"] == list(loaded.epochs) and len(numbers["class_accuracy"][0]) == 10
    assert numbers["val_accuracy"][numbers["epochs"].index(best)] == pytest.approx(
        float(np.mean(network.run(images[:80])[1].argmax(axis=1) == labels[:80])), abs=1e-6)
    np.savez(tmp_path / "other.npz", epochs=np.array([0, 1]), kept_epoch=np.array(1), hidden_kernel=np.zeros((3, 2, 2)))
    with pytest.raises(SetupError, match="other.npz holds 2 epochs but hidden_kernel of another length"):
        load_snapshots(tmp_path / "other.npz")


def numbers_of(class_accuracy, preferred, epochs=(0, 1, 2, 5, 8), kept=5, names="0123"):
    return {"epochs": list(epochs), "kept_epoch": kept, "class_accuracy": class_accuracy, "preferred": preferred,
            "val_accuracy": [0.5] * len(epochs), "class_names": list(names)}


def test_which_classes_are_learnt_first_and_when_the_nodes_settle():
    rates = [[0.1, 0.0, 0.0, 0.0], [0.9, 0.2, 0.05, 0.0], [0.95, 0.5, 0.1, 0.01], [0.96, 0.8, 0.15, 0.1], [0.97, 0.85, 0.2, 0.1]]
    preferred = [[0, 0, 1], [1, 2, 2], [1, 3, 2], [1, 3, 2], [1, 3, 0]]
    numbers = numbers_of(rates, preferred)
    # 0: 0.9 >= 0.9 x 0.96 by epoch 1; 1: 0.8 >= 0.9 x 0.8 by 5; 2: 0.15 is under 20% at the kept epoch; 3 too.
    assert learnt_epochs(numbers) == [1, 5, None, None]
    # Each node's class at the kept epoch (5): 1, 3 and 2; node 1 reaches its own at epoch 2; what comes after the kept
    # epoch (node 2 prefers 0 at epoch 8) plays no part.
    assert final_class_shares(numbers) == [0.0, pytest.approx(0.6667, abs=1e-4), 1.0, 1.0]
    assert settled_epoch(numbers) == 2
    said = epochs_sentence("exp9", {**numbers, "learnt": learnt_epochs(numbers), "settled": settled_epoch(numbers),
                                    "final_class_shares": final_class_shares(numbers)})
    assert said == ("exp9 over its epochs: it learns 0s first (at 90% of its final validation accuracy from then on, by epoch 1) and "
                    "1s last (by epoch 5); it never learns 2s and 3s (under 20% right at the kept epoch, 5). The classes its 3 firing "
                    "nodes prefer settle by epoch 2: from then on at least 90% of the nodes prefer the class they prefer at the kept epoch.")
    # A class an untrained layer answers for everything, then loses, is learnt when it comes back for good.
    flighty = numbers_of([[1.0, 0.0], [0.2, 0.6], [0.95, 0.9], [0.97, 0.92], [0.97, 0.9]], preferred, names="01")
    assert learnt_epochs(flighty) == [2, 2]  # 0s: above at epoch 0, below at 1, above from 2 on
    assert epochs_sentence("exp9", {**flighty, "learnt": [0, 1], "settled": 0, "final_class_shares": [1.0] * 4}).startswith(
        "exp9 over its epochs: it learns 0s first (at 90% of its final validation accuracy from then on, before any training (epoch 0))")


def test_one_node_and_classes_learnt_together_are_worded_as_such():
    rates = [[0.1, 0.1], [0.92, 0.5], [0.95, 0.9], [0.96, 0.95], [0.97, 0.96]]
    numbers = numbers_of(rates, [[0], [1], [0], [1], [1]], names="01")
    numbers.update(learnt=[1, 2], settled=settled_epoch(numbers), final_class_shares=final_class_shares(numbers))
    assert settled_epoch(numbers) == 5  # its one node changes its mind until the kept epoch
    assert epochs_sentence("exp1", numbers).endswith("The class its node prefers settles only at the kept epoch (5).")
    numbers.update(learnt=[2, 2])
    assert epochs_sentence("exp1", numbers).startswith(
        "exp1 over its epochs: it reads every class at 90% of its final validation accuracy by epoch 2; the furthest behind then: 1s, "
        "right 90.0% of the time against 95.0% at the kept epoch (5).")


def test_frames_are_drawn_on_one_scale_and_the_animation_loops():
    frames = [weights_frame(np.full((4, 784), value), [3, 1, 4, 1], 1.0, f"epoch {index}") for index, value in enumerate((0.0, 1.0))]
    assert frames[0].size == frames[1].size
    # the same weight at two epochs has the same colour; 0 is white, the scale's end full red
    assert frames[0].getpixel((30, 100)) == (247, 247, 247) or sum(frames[0].getpixel((30, 100))) > 700
    assert frames[1].getpixel((30, 100))[0] > 100 and frames[1].getpixel((30, 100))[2] < 60
    from PIL import Image
    import io
    webp = Image.open(io.BytesIO(animation(frames)))
    assert webp.n_frames == 2 and webp.info.get("loop") == 0
    # four at half size, two a row, each under its label
    assert strip(frames * 2, ["a", "b", "c", "d"]).size == (frames[0].size[0], frames[0].size[1] + 2 * 22)
    assert strip_epochs([0, 1, 2, 3, 5, 8, 11, 13, 21, 30], 11) == [0, 1, 5, 11]  # evenly apart on a log scale
    assert strip_epochs([0, 1, 26, 30], 26) == [0, 1, 26]


def test_the_snapshot_epochs_are_checked_with_the_key_and_the_fix_named():
    from pathlib import Path

    import yaml

    from hiddennodes.config.params import ParamsError, parse_params

    raw = yaml.safe_load((Path(__file__).resolve().parent.parent / "params.yaml").read_text())
    assert parse_params(raw).snapshots.epochs == (0, 1, 2, 3, 5, 8, 13, 21, 30)
    assert parse_params({**raw, "snapshots": {"epochs": [5, 0, 5]}}).snapshots.epochs == (0, 5)  # sorted, once each
    for bad in ([], [-1], "all", [1.5], [True]):
        with pytest.raises(ParamsError, match=r"snapshots.epochs is .*; it must be a list of whole numbers of at least 0"):
            parse_params({**raw, "snapshots": {"epochs": bad}})
