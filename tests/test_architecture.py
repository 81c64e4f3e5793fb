"""The package's shape: no import cycles, data flows exports -> model -> reports, no click in the library."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("classifier", "training")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every project module that ``name`` imports, at module level or inside functions."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t in MODULES and t != name}
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycle_from(start: str) -> list[str] | None:
    stack, seen = [(start, [start])], set()
    while stack:
        node, trail = stack.pop()
        for nxt in GRAPH[node]:
            if nxt == start:
                return trail + [start]
            if nxt not in seen and not nxt.startswith(start + "."):  # a package importing its own modules is fine
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.endswith("__init__")))
def test_module_is_in_no_import_cycle(module):
    cycle = None if module in PACKAGES or module.count(".") == 1 and module.split(".")[1] in ("exports", "reports", "history") else _cycle_from(module)
    assert cycle is None, " -> ".join(cycle)


def test_exports_do_not_depend_on_the_model_or_reports():
    for name, imported in GRAPH.items():
        if name.startswith("classifier.exports"):
            bad = {i for i in imported if not i.startswith("classifier.exports") and i not in ("classifier.errors", "classifier.normalize")}
            assert not bad, (name, bad)


def test_model_core_does_not_depend_on_exports_or_reports():
    core = {n for n in MODULES if n.startswith("classifier.") and n.count(".") == 1 and n not in ("classifier.exports", "classifier.reports", "classifier.classify")}
    for name in core:
        bad = {i for i in GRAPH[name] if i.startswith(("classifier.exports", "classifier.reports"))}
        assert not bad, (name, bad)


def test_history_sits_on_top_of_exports_model_and_reports():
    users = {name for name, imported in GRAPH.items() if any(i.startswith("classifier.history") for i in imported)}
    assert all(name.startswith("classifier.history") for name in users), users


def test_library_modules_do_not_import_click():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "click" not in names, name


def test_cli_stays_thin():
    assert len((ROOT / "cli.py").read_text(encoding="utf-8").splitlines()) < 540  # 14 commands, each a few lines over the library


def test_every_package_ships_in_a_non_editable_install():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for package in PACKAGES for p in (ROOT / package).rglob("__init__.py")}
    assert on_disk <= declared, f"add {sorted(on_disk - declared)} to [tool.setuptools] packages in pyproject.toml"
