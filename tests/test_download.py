import functools
import http.server
import threading
from pathlib import Path

import pytest

import download
from hiddennodes import PipelineError
from hiddennodes.datasets import DATASETS, FILE_NAMES, DatasetSpec
from synthetic import write_synthetic_dataset

CUSTOM = DATASETS["custom"]
CLOSED_PORT_URL = "http://127.0.0.1:9/"  # discard port: nothing listens, connection refused at once


@pytest.fixture
def dataset(tmp_path) -> Path:
    return write_synthetic_dataset(tmp_path / "mirror", train_size=60, test_size=20)


def test_local_mirror_folder(dataset, tmp_path):
    chosen = download.download(CUSTOM, str(dataset), tmp_path / "raw")
    for name in FILE_NAMES.values():
        assert (tmp_path / "raw" / name).read_bytes() == (dataset / name).read_bytes()
        assert chosen[name] == str(dataset)


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
    assert set(chosen.values()) == {http_mirror}
    assert (tmp_path / "raw" / FILE_NAMES["test_labels"]).read_bytes() == (dataset / FILE_NAMES["test_labels"]).read_bytes()


def test_corrupt_file_is_skipped_for_a_valid_one(dataset, http_mirror, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in FILE_NAMES.values():
        (bad / name).write_bytes((dataset / name).read_bytes()[:-10])  # truncated downloads
    spec = DatasetSpec(name="custom", title="t", class_names=CUSTOM.class_names, counts=None, urls=(http_mirror,))
    chosen = download.download(spec, str(bad), tmp_path / "raw")
    assert set(chosen.values()) == {http_mirror}


def test_failure_leaves_nothing_behind_and_names_the_ways_out(dataset, tmp_path):
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / FILE_NAMES["train_images"]).write_bytes((dataset / FILE_NAMES["train_images"]).read_bytes())
    spec = DatasetSpec(name="mnist", title="t", class_names=CUSTOM.class_names, counts=None, urls=(CLOSED_PORT_URL,))
    out = tmp_path / "data" / "raw"
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
