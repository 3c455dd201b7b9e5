import functools
import gzip
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import yaml

import download
from hiddennodes import PipelineError
from hiddennodes.data.datasets import DATASETS, FILE_NAMES, ROLES, DatasetSpec
from hiddennodes.data.checks import verify
from synthetic import write_synthetic_dataset

CUSTOM = DATASETS["custom"]
CLOSED_PORT_URL = "http://127.0.0.1:9/"  # discard port: nothing listens, connection refused at once
ROOT = Path(__file__).resolve().parent.parent


def idx_file(shape: tuple[int, ...], values: bytes) -> bytes:
    """An IDX file of unsigned bytes, written byte by byte: magic 0x0000 08 ndim, one big-endian uint32 per dimension."""
    return bytes([0x00, 0x00, 0x08, len(shape)]) + b"".join(size.to_bytes(4, "big") for size in shape) + values


def own_files(train_images: int = 3, train_labels: int = 3, test_images: int = 2, test_labels: int = 2) -> dict[str, bytes]:
    """Uncompressed IDX bytes of a user's own four files, with the counts asked for."""
    return {
        "train_images": idx_file((train_images, 28, 28), bytes(train_images * 784)),
        "train_labels": idx_file((train_labels,), bytes(index % 10 for index in range(train_labels))),
        "test_images": idx_file((test_images, 28, 28), bytes(test_images * 784)),
        "test_labels": idx_file((test_labels,), bytes(index % 10 for index in range(test_labels))),
    }


def write_mirror(folder: Path, files: dict[str, bytes], compress: bool = True, names: dict[str, str] = FILE_NAMES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for role, data in files.items():
        (folder / names[role]).write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return folder


@pytest.fixture
def dataset(tmp_path) -> Path:
    return write_synthetic_dataset(tmp_path / "mirror", train_size=60, test_size=20)


def test_local_mirror_folder(dataset, tmp_path):
    chosen = download.download(CUSTOM, str(dataset), tmp_path / "raw")
    for name in FILE_NAMES.values():
        assert (tmp_path / "raw" / name).read_bytes() == (dataset / name).read_bytes()
        assert chosen[name] == str(dataset / name)


def test_file_url_mirror(dataset, tmp_path):
    download.download(CUSTOM, dataset.as_uri(), tmp_path / "raw")
    assert sorted(path.name for path in (tmp_path / "raw").iterdir()) == sorted(FILE_NAMES.values())


@pytest.fixture
def http_mirror(dataset):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(dataset))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_http_source_after_failing_ones(dataset, http_mirror, tmp_path):
    # The mirror lacks the files and the first URL refuses: the second URL is used.
    spec = DatasetSpec(name="custom", title="t", class_names=CUSTOM.class_names, counts=None,
                       urls=(CLOSED_PORT_URL, http_mirror))
    chosen = download.download(spec, str(tmp_path / "empty"), tmp_path / "raw")
    assert chosen == {name: http_mirror + name for name in FILE_NAMES.values()}
    assert (tmp_path / "raw" / FILE_NAMES["test_labels"]).read_bytes() == (dataset / FILE_NAMES["test_labels"]).read_bytes()


def test_corrupt_file_is_skipped_for_a_valid_one(dataset, http_mirror, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in FILE_NAMES.values():
        (bad / name).write_bytes((dataset / name).read_bytes()[:-10])  # truncated downloads
    spec = DatasetSpec(name="custom", title="t", class_names=CUSTOM.class_names, counts=None, urls=(http_mirror,))
    chosen = download.download(spec, str(bad), tmp_path / "raw")
    assert chosen == {name: http_mirror + name for name in FILE_NAMES.values()}


def test_failure_leaves_nothing_behind_and_names_the_ways_out(dataset, tmp_path):
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / FILE_NAMES["train_images"]).write_bytes((dataset / FILE_NAMES["train_images"]).read_bytes())
    spec = DatasetSpec(name="mnist", title="t", class_names=CUSTOM.class_names, counts=None, urls=(CLOSED_PORT_URL,))
    out = tmp_path / "data" / "raw"
    out.parent.mkdir()
    with pytest.raises(PipelineError) as caught:
        download.download(spec, str(partial), out)
    message = str(caught.value)
    assert "train-labels-idx1-ubyte.gz" in message
    assert "data.mirror" in message and "dataset-fashion-mnist" in message and "-S data.dataset=fashion_mnist" in message
    assert "internet" in message
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no temporary folder either


def test_existing_output_survives_a_failed_download(dataset, tmp_path):
    out = tmp_path / "raw"
    download.download(CUSTOM, str(dataset), out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    with pytest.raises(PipelineError, match="set data.mirror to the folder"):
        download.download(CUSTOM, str(tmp_path / "nowhere"), out)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_source_order(tmp_path):
    spec = DatasetSpec(name="x", title="t", class_names=(), counts=None, urls=("https://a/", "https://b/"),
                       local_dirs=(str(tmp_path), str(tmp_path / "absent")))
    assert download.sources(spec, "/my/mirror") == ["/my/mirror", str(tmp_path), "https://a/", "https://b/"]
    assert download.sources(spec, "") == [str(tmp_path), "https://a/", "https://b/"]


# A user's own files whose images and labels do not pair up: caught here, not in the prepare stage.


@pytest.mark.parametrize("compress", [True, False])
def test_image_and_label_counts_that_differ_stop_the_download(tmp_path, compress):
    mirror = write_mirror(tmp_path / "mirror", own_files(train_images=3, train_labels=2), compress=compress,
                          names=FILE_NAMES if compress else {role: name.removesuffix(".gz") for role, name in FILE_NAMES.items()})
    out = tmp_path / "data" / "raw"
    out.parent.mkdir()
    with pytest.raises(PipelineError) as caught:
        download.download(CUSTOM, str(mirror), out)
    message = str(caught.value)
    images, labels = (str(mirror / FILE_NAMES[role].removesuffix("" if compress else ".gz")) for role in ROLES[:2])
    assert f"{images} holds 3 images but {labels} holds 2 labels" in message
    assert "exactly one label" in message and message.count(". ") == 0 and message.endswith(".")
    assert list(out.parent.iterdir()) == []  # neither data/raw nor a temporary folder


def test_test_split_counts_are_checked_too(tmp_path):
    mirror = write_mirror(tmp_path / "mirror", own_files(test_images=2, test_labels=5))
    expected = r"t10k-images-idx3-ubyte.gz holds 2 images but .*t10k-labels-idx1-ubyte.gz holds 5 labels"
    with pytest.raises(PipelineError, match=expected):
        download.download(CUSTOM, str(mirror), tmp_path / "raw")


def test_existing_output_survives_a_mismatched_pair(tmp_path):
    out = tmp_path / "raw"
    download.download(CUSTOM, str(write_mirror(tmp_path / "good", own_files())), out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    with pytest.raises(PipelineError, match="holds 3 images but"):
        download.download(CUSTOM, str(write_mirror(tmp_path / "bad", own_files(train_labels=4))), out)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def stage(tmp_path: Path, mirror: Path) -> subprocess.CompletedProcess:
    """The download stage as DVC runs it, in a folder whose params.yaml reads the user's own files."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["data"].update(dataset="custom", mirror=str(mirror))
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    return subprocess.run([sys.executable, str(ROOT / "stages" / "download.py"), "--out", "data/raw"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_stage_says_verified_only_for_a_matching_set(tmp_path):
    bad = stage(tmp_path, write_mirror(tmp_path / "bad", own_files(train_images=3, train_labels=4)))
    assert bad.returncode == 1
    assert "verified" not in bad.stdout
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("error: ")
    assert "holds 3 images but" in bad.stderr and "holds 4 labels" in bad.stderr
    assert not (tmp_path / "data" / "raw").exists()
    good = stage(tmp_path, write_mirror(tmp_path / "good", own_files()))
    assert good.returncode == 0, good.stderr
    assert good.stdout.count(": verified, from ") == 4


# A user's own uncompressed IDX files are taken as they are, and stored gzip-compressed.


def test_uncompressed_files_without_gz_names(tmp_path):
    files = own_files()
    mirror = write_mirror(tmp_path / "mirror", files, compress=False,
                          names={role: name.removesuffix(".gz") for role, name in FILE_NAMES.items()})
    chosen = download.download(CUSTOM, str(mirror), tmp_path / "raw")
    for role, name in FILE_NAMES.items():
        assert chosen[name] == str(mirror / name.removesuffix(".gz"))
        stored = (tmp_path / "raw" / name).read_bytes()
        assert gzip.decompress(stored) == files[role]
        assert verify(CUSTOM, role, stored).shape[0] == (3 if role.startswith("train") else 2)  # what prepare reads
    download.download(CUSTOM, str(mirror), tmp_path / "again")
    assert all((tmp_path / "raw" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
               for name in FILE_NAMES.values())  # same input, same bytes: DVC sees no change


def test_uncompressed_bytes_under_gz_names_and_over_http(tmp_path):
    files = own_files()
    mirror = write_mirror(tmp_path / "mirror", files, compress=False)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mirror))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for source in (str(mirror), f"http://127.0.0.1:{server.server_address[1]}/"):
            out = tmp_path / "raw"
            download.download(CUSTOM, source, out)
            assert {name: gzip.decompress((out / name).read_bytes()) for name in FILE_NAMES.values()} == {
                FILE_NAMES[role]: data for role, data in files.items()}
    finally:
        server.shutdown()
        server.server_close()


def test_a_file_that_is_neither_gzip_nor_idx_is_named(tmp_path):
    mirror = write_mirror(tmp_path / "mirror", own_files())
    png = mirror / FILE_NAMES["train_labels"]
    png.write_bytes(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))  # a PNG signature
    with pytest.raises(PipelineError) as caught:
        download.download(CUSTOM, str(mirror), tmp_path / "raw")
    message = str(caught.value)
    assert f"{png} starts with bytes 0x89504e47" in message
    assert "neither gzip-compressed" in message and "nor an IDX file" in message
    assert "download it again" not in message
    assert not (tmp_path / "raw").exists()


def test_missing_file_names_both_spellings(tmp_path):
    files = own_files()
    del files["test_labels"]
    mirror = write_mirror(tmp_path / "mirror", files)
    with pytest.raises(PipelineError, match="holds neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte"):
        download.download(CUSTOM, str(mirror), tmp_path / "raw")


def test_the_whole_of_mnist_from_a_local_recompressed_copy(mnist_full, tmp_path):
    # ../shared/data/mnist was recompressed (gzip -9n), so no .gz md5 is the published one; the decompressed sha256s
    # must pass it, as they would any user's mirror that recompressed the files.
    sources = download.download(DATASETS["mnist"], str(mnist_full), tmp_path / "raw")
    assert sources == {name: str(mnist_full / name) for name in FILE_NAMES.values()}
    arrays = {role: verify(DATASETS["mnist"], role, (tmp_path / "raw" / FILE_NAMES[role]).read_bytes()) for role in ROLES}
    assert arrays["train_images"].shape == (60000, 28, 28) and arrays["test_images"].shape == (10000, 28, 28)
    assert np.bincount(arrays["train_labels"]).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(arrays["test_labels"]).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    # The pixel statistics every MNIST normalisation uses: these are MNIST's training images and no others.
    assert abs(arrays["train_images"].mean() / 255 - 0.1306604762738429) < 1e-12
