"""The import contract between the packages, read from the source (every import, lazy ones
inside functions included):

- `trials` and `mappings` are the shared core: they import none of the other packages;
- `service` and `indexer` never import each other; only the CLI brings them together, and
  only inside its commands (never at import time);
- `localnode` and `kibana` are tooling beside the core: no `service`, `indexer` or `cli`;
- nothing shipped imports `testkit`, `tests` or `bench`; `bench` never imports `tests`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ("trials", "mappings", "service", "indexer", "cli", "localnode", "kibana")
NOT_SHIPPED = ("testkit", "tests", "bench")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "trials": ("service", "indexer", "cli", "localnode", "kibana", *NOT_SHIPPED),
    "mappings": ("trials", "service", "indexer", "cli", "localnode", "kibana", *NOT_SHIPPED),
    "service": ("indexer", "cli", "localnode", *NOT_SHIPPED),
    "indexer": ("service", "cli", "localnode", "kibana", *NOT_SHIPPED),
    "localnode": ("service", "indexer", "cli", "kibana", *NOT_SHIPPED),
    "kibana": ("service", "indexer", "cli", "localnode", *NOT_SHIPPED),
    "cli": NOT_SHIPPED,
    "bench": ("tests",),
    "testkit": ("tests", "bench"),
}


def imported(tree: ast.AST, *, top_level_only: bool = False) -> set[str]:
    """The top-level package of every absolute import in `tree`."""
    nodes = (
        [n for n in getattr(tree, "body", []) if isinstance(n, ast.Import | ast.ImportFrom)]
        if top_level_only
        else [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    )
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def violations(package: str) -> list[str]:
    found = []
    for path in _modules(package):
        wrong = imported(_tree(path)) & set(FORBIDDEN[package])
        found += [f"{path.relative_to(REPO)} imports {name}" for name in sorted(wrong)]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_the_contract_allows(package: str) -> None:
    assert _modules(package), f"no modules found for {package}"
    assert violations(package) == []


def test_cli_imports_indexer_and_service_only_inside_commands() -> None:
    eager = [
        f"{path.relative_to(REPO)} imports {name} at import time"
        for path in _modules("cli")
        for name in sorted(imported(_tree(path), top_level_only=True) & {"indexer", "service"})
    ]
    assert eager == []


def test_the_checker_sees_lazy_and_aliased_imports() -> None:
    source = "import os\ndef f():\n    from indexer.run import x\n    import service.app as a\n"
    assert imported(ast.parse(source)) == {"os", "indexer", "service"}
    assert imported(ast.parse(source), top_level_only=True) == {"os"}


def test_every_shipped_package_is_under_contract() -> None:
    packages = {p.parent.name for p in REPO.glob("*/__init__.py")}
    assert set(PRODUCT) <= packages
    assert packages - set(FORBIDDEN) - {"mappings"} <= {"tests"}, "a new package needs a rule"
