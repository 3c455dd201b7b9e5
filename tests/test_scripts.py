"""The README's scripts: what a newcomer's first run prints."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_HASH = "No file hash info found"


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    """A committed DVC project of three stages and one param, never run: a fresh clone's state (no dvc.lock)."""
    stages = "\n".join(f"  s{index}:\n    cmd: echo ${{x}} > out{index}.txt\n    params: [x]\n    outs: [out{index}.txt]"
                       for index in range(3))
    (tmp_path / "dvc.yaml").write_text(f"stages:\n{stages}\n")
    (tmp_path / "params.yaml").write_text("x: 1\n")
    environment = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@localhost", GIT_COMMITTER_NAME="t",
                       GIT_COMMITTER_EMAIL="t@localhost", DVC_NO_ANALYTICS="1")
    for command in (["git", "init", "-q"], [sys.executable, "-m", "dvc", "init", "-q"], ["git", "add", "-A"],
                    ["git", "commit", "-qm", "tiny"]):
        subprocess.run(command, cwd=tmp_path, check=True, env=environment)
    return tmp_path


def bash(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    """``bash ARGUMENTS`` in ``project``, with this environment's dvc first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", *arguments], cwd=project, text=True, capture_output=True,
                          env=dict(os.environ, PATH=path, DVC_NO_ANALYTICS="1"))


def dvc_run(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    return bash(project, str(ROOT / "scripts" / "dvc_run.sh"), *arguments)


def test_a_first_exp_run_prints_the_stages_not_a_warning_per_output(tiny_project):
    plain = subprocess.run([sys.executable, "-m", "dvc", "exp", "run", "-S", "x=3"], cwd=tiny_project,
                           capture_output=True, text=True)
    assert plain.stderr.count(NO_HASH) == 3  # what DVC itself prints on a first run, once an output
    (tiny_project / "dvc.lock").unlink()  # back to the first run's state
    subprocess.run(["git", "checkout", "-q", "params.yaml"], cwd=tiny_project, check=True)
    result = dvc_run(tiny_project, "-S", "x=2")
    assert result.returncode == 0, result.stderr
    assert NO_HASH not in result.stderr
    assert [f"Running stage 's{index}'" in result.stdout for index in range(3)] == [True] * 3
    assert (tiny_project / "out2.txt").read_text() == "2\n"


def test_a_failing_exp_run_keeps_its_status_and_its_error(tiny_project):
    result = dvc_run(tiny_project, "-S", "missing.key=1")
    assert result.returncode != 0
    assert "missing.key" in result.stderr


def test_sourced_as_repro_sh_sources_it_a_failure_stops_the_script_with_dvc_s_status(tiny_project):
    # scripts/repro.sh sources it after scripts/install.sh's `set -euo pipefail`: a failing first run must end the
    # script there (nothing after it runs) with DVC's own non-zero status.
    result = bash(tiny_project, "-c", f"set -euo pipefail; source {ROOT / 'scripts' / 'dvc_run.sh'} -S missing.key=1; echo after")
    assert result.returncode != 0 and "after" not in result.stdout
    assert "missing.key" in result.stderr
