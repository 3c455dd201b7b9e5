"""The reproduced tiny project the pipeline's tests share, and what they run in it.

The pipeline is reproduced once per test session on a tiny synthetic dataset (``shared_project``), however
many pytest-xdist workers there are: the first worker to ask builds it under a file lock, the others wait for
it; each test module then works in a copy of its own (``project_copy``), so modules on different workers
never touch each other's files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from synthetic import write_synthetic_dataset

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

TINY = {
    "data": {"dataset": "custom", "val_size": 100},
    "pca": {"variance": 0.9},
    "rf": {"n_estimators": 5, "top_pixels": 20},
    "small": {"epochs": 3, "learning_rate": 0.01},
    # Ten epochs of 16 batches: milliseconds with the compiled loop, and enough
    # for 8 nodes to learn the bars whatever the seed (measured over 10 seeds).
    # (batch 32, no schedule: the regime that was measured; the committed recipe's batch of 128 gives 4 batches an epoch.)
    "model": {"hidden": 8, "epochs": 10, "learning_rate": 0.003, "batch_size": 32, "schedule": "constant"},
    "model_augmented": {"epochs": 10, "learning_rate": 0.003, "batch_size": 32, "schedule": "constant"},  # exp6: as model
    "customers": {"digits": 2},
    "attributions": {"per_class": 3, "mistakes": 2},
}



def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "DVC_NO_ANALYTICS": "1"}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def stages_run(output: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", output))


def project_files() -> list[str]:
    """The working tree's files, committed or not, but for a dvc.lock a `dvc repro` here left: it records outputs
    the copy does not have (the README runs the tests before `dvc repro`, but a user may run them after)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [name for name in listed if (ROOT / name).is_file() and name != "dvc.lock"]



def build_project(base: Path) -> Path:
    """A copy of the project with its own git repo and DVC, pointed at synthetic IDX files, after one `dvc repro`
    (its log in first_repro.log, what git then saw in first_status.log), committed."""
    mirror = write_synthetic_dataset(base / "mirror", train_size=600, test_size=200)
    project = base / "project"
    for name in project_files():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    params = yaml.safe_load((project / "params.yaml").read_text())
    for section, values in TINY.items():
        params[section].update(values)
    params["data"]["mirror"] = str(mirror)
    (project / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    run(["git", "init", "-q"], project)
    run(["git", "config", "user.email", "test@example.com"], project)
    run(["git", "config", "user.name", "test"], project)
    if not (project / ".dvc").is_dir():
        run([str(BIN / "dvc"), "init", "-q"], project)
    run(["git", "add", "-A"], project)
    run(["git", "commit", "-qm", "tiny params"], project)
    first = run([str(BIN / "dvc"), "repro"], project)
    project.joinpath("first_repro.log").write_text(first.stdout)
    changed = run(["git", "status", "--porcelain", "--untracked-files=all"], project).stdout
    project.joinpath("first_status.log").write_text(changed)
    run(["git", "add", "-A"], project)
    run(["git", "commit", "-qm", "first run"], project)
    return project


def shared_project(tmp_path_factory) -> Path:
    """The session's reproduced project, built once for every worker (the first to ask builds it)."""
    from filelock import FileLock

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    # Under pytest-xdist every worker's base folder sits in the session's own; alone, the base folder is the session's.
    session = tmp_path_factory.getbasetemp().parent if worker else tmp_path_factory.getbasetemp()
    base = session / "pipeline-shared"
    with FileLock(str(session / "pipeline-shared.lock")):
        if not (base / "built").is_file():
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir()
            build_project(base)
            (base / "built").write_text("ok")
    return base / "project"


def project_copy(tmp_path_factory, name: str) -> Path:
    """A copy of the shared project (git, DVC cache and outputs) for one test module to change as it likes."""
    source = shared_project(tmp_path_factory)
    copy = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(source, copy, symlinks=True)
    # The copy points at the same synthetic IDX files; DVC's state (file hashes by path) is rebuilt on first use.
    shutil.rmtree(copy / ".dvc" / "tmp", ignore_errors=True)
    return copy


@pytest.fixture(scope="module")
def project(request, tmp_path_factory) -> Path:
    """The asking test module's own copy of the session's reproduced project."""
    return project_copy(tmp_path_factory, request.module.__name__)


@pytest.fixture
def clean_project(project):
    """The module's project for a test that writes to it: reset to its committed state afterwards (every test
    leaves it as committed), so tests that change it share nothing and can run in any order."""
    yield project
    reset(project)


def reset(project: Path) -> None:
    """Back to the committed state: params, outputs and the lock file as the first run left them."""
    run(["git", "reset", "-q", "--hard"], project)
    run([str(BIN / "dvc"), "checkout", "-f", "-q"], project)


def lock_outputs(project: Path) -> list[str]:
    lock = yaml.safe_load((project / "dvc.lock").read_text())
    return sorted({out["path"] for stage in lock["stages"].values() for out in stage.get("outs", [])})


def would_rerun(project: Path, changes: dict) -> set[str]:
    """The stages `dvc repro` would run after ``changes`` ({"section.key": value}) to params.yaml, by DVC's own
    reckoning and without running one: the stages whose params or deps changed (`dvc status`) and everything
    downstream of them (`dvc repro --dry --downstream --force-downstream`). check_params reads every key but its
    output never changes, so nothing reruns for it alone. params.yaml is put back as it was."""
    params = (project / "params.yaml").read_text()
    edited = yaml.safe_load(params)
    for key, value in changes.items():
        section, name = key.split(".")
        edited[section][name] = value
    (project / "params.yaml").write_text(yaml.safe_dump(edited, sort_keys=False))
    try:
        changed = set(json.loads(run([str(BIN / "dvc"), "status", "--json"], project).stdout))
        targets = sorted(changed - {"check_params"})
        dry = run([str(BIN / "dvc"), "repro", "--dry", "--downstream", "--force-downstream", *targets], project) if targets else None
    finally:
        (project / "params.yaml").write_text(params)
    return (changed & {"check_params"}) | (stages_run(dry.stdout) if dry else set())

