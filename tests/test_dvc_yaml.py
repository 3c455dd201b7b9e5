"""dvc.yaml tells the truth about the code each stage runs."""

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def project_imports(script: Path) -> set[str]:
    """The project's own files ``script`` imports, directly or through them, itself included."""
    seen: set[str] = set()
    pending = [script]
    while pending:
        path = pending.pop()
        relative = path.relative_to(ROOT).as_posix()
        if relative in seen:
            continue
        seen.add(relative)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if (ROOT / "stages" / f"{parts[0]}.py").is_file():  # a stage's shared helpers: common, settings
                    pending.append(ROOT / "stages" / f"{parts[0]}.py")
                elif parts[0] == "hiddennodes":
                    # Importing hiddennodes.a.b runs hiddennodes/__init__.py and hiddennodes/a/__init__.py first.
                    for depth in range(1, len(parts) + 1):
                        package = ROOT.joinpath(*parts[:depth], "__init__.py")
                        if package.is_file():
                            pending.append(package)
                    module = ROOT.joinpath(*parts).with_suffix(".py")
                    if len(parts) > 1 and module.is_file():
                        pending.append(module)
    return seen


def package_files(folder: Path) -> set[str]:
    """The Python files DVC hashes for a dependency on ``folder`` (caches are in .dvcignore)."""
    return {path.relative_to(ROOT).as_posix() for path in folder.rglob("*") if path.is_file()
            and "__pycache__" not in path.parts}


def declared_code(deps: list[str]) -> set[str]:
    """A stage's code deps as files: a subpackage's folder stands for every file in it (and must hold only code)."""
    files = set()
    for dep in deps:
        path = ROOT / dep
        if dep.endswith(".py"):
            files.add(dep)
        elif dep.startswith("hiddennodes/") and path.is_dir() and (path / "__init__.py").is_file():
            inside = package_files(path)
            assert all(name.endswith(".py") for name in inside), f"{dep} holds more than code: name its .py files"
            files |= inside
    return files


def test_every_stage_depends_on_exactly_the_code_it_runs():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    assert stages
    for name, stage in stages.items():
        stage = stage.get("do", stage)
        script = re.match(r"python (stages/\S+\.py)", stage["cmd"]).group(1)
        assert declared_code(stage["deps"]) == project_imports(ROOT / script), name


def test_a_subpackage_folder_stands_for_all_its_files_and_no_more():
    network = {"hiddennodes/network"}
    assert declared_code(network) == package_files(ROOT / "hiddennodes" / "network")
    assert "hiddennodes/network/trained.py" in declared_code(network)
    assert declared_code(["hiddennodes/files.py", "data/raw"]) == {"hiddennodes/files.py"}


def test_python_caches_are_not_hashed_as_code():
    ignored = (ROOT / ".dvcignore").read_text().split()
    assert "__pycache__/" in ignored and "*.pyc" in ignored
