"""Stage download: fetch the four IDX files of ``data.dataset`` into one folder.

Each file is taken from the first source that gives a verified copy, in order:
``data.mirror`` (a folder, ``file://`` or ``http(s)://`` base URL), then a
folder a system package installs (Debian's ``dataset-fashion-mnist``), then the
dataset's public URLs. A folder may hold a file uncompressed, named without
``.gz``; from any source a file may hold plain IDX bytes, told from gzip by its
magic number. Gzip files are stored exactly as fetched, so their hashes are the
published ones; plain IDX files are gzip-compressed on the way in (with a fixed
timestamp, so the same input gives the same bytes), because the prepare stage
and DVC's cache expect four ``.gz`` files. Before anything is stored, each
images file and its labels file must hold the same number of items, which a
user's own files need not; the set is moved into place only when all pass.
"""

from __future__ import annotations

import argparse
import gzip
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import atomic_path, run
from settings import load_params

from hiddennodes import PipelineError
from hiddennodes.data.datasets import DATASETS, FILE_NAMES, ROLES, DatasetSpec
from hiddennodes.data.checks import check_pairs, is_gzip, verify

MAX_BYTES = 100 * 2**20  # the largest real file is 26 MB compressed, 47 MB not
TIMEOUT_SECONDS = 30


class SourceUnavailable(Exception):
    """A source that does not have, or could not give, a file."""


def sources(spec: DatasetSpec, mirror: str) -> list[str]:
    """Folders and base URLs to try, in order."""
    found = [mirror] if mirror else []
    found += [folder for folder in spec.local_dirs if Path(folder).is_dir()]
    found += list(spec.urls)
    return found


def local_file(folder: Path, file_name: str) -> Path:
    """``file_name`` in ``folder`` or, failing that, the uncompressed file named without ``.gz``."""
    uncompressed = file_name.removesuffix(".gz")
    for path in (folder / file_name, folder / uncompressed):
        if path.is_file():
            return path
    raise SourceUnavailable(f"{folder} holds neither {file_name} nor {uncompressed}")


def fetch(source: str, file_name: str) -> tuple[bytes, str]:
    """The bytes of ``file_name`` under a folder or base URL, and the path or URL they came from."""
    scheme = urllib.parse.urlparse(source).scheme
    if scheme in ("", "file") or len(scheme) == 1:  # a path, file:// URL, or Windows drive
        folder = Path(urllib.parse.unquote(urllib.parse.urlparse(source).path)) if scheme == "file" else Path(source)
        path = local_file(folder, file_name)
        if path.stat().st_size > MAX_BYTES:
            raise SourceUnavailable(f"{path} is larger than {MAX_BYTES} bytes")
        return path.read_bytes(), str(path)
    url = source.rstrip("/") + "/" + file_name
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SourceUnavailable(f"{url}: {getattr(error, 'reason', error)}") from None
    if len(data) > MAX_BYTES:
        raise SourceUnavailable(f"{url} is larger than {MAX_BYTES} bytes")
    return data, url


def collect(spec: DatasetSpec, mirror: str) -> dict[str, tuple[bytes, str]]:
    """A verified copy of each role's file and where it came from; the images and labels of a split must pair up.

    Raises:
        PipelineError: naming the file no source gave, or the pair whose counts differ.
    """
    tried = sources(spec, mirror)
    found, arrays = {}, {}
    for role in ROLES:
        name = FILE_NAMES[role]
        problems = []
        for source in tried:
            try:
                data, location = fetch(source, name)
                arrays[role] = verify(spec, role, data, location)
            except (SourceUnavailable, PipelineError) as error:
                problems.append(str(error).rstrip("."))  # each becomes a clause of one sentence
                continue
            found[role] = data, location
            break
        else:
            raise PipelineError(no_source_message(spec, name, problems))
    check_pairs(arrays, {role: location for role, (_, location) in found.items()})
    return found


def download(spec: DatasetSpec, mirror: str, out_dir: Path) -> dict[str, str]:
    """Put a verified copy of each file in ``out_dir``, gzip-compressed; returns file -> the path or URL it came from."""
    found = collect(spec, mirror)
    with atomic_path(out_dir) as temporary:
        temporary.mkdir()
        for role, (data, _) in found.items():
            (temporary / FILE_NAMES[role]).write_bytes(data if is_gzip(data) else gzip.compress(data, mtime=0))
    return {FILE_NAMES[role]: location for role, (_, location) in found.items()}


def no_source_message(spec: DatasetSpec, name: str, problems: list[str]) -> str:
    tried = "; ".join(problems) if problems else "no source is configured"
    if spec.needs_mirror:
        return (
            f"could not get a valid {name} for data.dataset {spec.name} ({tried}); "
            f"set data.mirror to the folder or URL that holds your four IDX files under MNIST's names ({name} and so on), "
            "gzip-compressed or, in a folder, also uncompressed without the .gz."
        )
    return (
        f"could not get a valid {name} for data.dataset {spec.name} ({tried}); "
        "set data.mirror in params.yaml to a folder or file:// URL holding the four .gz files, "
        "or install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) and run "
        "with -S data.dataset=fashion_mnist, or connect to the internet and run again."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="folder for the four .gz files")
    args = parser.parse_args()
    params = load_params()
    spec = DATASETS[params.data.dataset]
    for name, location in download(spec, params.data.mirror, args.out).items():
        print(f"{name}: verified, from {location}")


if __name__ == "__main__":
    run(main)
