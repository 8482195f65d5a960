"""`python -m benchmarks [NAME...]`: run every `bench_*.py` module and print one table."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks.common import Row


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    return f"{value:.1f} {unit}"


def main(selected: list[str]) -> int:
    rows: list[Row] = []
    folder = Path(__file__).parent
    for module_info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not module_info.name.startswith("bench_"):
            continue
        if selected and module_info.name.removeprefix("bench_") not in selected:
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        print(f"running {module_info.name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
    headers = ("what", "GridCert", "baseline", "baseline value", "ratio", "budget", "ok")
    table = [
        (
            row.name,
            _format(row.value, row.unit),
            row.baseline_name or "-",
            _format(row.baseline, row.unit),
            f"{row.ratio:.2f}x" if row.ratio is not None else "-",
            row.budget or "-",
            {True: "yes", False: "NO", None: "-"}[row.within],
        )
        for row in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *table, strict=False)]
    for line in (headers, tuple("-" * w for w in widths), *table):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
