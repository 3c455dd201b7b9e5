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
                    pending.append(ROOT / "hiddennodes" / "__init__.py")
                    module = ROOT.joinpath(*parts).with_suffix(".py")
                    if len(parts) > 1 and module.is_file():
                        pending.append(module)
    return seen


def test_every_stage_depends_on_exactly_the_code_it_runs():
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    assert stages
    for name, stage in stages.items():
        stage = stage.get("do", stage)
        script = re.match(r"python (stages/\S+\.py)", stage["cmd"]).group(1)
        declared = {dep for dep in stage["deps"] if dep.endswith(".py")}
        assert declared == project_imports(ROOT / script), name
