"""The apps depend on each other one way (DESIGN.md): core ← accounts, audit ← orgs ← people ←
the domain apps ← stats. Read from the imports of every module, so that it stays true."""

import ast
from pathlib import Path

import tongxin

ROOT = Path(tongxin.__file__).parent

# Each app's layer: an app imports the apps of lower layers, and of its own layer only where
# that makes no cycle (evaluation builds on branch work, cadres on training).
LAYERS = {
    "core": 0,
    "accounts": 1,
    "audit": 1,
    "orgs": 2,
    "people": 3,
    "terms": 4,
    "io": 4,
    "training": 4,
    "recruitment": 4,
    "branchwork": 4,
    "evaluation": 4,
    "cadres": 4,
    "coverage": 4,
    "stats": 5,
    "portal": 5,
}

# Known and still to be straightened (issue 17): (importing module, imported app). A new module
# that imports against the direction fails; a module straightened should leave the list.
KNOWN_UPWARD: set[tuple[str, str]] = set()
# Apps of one layer that import each other (none left: accounts calls audit, never back).
KNOWN_CYCLE: set[tuple[str, str]] = set()


def imported_apps(path: Path) -> set[str]:
    """The tongxin apps ``path`` imports, anywhere in it (functions' imports too)."""
    package = list(path.relative_to(ROOT.parent).with_suffix("").parts)[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            modules = [module]
            if module == "tongxin":
                modules = [f"tongxin.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if len(parts) > 1 and parts[0] == "tongxin" and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def app_imports() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) → the modules that import so."""
    edges: dict[tuple[str, str], set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        app = path.relative_to(ROOT).parts[0]
        if app not in LAYERS:
            continue
        for other in imported_apps(path) - {app}:
            edges.setdefault((app, other), set()).add(path.relative_to(ROOT.parent).as_posix())
    return edges


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_no_app_imports_an_app_above_it_but_the_known_ones():
    against = {
        (module, other)
        for (app, other), modules in app_imports().items()
        if LAYERS[other] > LAYERS[app]
        for module in modules
    }
    assert against - KNOWN_UPWARD == set()


def test_the_apps_of_one_layer_import_each_other_without_a_cycle_but_accounts_and_audit():
    edges = {(app, other) for app, other in app_imports() if LAYERS[app] == LAYERS[other]}
    imports = app_imports()
    cycles = {(module, b) for a, b in edges if (b, a) in edges for module in imports[a, b]}
    assert cycles - KNOWN_CYCLE == set()
    # Longer cycles, within the domain apps.
    graph: dict[str, set[str]] = {}
    for app, other in edges:
        graph.setdefault(app, set()).add(other)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert [app for app in graph if LAYERS[app] == 4 and reaches(app, app, set())] == []
