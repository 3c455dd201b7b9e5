import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "stages", ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# The pipeline modules' shared project and its fixtures (`project`, `clean_project`), for tests/test_pipeline*.py.
pytest_plugins = ["pipeline_project"]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

# The two slow layers: `pipeline` (the whole pipeline end to end in a temporary DVC project, marked in
# tests/test_pipeline*.py) and `browser` (pages in headless Chromium, marked here on every test that opens one).
# What is left, the quick layer, is `pytest -m "not pipeline and not browser"` (`bash scripts/test.sh --quick`).
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# The real MNIST test set that every developer and CI machine has beside the project.
MNIST_T10K = ROOT.parent / "shared" / "data" / "mnist-t10k"


def shared_folder(folder: Path, names) -> Path:
    """``folder`` of shared/ when it holds every file in ``names``; CI must have it, elsewhere its absence skips."""
    if not all((folder / name).is_file() for name in names):
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing; CI runs with shared/ beside the project")
        pytest.skip(f"{folder} not present (it sits beside the project on developer machines)")
    return folder


@pytest.fixture(scope="session")
def mnist_t10k() -> Path:
    """The folder with the real MNIST test files."""
    return shared_folder(MNIST_T10K, ["t10k-images-idx3-ubyte.gz"])


# The whole of MNIST (60,000 + 10,000, recompressed), beside the project on developer and CI machines too.
MNIST_FULL = ROOT.parent / "shared" / "data" / "mnist"


@pytest.fixture(scope="session")
def mnist_full() -> Path:
    """The folder with the four full MNIST files."""
    from hiddennodes.data.datasets import FILE_NAMES

    return shared_folder(MNIST_FULL, FILE_NAMES.values())


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright, for the pages' tests; CI must have it (scripts/test.sh installs
    Debian's chromium package)."""
    from browser import find_chromium, launch_args
    from playwright.sync_api import sync_playwright

    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing; scripts/test.sh installs Debian's chromium package when run as root")
        pytest.skip("chromium not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_args(path))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def real_network(mnist_t10k):
    """The study's 784-128-10 network trained once per test session on real digits: the first 7,000 t10k digits
    train, the next 1,000 validate, the last 2,000 are held out. Every real-digit test reads this one training."""
    import keras
    import numpy as np

    from hiddennodes.data.datasets import DATASETS, IMAGE_PIXELS
    from hiddennodes.data.checks import verify
    from hiddennodes.network.keras_model import build_model, layer_parameters
    from hiddennodes.network.training import EpochRunner

    mnist = DATASETS["mnist"]
    images = verify(mnist, "test_images", (mnist_t10k / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = verify(mnist, "test_labels", (mnist_t10k / "t10k-labels-idx1-ubyte.gz").read_bytes())
    features = images.reshape(-1, IMAGE_PIXELS).astype(np.float32) / 255
    keras.utils.set_random_seed(0)
    model = build_model(IMAGE_PIXELS, 128, 10, "relu", "rmsprop", 0.001)
    EpochRunner(model).fit(features[:7000], labels[:7000], (features[7000:8000], labels[7000:8000]), epochs=4,
                           batch_size=32, seed=0, verbose=False)
    return {"model": model, "layers": layer_parameters(model), "images": images, "labels": labels, "features": features,
            "train": slice(0, 7000), "val": slice(7000, 8000), "held_out": slice(8000, 10000)}


@pytest.fixture(scope="session")
def reading_project(real_network, tmp_path_factory):
    """A project folder holding that network as exp3 with its PCA, reject threshold and familiarity limits as the
    pipeline writes them, plus the pixel splits and activations the gathering stages read (held-out digits as test)."""
    import numpy as np
    from realdigits import write_reading_project

    from hiddennodes.network.trained import forward

    net = real_network
    features, labels = net["features"], net["labels"]
    root = tmp_path_factory.mktemp("project")
    write_reading_project(root, net["layers"], features[net["train"]], features[net["val"]], labels[net["val"]])
    pixels = root / "data" / "inputs" / "pixels"
    pixels.mkdir(parents=True)
    np.savez(pixels / "test.npz", features=features[net["held_out"]], labels=labels[net["held_out"]])
    np.savez(pixels / "val.npz", features=features[net["val"]], labels=labels[net["val"]])
    (root / "data" / "dataset.json").write_text(json.dumps(
        {"dataset": "mnist", "title": "MNIST", "class_names": [str(digit) for digit in range(10)]}))
    (root / "data" / "activations").mkdir()
    np.savez(root / "data" / "activations" / "exp3.npz",
             val_probabilities=forward(net["layers"], features[net["val"]])[1], val_labels=labels[net["val"]],
             test_probabilities=forward(net["layers"], features[net["held_out"]])[1], test_labels=labels[net["held_out"]])
    raw = float(np.mean(net["model"].predict(features[8000:8300], verbose=0).argmax(axis=1) == labels[8000:8300]))
    (root / "metrics" / "train").mkdir(parents=True)
    (root / "metrics" / "train" / "exp3.json").write_text(json.dumps({"inputs": "pixels", "test_accuracy": raw}))
    return root
