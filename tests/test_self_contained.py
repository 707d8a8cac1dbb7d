"""Nothing in the repository reads outside it: no path built from `__file__` climbs above the
repository root, no path names the shared sample collection beside it, and the recorded registry
responses are loaded from the repository's own fixtures."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from testkit.registry import records

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ["tests", "bench", "testkit"]
SCANNED += ["trials", "indexer", "service", "mappings", "cli", "localnode", "kibana"]
CONFIG_FILES = ["Makefile", "Dockerfile", "docker-compose.yml", "pyproject.toml", ".ci/run"]
CONFIG_FILES += [".dockerignore", ".env.example", "docker/elasticsearch/Dockerfile"]
# Strings that can only mean the shared collection beside the repository.
OUTSIDE_MARKERS = ("../shared", "shared/data", "/work/")


def _path_of(node: ast.expr, file: Path, names: dict[str, Path]) -> Path | None:
    """The path `node` evaluates to, when it is built from `__file__` (or from a name bound to
    such a path) with `.parent`, `.parents[k]`, `.resolve()` and `/ "literal"`; else None."""
    if isinstance(node, ast.Name):
        return file if node.id == "__file__" else names.get(node.id)
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("Path", "PurePath") and len(node.args) == 1:
            return _path_of(node.args[0], file, names)
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute"):
            return _path_of(func.value, file, names)
        return None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        base = _path_of(node.value, file, names)
        return None if base is None else base.parent
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
        index = node.slice
        if node.value.attr != "parents" or not isinstance(index, ast.Constant):
            return None
        base = _path_of(node.value.value, file, names)
        if base is None or not isinstance(index.value, int):
            return None
        # beyond the filesystem root Path raises IndexError; stop at "/" (still outside)
        return base.parents[min(index.value, len(base.parents) - 1)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        base = _path_of(node.left, file, names)
        if base is None or not isinstance(node.right, ast.Constant):
            return base
        if not isinstance(node.right.value, str):
            return None
        return Path(os.path.normpath(base / node.right.value))
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            found.add(id(first.value))
    return found


def escapes(source: str, file: Path, root: Path) -> list[str]:
    """Each place in `source` (the text of `file`) that reaches outside `root`."""
    tree = ast.parse(source)
    names: dict[str, Path] = {}
    assigns = sorted(
        (n for n in ast.walk(tree) if isinstance(n, ast.Assign)), key=lambda n: n.lineno
    )
    for assign in assigns:
        value = _path_of(assign.value, file, names)
        for target in assign.targets:
            if isinstance(target, ast.Name) and value is not None:
                names[target.id] = value
    found = []
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if id(node) not in docstrings and (
                text == "shared" or any(m in text for m in OUTSIDE_MARKERS)
            ):
                found.append(f"line {node.lineno}: names a path outside the repository: {text!r}")
        elif isinstance(node, ast.expr):
            path = _path_of(node, file, names)
            if path is not None and not path.is_relative_to(root):
                found.append(f"line {node.lineno}: resolves to {path}, outside {root}")
    return sorted(set(found))


def _python_files() -> list[Path]:
    """Every Python file of the scanned folders but this one, whose samples of ways out (below)
    are strings the scan would report."""
    files = [p for top in SCANNED for p in (ROOT / top).rglob("*.py")]
    mine = Path(__file__).resolve()
    return sorted(p for p in files if p.resolve() != mine and ".venv" not in p.parts)


def test_the_scan_covers_the_repository() -> None:
    scanned = {p.relative_to(ROOT).parts[0] for p in _python_files()}
    assert scanned == set(SCANNED)
    assert ROOT / "testkit" / "registry" / "records.py" in _python_files()


def test_no_python_source_reads_outside_the_repository() -> None:
    found = {
        str(p.relative_to(ROOT)): escapes(p.read_text(encoding="utf-8"), p.resolve(), ROOT)
        for p in _python_files()
    }
    assert {name: where for name, where in found.items() if where} == {}


def test_no_build_or_run_file_names_the_shared_collection() -> None:
    for name in CONFIG_FILES:
        path = ROOT / name
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        assert not [m for m in OUTSIDE_MARKERS if m in text], name


def test_the_recorded_responses_are_read_from_the_repository() -> None:
    where = records.REAL.resolve()
    assert where.is_relative_to(ROOT)
    assert sorted(p.name for p in where.iterdir() if p.is_dir()) == ["cris", "ctgov", "icreat"]
    assert records.icreat_records()
    assert records.cris_list_items()
    assert records.ctgov_studies()


# The detector itself, on the line the loader had before it read the repository's fixtures, and
# on other ways out; each must be reported, and the ways that stay inside must not.
RECORDS = Path("/repo/testkit/registry/records.py")


@pytest.mark.parametrize(
    "line",
    [
        'REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"',
        'REAL = Path(__file__).resolve().parents[3] / "data"',
        'REAL = Path(__file__).resolve().parents[2] / ".." / "elsewhere"',
        "HERE = Path(__file__).parent\nUP = HERE.parent.parent.parent",
        'DATA = "../shared/data/real/ctgov"',
        'DATA = Path("/work/shared/data/real")',
        "FAR = Path(__file__).parents[40]",
    ],
)
def test_the_detector_reports_a_way_out(line: str) -> None:
    assert escapes(line, RECORDS, Path("/repo")), line


@pytest.mark.parametrize(
    "line",
    [
        'REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "registries"',
        "HERE = Path(__file__).parent\nUP = HERE.parent.parent",
        '"""Read from ../shared/data/real once; now from the repository."""',
        'ATTACK = "/api/v1/trials/../../etc/passwd"',
    ],
)
def test_the_detector_lets_paths_inside_pass(line: str) -> None:
    assert escapes(line, RECORDS, Path("/repo")) == []
