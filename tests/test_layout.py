"""The package's shape: subpackages by concern, and imports that only go one way between them."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hiddennodes"

# Lowest first: a module imports from its own subpackage and from those before it, never after.
# "" is the foundations: the modules of hiddennodes/ itself (errors, files, parallel, words, image_bytes).
LAYERS = ("", "data", "config", "network", "reading", "conditions", "interpret", "evaluate", "figures", "report",
          "explorer", "cli")


def layer_of(module: str) -> int:
    """The place in LAYERS of ``hiddennodes.<subpackage>.<module>`` or of a foundation ``hiddennodes.<module>``."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 or parts[1] in LAYERS else 0


def imported(source: str) -> set[str]:
    """The ``hiddennodes`` modules a source file imports (``from hiddennodes import X`` names the package)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("hiddennodes"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("hiddennodes")}
    return found


def backward_imports(module: str, source: str) -> list[str]:
    """The imports of ``module`` that go against LAYERS' order, as "a imports b" lines."""
    own = layer_of(module)
    return [f"{module} imports {name}" for name in sorted(imported(source))
            if name != "hiddennodes" and layer_of(name) > own]


def package_modules() -> dict[str, Path]:
    return {".".join(path.relative_to(ROOT).with_suffix("").parts): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_subpackage_has_a_place_in_the_order():
    subpackages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert subpackages == set(LAYERS) - {""}


def test_imports_only_go_one_way_between_the_subpackages():
    wrong = [line for module, path in package_modules().items() if not module.endswith("__init__")
             for line in backward_imports(module, path.read_text())]
    assert wrong == []


def test_the_check_finds_an_import_against_the_order():
    assert backward_imports("hiddennodes.data.idx", "from hiddennodes.report.page import report_page\n") == [
        "hiddennodes.data.idx imports hiddennodes.report.page"]
    assert backward_imports("hiddennodes.files", "import hiddennodes.network.trained\n") == [
        "hiddennodes.files imports hiddennodes.network.trained"]
    assert backward_imports("hiddennodes.report.page", "from hiddennodes.data.datasets import DIGITS\n") == []


def test_the_package_docstring_gives_the_same_order():
    docstring = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text()))
    named = re.findall(r"^\d+\. ``(\w+)``", docstring, flags=re.MULTILINE)
    assert tuple(named) == LAYERS[1:]


@pytest.mark.parametrize("subpackage", LAYERS[1:])
def test_each_subpackage_says_what_it_is_for_and_runs_nothing(subpackage):
    tree = ast.parse((PACKAGE / subpackage / "__init__.py").read_text())
    assert ast.get_docstring(tree), f"hiddennodes/{subpackage}/__init__.py has no docstring"
    # Only the docstring: importing one module of a subpackage must not import its siblings (a stage's code deps
    # follow its imports, so a subpackage that imported everything would rerun stages for nothing).
    assert len(tree.body) == 1
