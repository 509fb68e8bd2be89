"""Layers only point down: an app imports nothing from an app above it or beside it, with no
exception.

Read from the source (every `import` and `from … import` in evac/<app>/, inside functions
too), so a lazy import can't hide an upward dependency. docs/architecture.md draws the same
picture and says why each layer sits where it does.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "evac"

# Bottom to top. An app may import its own modules and those of any app in a lower layer.
LAYERS: list[set[str]] = [
    {"core"},
    {"places"},
    {"operations"},
    {"accounts", "audit"},
    {"people"},
    {"flights"},
    {"notifications"},
    {"portal", "api"},
    {"cockpit"},
    {"demo"},  # the demo loader writes through every app's services
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "evac" and len(parts) > 1 and parts[1] in LEVEL:
                apps.add(parts[1])
    return apps


def upward_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        app = relative.parts[0]
        if app not in LEVEL or "migrations" in relative.parts:
            continue
        # Above it, or beside it in its own layer.
        above = {o for o in imported_apps(path) if o != app and LEVEL[o] >= LEVEL[app]}
        if above:
            found[relative.as_posix()] = above
    return found


def test_every_app_of_evac_has_a_layer():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps == set(LEVEL)


def test_no_app_imports_an_app_above_it_or_beside_it():
    assert upward_imports() == {}


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from evac.cockpit.services import operation_close\n")
    assert imported_apps(module) == {"cockpit"}
