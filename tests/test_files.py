"""The file helpers: atomic writes that clear what a killed run left, stages that stop in one line, a pure package."""

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hiddennodes.files import SetupError, atomic_path, load_json, load_npz, save_arrays

ROOT = Path(__file__).resolve().parent.parent


def test_a_failed_write_leaves_the_old_output_and_no_temporary(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("killed")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_leftovers_of_a_killed_run_are_cleared_when_the_target_is_next_written(tmp_path):
    # What SIGKILL leaves: a hidden temporary folder and file beside the targets, and a half-swapped old folder.
    (tmp_path / ".prepared.x1y2.tmp").mkdir()
    (tmp_path / ".prepared.x1y2.tmp" / "train.npz").write_bytes(b"0" * 1000)
    (tmp_path / ".prepared.old").mkdir()
    (tmp_path / ".report.html.ab12.tmp.html").write_text("half")
    (tmp_path / ".other.zz.tmp").mkdir()  # another stage's: left alone until that stage runs
    with atomic_path(tmp_path / "prepared") as folder:
        folder.mkdir()
        (folder / "train.npz").write_bytes(b"1")
    with atomic_path(tmp_path / "report.html", suffix=".html") as page:
        page.write_text("<p>")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.zz.tmp", "prepared", "report.html"]


def stage_script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "stage.py"
    script.write_text(f"import os, signal, sys, time\nsys.path.insert(0, {str(ROOT / 'stages')!r})\n"
                      f"from common import atomic_path, run\n\ndef main():\n{body}\n\nrun(main)\n")
    return script


@pytest.mark.parametrize("how", ["os.kill(os.getpid(), signal.SIGINT)", "os.kill(os.getpid(), signal.SIGTERM)"])
def test_ctrl_c_or_sigterm_is_one_line_and_removes_the_temporary(tmp_path, how):
    body = (f"    with atomic_path({str(tmp_path / 'out')!r}) as temporary:\n        temporary.mkdir()\n"
            f"        {how}\n        time.sleep(5)\n")
    # A shell that starts pytest in the background (`cmd &`) leaves SIGINT ignored, and an ignored signal stays ignored
    # in every child: give the stage the default disposition a terminal gives it, whatever started the tests.
    result = subprocess.run([sys.executable, str(stage_script(tmp_path, body))], capture_output=True, text=True, cwd=tmp_path,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert result.returncode == 130
    assert result.stderr.strip() == "interrupted: stage stopped before writing its outputs; `dvc repro` runs it again."
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.*"))


def test_damaged_or_foreign_files_are_one_sentence(tmp_path):
    save_arrays(tmp_path / "a.npz", x=[1, 2])
    assert load_npz(tmp_path / "a.npz", ("x",))["x"].tolist() == [1, 2]
    (tmp_path / "b.npz").write_bytes((tmp_path / "a.npz").read_bytes()[:40])
    with pytest.raises(SetupError, match=r"b\.npz cannot be read .* damaged, truncated or not an \.npz; restore it with `dvc checkout"):
        load_npz(tmp_path / "b.npz")
    with pytest.raises(SetupError, match=r"a\.npz has no y array"):
        load_npz(tmp_path / "a.npz", ("y",))
    (tmp_path / "c.json").write_text("[1]")
    with pytest.raises(SetupError, match=r"c\.json has no 'k'"):
        load_json(tmp_path / "c.json", ("k",))


def test_only_files_py_and_the_commands_open_files():
    """The library is pure: reading and writing live in hiddennodes/files.py (and the commands in hiddennodes/cli/)."""
    calls = re.compile(r"(?<![.\w])open\(|\.(read_text|write_text|read_bytes|write_bytes|savefig|mkdir|unlink)\(|np\.(load|savez?)\(")
    offenders = []
    for path in sorted((ROOT / "hiddennodes").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "hiddennodes/files.py" or relative.startswith("hiddennodes/cli/"):
            continue
        offenders += [f"{relative}:{number}" for number, line in enumerate(path.read_text().splitlines(), 1)
                      if calls.search(line.split("#")[0])]
    assert offenders == []


def test_the_commands_read_the_paths_dvc_yaml_writes():
    import yaml

    from hiddennodes.cli import project

    pipeline = yaml.safe_load((ROOT / "dvc.yaml").read_text())
    written = set()
    for definition in pipeline["stages"].values():
        body = definition.get("do", definition)
        for section in ("outs", "metrics"):
            written |= {next(iter(entry)) if isinstance(entry, dict) else entry for entry in body.get(section, [])}
    assert {project.CALIBRATION, project.FAMILIARITY, project.CUSTOMERS, "models/${key}/network.npz"} <= written
    assert project.PCA_MAP.startswith(next(out for out in written if out == "data/inputs/pca") + "/")
    assert project.network_path("${key}") == "models/${key}/network.npz"
