import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "stages", ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

# The real MNIST test set that every developer and CI machine has beside the project.
MNIST_T10K = ROOT.parent / "shared" / "data" / "mnist-t10k"


@pytest.fixture(scope="session")
def mnist_t10k() -> Path:
    """The folder with the real MNIST test files; CI must have it, elsewhere its absence skips."""
    if not (MNIST_T10K / "t10k-images-idx3-ubyte.gz").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{MNIST_T10K} is missing; CI runs with shared/ beside the project")
        pytest.skip(f"{MNIST_T10K} not present (it sits beside the project on developer machines)")
    return MNIST_T10K


@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium for the report's browser test; CI must have it (scripts/test.sh installs it)."""
    from browser import find_chromium

    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing; scripts/test.sh installs Debian's chromium package when run as root")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path
