"""kkdesk.core is Qt-free: the command line, migrations and future services use it headless."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kkdesk.core

CORE_DIR = Path(kkdesk.core.__file__).resolve().parent
FORBIDDEN = {"PySide6", "shiboken6"}


def _core_files() -> list[Path]:
    return sorted(p for p in CORE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    relative = path.relative_to(CORE_DIR.parent.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_roots(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, top-level package) of every import anywhere in the tree, nested ones too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value.split(".")[0]))
    return found


def test_core_has_modules() -> None:
    names = {p.stem for p in _core_files()}
    assert {"models", "database", "cases", "interchange"} <= names


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.name)
def test_core_module_does_not_import_qt(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offending = [f"{path.name}:{line} {root}" for line, root in _imported_roots(tree)]
    offending = [entry for entry in offending if entry.split()[-1] in FORBIDDEN]
    assert not offending, f"kkdesk.core må ikke importere Qt: {offending}"


def test_ast_check_catches_nested_imports() -> None:
    source = (
        "def f():\n"
        "    if True:\n"
        "        from PySide6.QtCore import Qt\n"
        "    import shiboken6\n"
        "    importlib.import_module('PySide6.QtWidgets')\n"
    )
    roots = {root for _line, root in _imported_roots(ast.parse(source))}
    assert roots >= FORBIDDEN


def test_importing_all_of_core_leaves_qt_unloaded() -> None:
    modules = [_module_name(p) for p in _core_files()]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt indlæst af kkdesk.core: {result.stdout.strip()}"
