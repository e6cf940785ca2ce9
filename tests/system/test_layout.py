"""The house rules of the code's layout, read from every module's imports (function-local ones too).

- no import circle;
- `storage/` imports nothing from `bot/`;
- the plumbing (`bot/slack/`) and the shared top-level modules import no feature;
- a feature is imported only through its package (the names its `__init__` lists in `__all__`);
- every feature package says what it holds;
- no module over 400 lines;
- nothing reaches into Bolt's private attributes (the app's parts are on its typed `wiring`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
# top-level modules that wire the app together: they may import the features (through their
# packages); every other top-level module is shared by the features and imports none of them
WIRING = {"bot", "bot.__main__", "bot.cli", "bot.jobs", "bot.scheduler"}
PLUMBING = "bot.slack"


@dataclass(frozen=True)
class Import:
    """One imported name: the module it resolves to, the name taken from it, and where."""

    target: str
    name: str | None  # `from target import name`, when `name` is not a module itself
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for top in ("bot", "storage"):
        for path in sorted((ROOT / top).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()
FEATURES = sorted(
    name
    for name, path in MODULES.items()
    if path.name == "__init__.py" and name.count(".") == 1 and name.startswith("bot.")
    if name != PLUMBING
)


def _imports(name: str, path: Path) -> Iterator[Import]:
    """Every import of a module (at any depth: function-local and TYPE_CHECKING ones too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in MODULES:
                    yield Import(full, None, node.lineno)
                else:
                    yield Import(base, alias.name, node.lineno)


GRAPH: dict[str, list[Import]] = {
    name: [i for i in _imports(name, path) if i.target.split(".")[0] in ("bot", "storage")]
    for name, path in MODULES.items()
}


def _feature_of(module: str) -> str | None:
    return next((f for f in FEATURES if module == f or module.startswith(f + ".")), None)


def _public_names(feature: str) -> set[str]:
    tree = ast.parse(MODULES[feature].read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return {ast.literal_eval(e) for e in node.value.elts}  # type: ignore[attr-defined]
    return set()


def test_the_modules_were_found() -> None:
    assert {"bot", "bot.slack.router", "storage.models"} <= MODULES.keys()
    assert {"bot.handoff", "bot.home", "bot.reports", "bot.study", "bot.timelog"} <= set(FEATURES)
    assert all(GRAPH[m] for m in ("bot", "bot.jobs", "bot.timelog.prompts"))


def test_no_import_circle() -> None:
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            circle = [*path[path.index(module) :], module]
            raise AssertionError("import circle: " + " → ".join(circle))
        if module in done or module not in GRAPH:
            return
        for imp in GRAPH[module]:
            visit(imp.target, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


def test_storage_imports_nothing_from_bot() -> None:
    wrong = [
        f"{m}:{i.line} imports {i.target}"
        for m, imports in GRAPH.items()
        if m.startswith("storage")
        for i in imports
        if i.target.startswith("bot")
    ]
    assert wrong == []


def test_plumbing_and_shared_modules_import_no_feature() -> None:
    shared = [m for m in MODULES if m.startswith("bot.") and m.count(".") == 1 and m not in WIRING]
    assert "bot.services" in shared and "bot.config" in shared
    wrong = [
        f"{m}:{i.line} imports {i.target}"
        for m, imports in GRAPH.items()
        if m == PLUMBING or m.startswith(PLUMBING + ".") or (m in shared and m not in FEATURES)
        for i in imports
        if _feature_of(i.target) is not None
    ]
    assert wrong == []


def test_a_feature_is_reached_only_through_its_public_surface() -> None:
    wrong = []
    for module, imports in GRAPH.items():
        if not module.startswith("bot"):
            continue
        tree = ast.parse(MODULES[module].read_text())
        for imp in imports:
            feature = _feature_of(imp.target)
            if feature is None or feature == _feature_of(module):
                continue
            where = f"{module}:{imp.line}"
            if imp.target != feature:
                wrong.append(f"{where} imports {imp.target}, inside {feature}")
            elif imp.name is not None and imp.name not in _public_names(feature):
                wrong.append(f"{where} takes {imp.name}, not in {feature}.__all__")
        # `from bot import reports` … `reports.X`: X must be public too
        aliases = {
            a.asname or a.name: f"bot.{a.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "bot"
            for a in node.names
            if f"bot.{a.name}" in FEATURES and f"bot.{a.name}" != _feature_of(module)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr not in _public_names(aliases[node.value.id])
            ):
                feature = aliases[node.value.id]
                wrong.append(f"{module}:{node.lineno} uses {node.attr}, not in {feature}.__all__")
    assert wrong == []


def test_every_feature_package_says_what_it_holds_and_what_it_offers() -> None:
    for feature in FEATURES:
        tree = ast.parse(MODULES[feature].read_text())
        assert ast.get_docstring(tree), f"{feature} has no docstring"
        assert _public_names(feature), f"{feature} lists no public surface in __all__"


def test_no_module_over_400_lines() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def _bolt_private_names() -> set[str]:
    """The private attributes of a Bolt App (what `app._…` would reach into)."""
    from slack_bolt import App

    app = App(token="xoxb-layout", signing_secret="layout", token_verification_enabled=False)
    return {k for k in vars(app) if k.startswith("_") and not k.startswith("__")}


def test_nothing_reaches_into_bolts_private_attributes() -> None:
    private = _bolt_private_names()
    assert "_listener_runner" in private  # the check knows what it looks for
    wrong = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            # another object's attribute (a class's own `self._…` is its own business)
            if (
                isinstance(node, ast.Attribute)
                and node.attr in private
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                wrong.append(f"{module}:{node.lineno} reads .{node.attr}")
            # or by name: getattr(app, "_listener_runner", …)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "hasattr", "setattr")
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in private
            ):
                wrong.append(f"{module}:{node.lineno} reaches {node.args[1].value!r}")
    assert wrong == []
