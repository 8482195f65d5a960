"""What every benchmark module shares: timing helpers and the row it reports.

Each `benchmarks/bench_*.py` exposes `run() -> list[Row]`. A row holds GridCert's
figure and, where the budget is a ratio, the baseline measured in the same run, so the
printed ratio does not depend on how fast this machine happens to be today.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class Row:
    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    budget: str = ""
    within: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]


def median_time(action: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of `action` in seconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def median_process_time(command: Sequence[str], repeat: int = 5, warmup: int = 1,
                        env: dict[str, str] | None = None) -> float:
    """Median wall time of running `command` to completion (it must exit 0)."""
    def once() -> None:
        subprocess.run(list(command), check=True, capture_output=True, env=env)

    return median_time(once, repeat, warmup)


def interleaved(actions: dict[str, Callable[[], object]], repeat: int = 7,
                warmup: int = 1) -> dict[str, float]:
    """Median times of several actions, run alternately so drift hits all alike."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {key: [] for key in actions}
    for _ in range(repeat):
        for key, action in actions.items():
            start = time.perf_counter()
            action()
            samples[key].append(time.perf_counter() - start)
    return {key: statistics.median(values) for key, values in samples.items()}


PYTHON = sys.executable
