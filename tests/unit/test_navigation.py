"""The wizard's navigation, without Qt: which page follows which, and when Next is allowed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.gui import navigation as nav
from app.gui.navigation import Flow, PageRule, WizardState


def install_state(**changes: object) -> WizardState:
    state = WizardState(job="install")
    for key, value in changes.items():
        setattr(state, key, value)
    return state


def read_result(items: int = 2) -> SimpleNamespace:
    return SimpleNamespace(items=[object()] * items, problems=[], other_members=[])


def plan(*, steps: int = 1, skipped: int = 0, warnings: tuple[str, ...] = ()) -> SimpleNamespace:
    all_steps = [SimpleNamespace(skip=False)] * steps + [SimpleNamespace(skip=True)] * skipped
    return SimpleNamespace(steps=all_steps, warnings=list(warnings), notes=[], refused=[])


def test_start_page_needs_a_job() -> None:
    state = WizardState()
    assert not nav.is_complete(state, nav.START)
    assert nav.next_page(state, nav.START) is None
    state.job = "install"
    assert nav.is_complete(state, nav.START)
    assert nav.next_page(state, nav.START) == nav.ADD_FILES


def test_install_order_with_a_locked_pfx() -> None:
    state = install_state(locked=["/tmp/x.pfx"])
    order = [nav.START]
    while (following := nav.next_page(state, order[-1])) is not None:
        order.append(following)
    assert order == [nav.START, nav.ADD_FILES, nav.REVIEW, nav.PASSWORD, nav.WHERE,
                     nav.CONFIRM, nav.PROGRESS, nav.DONE]
    assert nav.visible_pages(state) == order
    assert nav.is_last(state, nav.DONE)
    assert not nav.is_last(state, nav.CONFIRM)


def test_password_page_skipped_without_locked_files() -> None:
    state = install_state()
    assert nav.next_page(state, nav.REVIEW) == nav.WHERE
    assert nav.PASSWORD not in nav.visible_pages(state)


def test_add_files_complete_only_with_files() -> None:
    state = install_state()
    assert not nav.is_complete(state, nav.ADD_FILES)
    state.files.append("/tmp/roots.zip")
    assert nav.is_complete(state, nav.ADD_FILES)


def test_review_needs_certificates_or_a_locked_file() -> None:
    state = install_state(files=["/tmp/notes.txt"])
    assert not nav.is_complete(state, nav.REVIEW)          # not read yet
    state.read = read_result(items=0)
    assert not nav.is_complete(state, nav.REVIEW)          # nothing in it
    state.locked = ["/tmp/me.pfx"]
    assert nav.is_complete(state, nav.REVIEW)              # the password page opens it
    state.locked = []
    state.read = read_result(items=1)
    assert nav.is_complete(state, nav.REVIEW)


def test_password_needs_every_locked_file_typed() -> None:
    state = install_state(locked=["a.pfx", "b.pfx"])
    assert not nav.is_complete(state, nav.PASSWORD)
    state.passwords["a.pfx"] = "secret"
    assert not nav.is_complete(state, nav.PASSWORD)
    state.passwords["b.pfx"] = "other"
    assert nav.is_complete(state, nav.PASSWORD)
    state.passwords["b.pfx"] = ""
    assert not nav.is_complete(state, nav.PASSWORD)


def test_where_needs_a_target() -> None:
    state = install_state()
    assert not nav.is_complete(state, nav.WHERE)
    state.targets = ["nss:/x"]
    assert nav.is_complete(state, nav.WHERE)


def test_confirm_needs_accepted_warnings_and_ends_the_run_when_nothing_is_to_do() -> None:
    state = install_state()
    assert not nav.is_complete(state, nav.CONFIRM)                 # no plan yet
    assert not nav.is_last(state, nav.CONFIRM)
    state.plan = plan(steps=0, skipped=2)
    # All already there: Confirm becomes the last page, and Close may be pressed.
    assert nav.is_complete(state, nav.CONFIRM)
    assert nav.is_last(state, nav.CONFIRM)
    assert nav.PROGRESS not in nav.visible_pages(state)
    state.plan = plan(steps=2)
    assert not nav.is_last(state, nav.CONFIRM)
    assert nav.is_complete(state, nav.CONFIRM)
    state.plan = plan(steps=2, warnings=("the ERCOT TEST CA is for the test system",))
    assert not nav.is_complete(state, nav.CONFIRM)
    state.warnings_accepted = True
    assert nav.is_complete(state, nav.CONFIRM)
    # A place that must be closed first blocks the install, accepted warnings or not.
    state.blocked = ["Firefox is open; close it first, then try again."]
    assert not nav.is_complete(state, nav.CONFIRM)
    state.forget_plan()
    assert state.blocked == [] and not state.warnings_accepted
    state.plan = plan(steps=2)
    assert nav.is_complete(state, nav.CONFIRM)
    assert nav.is_commit(nav.CONFIRM)
    assert nav.is_commit(nav.PROGRESS)  # Back from Done never re-runs the install
    assert not nav.is_commit(nav.WHERE)


def test_busy_blocks_every_flow_page() -> None:
    state = install_state(files=["/tmp/a.pfx"], busy=True)
    assert not nav.is_complete(state, nav.ADD_FILES)
    state.busy = False
    assert nav.is_complete(state, nav.ADD_FILES)


def test_progress_complete_when_reported() -> None:
    state = install_state()
    assert not nav.is_complete(state, nav.PROGRESS)
    state.report = SimpleNamespace(ok=False)
    assert nav.is_complete(state, nav.PROGRESS)


def test_changing_files_forgets_what_was_read() -> None:
    state = install_state(read=read_result(), locked=["a.pfx"], unlocked={"a.pfx"},
                          plan=plan(), warnings_accepted=True)
    state.forget_files_read()
    assert state.read is None and state.locked == [] and state.plan is None
    assert not state.warnings_accepted and state.unlocked == set()


def test_check_flow_is_one_page() -> None:
    state = WizardState(job="check")
    assert nav.next_page(state, nav.START) == nav.CHECK
    assert nav.is_last(state, nav.CHECK)
    assert nav.is_complete(state, nav.CHECK)


def test_flows_in_start_page_order() -> None:
    jobs = [flow.job for flow in nav.flows()]
    assert jobs.index("install") < jobs.index("check")


def test_registering_a_flow() -> None:
    renew = Flow("zz-test", "Renew", "Renew a certificate",
                 (PageRule("zz-pick", lambda s: "pick" in s.extra),
                  PageRule("zz-skip", skip=lambda s: True),
                  PageRule("zz-done")), order=20)
    nav.register_flow(renew)
    try:
        state = WizardState(job="zz-test")
        assert nav.next_page(state, nav.START) == "zz-pick"
        assert not nav.is_complete(state, "zz-pick")
        state.extra["pick"] = True
        assert nav.is_complete(state, "zz-pick")
        assert nav.next_page(state, "zz-pick") == "zz-done"
        jobs = [f.job for f in nav.flows()]
        assert jobs.index("install") < jobs.index("zz-test") < jobs.index("check")
    finally:
        nav.unregister_flow("zz-test")
    assert "zz-test" not in [f.job for f in nav.flows()]


def test_page_ids_cannot_be_shared() -> None:
    with pytest.raises(ValueError, match="already belong"):
        nav.register_flow(Flow("x", "X", "x", (PageRule(nav.REVIEW),)))
    with pytest.raises(ValueError, match="start page"):
        nav.register_flow(Flow("y", "Y", "y", (PageRule(nav.START),)))


def test_unknown_page() -> None:
    with pytest.raises(KeyError):
        nav.next_page(WizardState(job="install"), "nowhere")
