"""How app/gui is put together: no import cycles, the wizard and the pages meet only in
app.gui.registry, every registered page is where the registry says, and every module
says what it is for.

Imports are read from the source (AST), top-level or inside a function alike: a lazy
import hides a cycle only until someone moves it to the top. Imports under
`if TYPE_CHECKING:` do not run and are left out.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizardPage

from app.gui import navigation, registry
from tests.importgraph import find_cycle, imports_of, runtime_nodes

GUI = Path(__file__).resolve().parents[2] / "app" / "gui"
FLOW_PACKAGES = ("install", "renew", "move", "check")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(GUI.parents[1]).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def gui_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(GUI.rglob("*.py"))}


def import_graph() -> dict[str, set[str]]:
    files = gui_modules()
    modules = set(files)
    # A package's __init__ runs before any module in it; the edge to it says nothing.
    return {name: imports_of(path, modules) - {name} - _parents(name)
            for name, path in files.items()}


def _parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def page_modules() -> set[str]:
    return {name for name in gui_modules()
            if any(name.startswith(f"app.gui.{pkg}.") for pkg in FLOW_PACKAGES)}


def test_the_detector_finds_a_cycle_and_sees_lazy_imports() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
    graph = import_graph()
    # app/gui/main.py imports the wizard inside main() only; base.py imports the wizard
    # under TYPE_CHECKING only.
    assert "app.gui.wizard" in graph["app.gui.main"]
    assert "app.gui.wizard" not in graph["app.gui.base"]
    assert "app.gui.install.progress" in graph["app.gui.install.done"]


def test_no_import_cycle_among_the_gui_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_page_module_imports_the_wizard() -> None:
    graph = import_graph()
    assert len(page_modules()) >= 20
    offenders = sorted(name for name in page_modules() if "app.gui.wizard" in graph[name])
    assert offenders == []
    # Nor anything the pages share.
    for shared in ("app.gui.base", "app.gui.widgets", "app.gui.registry", "app.gui.engine"):
        assert "app.gui.wizard" not in graph[shared], shared


def test_the_wizard_and_the_registry_import_no_page_module() -> None:
    graph = import_graph()
    for name in ("app.gui.wizard", "app.gui.registry"):
        assert graph[name] & page_modules() == set(), name
    # The registry is read before the first paint: no Qt in it when it runs.
    tree = ast.parse((GUI / "registry.py").read_text(encoding="utf-8"))
    qt = [ast.unparse(node) for node in runtime_nodes(tree)
          if isinstance(node, (ast.Import, ast.ImportFrom)) and "PySide6" in ast.unparse(node)]
    assert qt == []


def test_the_flow_modules_are_free_of_qt() -> None:
    """renew/flow.py and move/flow.py are imported when the first job starts, to offer
    their flow; their pages come later."""
    modules = set(gui_modules())
    for row in registry.FLOW_MODULES:
        path = gui_modules()[row.module]
        used = imports_of(path, modules) - _parents(row.module)
        assert used <= {"app.gui.navigation", "app.gui.registry"}, row
        assert "PySide6" not in path.read_text(encoding="utf-8")


def test_every_gui_module_says_what_it_is_for() -> None:
    for name, path in gui_modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if name == "app.gui":  # the package's empty __init__
            continue
        assert doc and len(doc) > 30, f"{name} has no docstring saying its job"


def _all_registered_pages() -> dict[str, str]:
    registry.load_flows()
    found = dict(registry.PAGES)
    for row in registry.FLOW_MODULES:
        found.update(importlib.import_module(row.module).PAGES)
    return found


def test_every_page_of_every_flow_is_registered_where_it_is() -> None:
    pages = _all_registered_pages()
    flows = {flow.job: flow for flow in navigation.flows()}
    assert set(flows) >= {"install", "renew", "move", "check"}
    for flow in flows.values():
        for rule in flow.pages:
            assert registry.has_page(rule.page), rule.page
            assert rule.page in pages, rule.page
    for page_id, where in pages.items():
        module, _, name = where.partition(":")
        # A newcomer finds a page by its name: app.gui.<flow>.<page>:<Name>Page.
        assert module.split(".")[2] in FLOW_PACKAGES, where
        cls = getattr(importlib.import_module(module), name)
        assert issubclass(cls, QWizardPage), where
        assert cls.page_id == page_id, where


def test_a_registered_page_is_built_by_the_wizard_with_its_extensions(qtbot) -> None:
    """register_page + extend_page, the way another part adds a page or a widget."""
    from PySide6.QtWidgets import QLabel

    from app.gui.base import FlowPage
    from app.gui.wizard import GridCertWizard

    seen: list[QWizardPage] = []

    class ExtraPage(FlowPage):
        page_id = "test-extra"

    def mark(page: QWizardPage) -> None:
        seen.append(page)
        QLabel("added by an extension", page).setObjectName("test-extension")

    flow = navigation.Flow(job="test-extra-job", title="Extra", description="A test flow.",
                           pages=(navigation.PageRule("test-extra"),), order=99)
    registry.load_flows()
    assert flow not in registry.offered_flows()
    navigation.register_flow(flow)
    try:
        # Not offered until its page can be built: no dead button.
        assert flow not in registry.offered_flows()
        registry.register_page("test-extra", ExtraPage)
        registry.extend_page("test-extra", mark)
        registry.extend_page("test-extra", mark)  # twice: added once
        assert flow in registry.offered_flows()
        wizard = GridCertWizard()
        qtbot.addWidget(wizard)
        assert "test-extra-job" in [job for job, _t, _d in registry.start_page_jobs()]
        wizard.start_job("test-extra-job")
        page = wizard.page_by_name("test-extra")
        assert isinstance(page, ExtraPage)
        assert seen == [page]
        assert page.findChild(QLabel, "test-extension") is not None
    finally:
        navigation.unregister_flow("test-extra-job")
        registry._pages.pop("test-extra", None)
        registry._extensions.pop("test-extra", None)


def test_a_broken_extension_does_not_cost_the_page(qtbot, caplog) -> None:
    from app.gui.wizard import GridCertWizard

    registry.extend_page(navigation.CHECK, "app.gui.no_such_module:nothing")
    try:
        wizard = GridCertWizard()
        qtbot.addWidget(wizard)
        with caplog.at_level("ERROR", logger="gridcert.gui"):
            page = wizard.page_by_name(navigation.CHECK)
        assert page is not None
        assert "could not extend page" in caplog.text
    finally:
        registry._extensions[navigation.CHECK].remove("app.gui.no_such_module:nothing")


@pytest.mark.parametrize("package", FLOW_PACKAGES)
def test_each_flow_package_has_its_pages_one_module_each(package: str) -> None:
    names = {path.stem for path in (GUI / package).glob("*.py")}
    assert "__init__" in names
    assert all(path.stat().st_size < 40_000 for path in (GUI / package).glob("*.py"))


#: Where the GUI may still say `Any`, and why: what a Qt signal carries (typed `object`
#: by Qt), and JSON read from a journal or from the child process that reads files.
ANY_ALLOWED = {"worker.py", "readchild.py", "check/installed.py"}


def test_the_gui_is_typed_with_the_actions_types_not_any() -> None:
    saying_any = set()
    for path in GUI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Name) and node.id == "Any") or (
                    isinstance(node, ast.Attribute) and node.attr == "Any"):
                saying_any.add(path.relative_to(GUI).as_posix())
    assert saying_any <= ANY_ALLOWED, sorted(saying_any - ANY_ALLOWED)
