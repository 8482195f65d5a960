"""Garbage is collected in the Qt thread only (app.gui.collector): a worker thread that
allocates never runs the collector, and the timer in the main thread does."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from app.gui.collector import MainThreadCollector


class _Cycle:
    def __init__(self, collected: list[str], where: list[str]) -> None:
        self.me = self
        self.collected = collected
        self.where = where

    def __del__(self) -> None:
        self.where.append(threading.current_thread().name)
        self.collected.append("gone")


def test_only_the_main_thread_collects(qtbot: QtBot) -> None:
    gc.enable()  # as Python starts (the test session's own collector switched it off)
    collector = MainThreadCollector(interval_ms=20)
    collected: list[str] = []
    where: list[str] = []
    try:
        assert not gc.isenabled()
        _Cycle(collected, where)  # unreachable at once, only a collection frees it

        def allocate() -> None:  # far past every threshold, in a worker
            junk = [[] for _ in range(50_000)]
            del junk

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert collected == []  # the worker did not collect
        for _ in range(gc.get_threshold()[0] + 1):
            [].append(object())
            _Cycle([], [])  # counts towards generation 0
        qtbot.waitUntil(lambda: collected == ["gone"], timeout=5000)
        assert where == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled()  # as it was before
    gc.disable()  # back to the session's collector
