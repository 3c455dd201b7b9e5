"""Work done side by side in forked processes: the same results, in order, as one at a time."""

import os

import numpy as np
import pytest

from hiddennodes.parallel import save_figures, side_by_side


def test_results_come_back_in_order_from_every_process():
    data = np.arange(1000.0)  # closed over, not pickled: the processes are forked
    items = list(range(7))
    results = side_by_side(lambda item: (item, float(data[item * 100:].sum()), os.getpid()), items, workers=3)
    assert [(item, total) for item, total, _ in results] == [(item, float(data[item * 100:].sum())) for item in items]
    assert len({pid for _, _, pid in results}) == 3  # dealt in turn to three processes, this one among them
    assert results[0][2] == os.getpid()


def test_one_item_or_one_worker_runs_here():
    assert side_by_side(lambda item: (item, os.getpid()), [5], workers=4) == [(5, os.getpid())]
    assert side_by_side(lambda item: item * 2, [1, 2, 3], workers=1) == [2, 4, 6]
    assert side_by_side(lambda item: item, []) == []


def test_a_failure_in_another_process_is_an_error_here():
    def fail_on_odd(item):
        if item % 2:
            raise ValueError(f"item {item}")
        return item

    with pytest.raises(RuntimeError, match="1 of the processes working side by side failed"):
        side_by_side(fail_on_odd, [0, 1, 2, 3], workers=2)
    with pytest.raises(ValueError, match="item 1"):  # this process's own share raises as it would alone
        side_by_side(fail_on_odd, [1, 0], workers=2)


def test_figures_are_drawn_and_saved_side_by_side(tmp_path):
    from matplotlib.figure import Figure

    def draw(colour):
        figure = Figure(figsize=(1, 1))
        figure.add_subplot().imshow(np.full((2, 2, 3), colour, dtype=np.uint8))
        return figure

    save_figures([(tmp_path / f"{colour}.png", lambda colour=colour: draw(colour)) for colour in (0, 128, 255)])
    from PIL import Image

    assert sorted(path.name for path in tmp_path.iterdir()) == ["0.png", "128.png", "255.png"]
    for colour in (0, 128, 255):
        pixels = np.asarray(Image.open(tmp_path / f"{colour}.png").convert("RGB"))
        assert tuple(pixels[pixels.shape[0] // 2, pixels.shape[1] // 2]) == (colour, colour, colour)
