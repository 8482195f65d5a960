"""No import cycles among the app/actions modules.

A cycle works only as long as one side imports lazily, inside a function, and breaks the
day someone moves that import to the top (or imports the other module first): so every
import counts here, top-level or inside a function. Imports under `if TYPE_CHECKING:` do
not run and are left out.
"""

from __future__ import annotations

from pathlib import Path

from tests.importgraph import find_cycle, imports_of

ACTIONS = Path(__file__).resolve().parents[2] / "app" / "actions"
PACKAGE = "app.actions"


def import_graph() -> dict[str, set[str]]:
    files = {f"{PACKAGE}.{path.stem}": path for path in ACTIONS.glob("*.py")
             if path.stem != "__init__"}
    modules = set(files)
    return {name: imports_of(path, modules) - {name} for name, path in files.items()}


def test_the_detector_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_sees_lazy_imports() -> None:
    graph = import_graph()
    assert f"{PACKAGE}.apply" in graph and f"{PACKAGE}.journal" in graph[f"{PACKAGE}.apply"]
    # app/actions/handover.py imports app.actions.targets inside a function only.
    assert f"{PACKAGE}.targets" in graph[f"{PACKAGE}.handover"]


def test_no_import_cycle_among_the_actions() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
