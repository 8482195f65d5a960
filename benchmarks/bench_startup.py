"""Start-up time, peak memory and bundle size of the wizard, against a bare QWizard.

Side by side in one run, interleaved so that machine drift hits every case alike:
- a bare PySide6 QWizard showing one page (`benchmarks/bare_wizard.py`): the baseline;
- `gridcert-wizard --smoke` from source (budget: <= 1.3 x the bare wizard);
- the frozen onedir `dist/GridCert/GridCert --smoke`, when `make dist` has built it
  (budget: <= 0.45 s).
Each run starts the process, paints the first page offscreen and quits with status 0.
Peak memory is the child's maximum resident set (getrusage of a wrapper's children),
budget <= 90 MiB. The bundle's total size (budget <= 130 MB) and largest files close the
table. Every run gets a throw-away HOME and data folder: nothing real is touched.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import PYTHON, Row

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "GridCert"
FROZEN_GUI = BUNDLE / ("GridCert.exe" if sys.platform == "win32" else "GridCert")
REPEAT = int(os.environ.get("GRIDCERT_BENCH_REPEAT", "11"))
RATIO_BUDGET = 1.3
FROZEN_BUDGET_S = 0.45
MEMORY_BUDGET_MIB = 90.0
SIZE_BUDGET_MB = 130.0
MIB = 1024 * 1024

# Runs argv[1:] and prints the peak RSS of that child, in KiB (Linux ru_maxrss unit).
_PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "GRIDCERT_DATA_DIR": str(home / "gridcert-data"),
        "GRIDCERT_LINUX_ROOT": str(home / "linux-root"),
    })
    return env


def commands() -> dict[str, list[str]]:
    """The cases measured here: name -> argv (the frozen one only when it is built)."""
    wizard_script = Path(PYTHON).with_name("gridcert-wizard")
    source = ([str(wizard_script), "--smoke"] if wizard_script.exists()
              else [PYTHON, "-m", "app.gui.main", "--smoke"])
    cases = {
        "bare QWizard": [PYTHON, str(ROOT / "benchmarks" / "bare_wizard.py")],
        "source": source,
    }
    if FROZEN_GUI.exists():
        cases["frozen onedir"] = [str(FROZEN_GUI), "--smoke"]
    return cases


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Timings:
    """Medians per case: start to first paint (what the budget is about), the whole run
    (start, paint, tear down, exit) and its CPU time (user + system)."""

    def __init__(self, paint: dict[str, float], wall: dict[str, float],
                 cpu: dict[str, float]) -> None:
        self.paint = paint
        self.wall = wall
        self.cpu = cpu


def measure(cases: dict[str, list[str]], env: dict[str, str], repeat: int = REPEAT,
            warmup: int = 2) -> Timings:
    """Each case run `repeat` times, interleaved so that machine drift hits all alike.

    The first paint is stamped by the process itself (GRIDCERT_PAINT_STAMP: both the
    wizard's --smoke and the bare wizard write the Unix time of their first paint), so the
    tear-down after it does not count against start-up. CPU time is printed beside wall
    time because on a busy machine wall time mostly measures waiting for a core.
    """
    stamp = Path(env["HOME"]) / "first-paint"
    env = {**env, "GRIDCERT_PAINT_STAMP": str(stamp)}

    def once(argv: list[str]) -> tuple[float, float, float]:
        stamp.unlink(missing_ok=True)
        cpu_before, wall_before = _cpu_of_children(), time.perf_counter()
        started = time.time()
        subprocess.run(argv, check=True, capture_output=True, env=env, cwd=ROOT, timeout=120)
        wall = time.perf_counter() - wall_before
        try:
            painted = float(stamp.read_text(encoding="ascii"))
        except FileNotFoundError:
            # A frozen build from before the stamp existed: its first paint is unknown.
            return float("nan"), wall, _cpu_of_children() - cpu_before
        return painted - started, wall, _cpu_of_children() - cpu_before

    for _ in range(warmup):
        for argv in cases.values():
            once(argv)
    paints: dict[str, list[float]] = {name: [] for name in cases}
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, argv in cases.items():
            paint, wall, cpu = once(argv)
            paints[name].append(paint)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return Timings(*({name: statistics.median(v) for name, v in values.items()}
                     for values in (paints, walls, cpus)))


def peak_rss_mib(argv: list[str], env: dict[str, str]) -> float:
    """The command's peak resident memory, in MiB (the median of three runs)."""
    values = []
    for _ in range(3):
        output = subprocess.run([PYTHON, "-c", _PEAK_RSS, *argv], check=True,
                                capture_output=True, text=True, env=env, cwd=ROOT,
                                timeout=120).stdout
        kib = int(output.split()[-1])
        # macOS reports bytes, Linux KiB.
        values.append(kib / MIB if sys.platform == "darwin" else kib / 1024)
    return sorted(values)[1]


def bundle_rows() -> list[Row]:
    """Total size of the onedir bundle and its five largest files."""
    if not BUNDLE.is_dir():
        return []
    files = [path for path in BUNDLE.rglob("*") if path.is_file() and not path.is_symlink()]
    total = sum(path.stat().st_size for path in files)
    rows = [Row(f"bundle size, onedir ({len(files)} files)", total / MIB, "MiB",
                budget=f"<= {SIZE_BUDGET_MB:.0f} MB", within=total / MIB <= SIZE_BUDGET_MB)]
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:5]:
        rows.append(Row(f"  largest: {path.relative_to(BUNDLE)}", path.stat().st_size / MIB,
                        "MiB"))
    return rows


def compile_sources() -> None:
    """Byte-compile GridCert's package first, as an installed copy is (pip compiles at
    install time; the frozen bundle holds bytecode). Machines like this one set
    PYTHONDONTWRITEBYTECODE=1, and then every measured start of an editable checkout
    would compile each module it imports from source again — a cost no user pays (the
    bare wizard is one small script and imports nothing of ours)."""
    import compileall

    # py_compile writes the .pyc files whatever PYTHONDONTWRITEBYTECODE says.
    compileall.compile_dir(str(ROOT / "app"), quiet=1)


def run() -> list[Row]:
    compile_sources()
    cases = commands()
    with tempfile.TemporaryDirectory(prefix="gridcert-bench-") as folder:
        env = _environment(Path(folder))
        timings = measure(cases, env)
        memory = {name: peak_rss_mib(argv, env) for name, argv in cases.items()}
    times, cpu = timings.paint, timings.cpu
    bare_time, bare_memory = times["bare QWizard"], memory["bare QWizard"]
    rows = [
        Row("wizard start to first page: bare QWizard", bare_time, "s"),
        Row("wizard start to first page: from source", times["source"], "s",
            baseline_name="bare QWizard", baseline=bare_time,
            budget=f"<= {RATIO_BUDGET}x bare",
            within=times["source"] <= RATIO_BUDGET * bare_time),
    ]
    if "frozen onedir" in times and times["frozen onedir"] != times["frozen onedir"]:  # NaN
        print("bench_startup: dist/GridCert does not report its first paint: rebuild it "
              "with make dist", file=sys.stderr)
    elif "frozen onedir" in times:
        frozen = times["frozen onedir"]
        rows.append(Row("wizard start to first page: frozen onedir", frozen, "s",
                        baseline_name="bare QWizard", baseline=bare_time,
                        budget=f"<= {FROZEN_BUDGET_S} s", within=frozen <= FROZEN_BUDGET_S))
    else:
        print("bench_startup: dist/GridCert not built (make dist): frozen case skipped",
              file=sys.stderr)
    for name in cases:
        if name != "bare QWizard":
            rows.append(Row(f"  whole run incl. exit: {name}", timings.wall[name], "s",
                            baseline_name="bare QWizard", baseline=timings.wall["bare QWizard"]))
    rows.append(Row("  whole run incl. exit: bare QWizard", timings.wall["bare QWizard"], "s"))
    for name in cases:
        if name != "bare QWizard":
            rows.append(Row(f"  CPU time (user+sys): {name}", cpu[name], "s",
                            baseline_name="bare QWizard", baseline=cpu["bare QWizard"]))
    rows.append(Row("  CPU time (user+sys): bare QWizard", cpu["bare QWizard"], "s"))
    rows.append(Row("peak memory at first page: bare QWizard", bare_memory, "MiB"))
    for name in ("source", "frozen onedir"):
        if name in memory:
            rows.append(Row(f"peak memory at first page: {name}", memory[name], "MiB",
                            baseline_name="bare QWizard", baseline=bare_memory,
                            budget=f"<= {MEMORY_BUDGET_MIB:.0f} MiB",
                            within=memory[name] <= MEMORY_BUDGET_MIB))
    return rows + bundle_rows()


if __name__ == "__main__":
    for row in run():
        print(row)
