"""Stage download: fetch the four IDX ``.gz`` files of ``data.dataset``.

Each file is taken from the first source that gives a verified copy, in order:
``data.mirror`` (a folder, ``file://`` or ``http(s)://`` base URL), then a
folder a system package installs (Debian's ``dataset-fashion-mnist``), then the
dataset's public URLs. Files are stored exactly as fetched, so their hashes
are the published ones; the set is moved into place only when all four pass.
"""

from __future__ import annotations

import argparse
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from common import atomic_path, load_params, run

from hiddennodes import PipelineError
from hiddennodes.datasets import DATASETS, FILE_NAMES, ROLES, DatasetSpec, verify

MAX_BYTES = 100 * 2**20  # the largest real file is 26 MB
TIMEOUT_SECONDS = 30


class SourceUnavailable(Exception):
    """A source that does not have, or could not give, a file."""


def sources(spec: DatasetSpec, mirror: str) -> list[str]:
    """Folders and base URLs to try, in order."""
    found = [mirror] if mirror else []
    found += [folder for folder in spec.local_dirs if Path(folder).is_dir()]
    found += list(spec.urls)
    return found


def fetch(source: str, file_name: str) -> bytes:
    """The bytes of ``file_name`` under a folder or base URL."""
    scheme = urllib.parse.urlparse(source).scheme
    if scheme in ("", "file") or len(scheme) == 1:  # a path, file:// URL, or Windows drive
        folder = Path(urllib.parse.unquote(urllib.parse.urlparse(source).path)) if scheme == "file" else Path(source)
        path = folder / file_name
        if not path.is_file():
            raise SourceUnavailable(f"{path} does not exist")
        if path.stat().st_size > MAX_BYTES:
            raise SourceUnavailable(f"{path} is larger than {MAX_BYTES} bytes")
        return path.read_bytes()
    url = source.rstrip("/") + "/" + file_name
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SourceUnavailable(f"{url}: {getattr(error, 'reason', error)}") from None
    if len(data) > MAX_BYTES:
        raise SourceUnavailable(f"{url} is larger than {MAX_BYTES} bytes")
    return data


def download(spec: DatasetSpec, mirror: str, out_dir: Path) -> dict[str, str]:
    """Put a verified copy of each file in ``out_dir``; returns file -> source."""
    tried = sources(spec, mirror)
    chosen = {}
    with atomic_path(out_dir) as temporary:
        temporary.mkdir()
        for role in ROLES:
            name = FILE_NAMES[role]
            problems = []
            for source in tried:
                try:
                    data = fetch(source, name)
                    verify(spec, role, data)
                except (SourceUnavailable, PipelineError) as error:
                    problems.append(str(error))
                    continue
                (temporary / name).write_bytes(data)
                chosen[name] = source
                break
            else:
                raise PipelineError(no_source_message(spec, name, problems))
    return chosen


def no_source_message(spec: DatasetSpec, name: str, problems: list[str]) -> str:
    tried = "; ".join(problems) if problems else "no source is configured"
    if spec.needs_mirror:
        return f"could not get a valid {name} for data.dataset {spec.name} ({tried}); set data.mirror to the folder or URL that holds your four IDX .gz files."
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
    for name, source in download(spec, params.data.mirror, args.out).items():
        print(f"{name}: verified, from {source}")


if __name__ == "__main__":
    run(main)
