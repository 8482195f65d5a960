"""150 roots into one NSS database through the whole transaction (plan, journal, apply,
read-back verification) vs a loop of one `certutil -A` per certificate; budget ≤ 0.3×
(DESIGN.md), goal ≤ 0.15× (issue 12).

bench_nss measures the store's batch alone; this one adds everything `gridcert install`
does around it, so the budget holds for what a person actually runs. A second row shows
the part no GridCert change can remove: NSS's own two processes on the same run (the
batch on the memory copy, the read-back `certutil -L` of the real database), against the
same baseline - the floor of the first row's ratio.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row

COUNT = 150
REPEAT = 3


def _new_db(folder: Path) -> None:
    folder.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True,
                   capture_output=True)


def run() -> list[Row]:
    if shutil.which("certutil") is None:
        print("bench_install: certutil missing (libnss3-tools); skipped")
        return []
    from cryptography.hazmat.primitives.asymmetric import ec

    from app.actions.install import apply_plan, plan_install
    from app.core.model import CertificateItem
    from app.stores.nss import NssStore
    from tests.pki import make_root

    key = ec.generate_private_key(ec.SECP256R1())
    items = [CertificateItem(make_root(f"Install Bench Root {n:03d}", key=key,
                                       serial=20_000 + n).cert, "bench.pem")
             for n in range(COUNT)]
    transaction: list[float] = []
    tools: list[float] = []
    loop: list[float] = []
    timed: list[tuple[str, float]] = []
    plain = NssStore._certutil

    def certutil(self: NssStore, *args: str, **kwargs: object) -> str:
        start = time.perf_counter()
        try:
            return plain(self, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            timed.append((args[0], time.perf_counter() - start))

    with tempfile.TemporaryDirectory(prefix="gridcert-bench-install-") as work:
        base = Path(work)
        previous = os.environ.get("GRIDCERT_DATA_DIR")
        os.environ["GRIDCERT_DATA_DIR"] = str(base / "data")
        try:
            pems = []
            for n, item in enumerate(items):
                pem = base / f"{n}.pem"
                pem.write_bytes(item.pem)
                pems.append(pem)
            for attempt in range(REPEAT):
                folder = base / f"gc{attempt}"
                _new_db(folder)
                timed.clear()
                NssStore._certutil = certutil  # type: ignore[method-assign]
                try:
                    start = time.perf_counter()
                    report = apply_plan(plan_install(items, [NssStore(folder, "bench")]))
                    transaction.append(time.perf_counter() - start)
                finally:
                    NssStore._certutil = plain  # type: ignore[method-assign]
                assert report.ok, report.error
                # The batch and the read-back: the last -B and the -L after it.
                batch = max(i for i, (flag, _) in enumerate(timed) if flag == "-B")
                tools.append(timed[batch][1] + next(
                    seconds for flag, seconds in timed[batch:] if flag == "-L"))

                loop_dir = base / f"loop{attempt}"
                _new_db(loop_dir)
                start = time.perf_counter()
                for n, pem in enumerate(pems):
                    subprocess.run(["certutil", "-A", "-d", f"sql:{loop_dir}", "-n",
                                    f"Install Bench Root {n:03d}", "-t", "C,,", "-i", str(pem)],
                                   check=True, capture_output=True)
                loop.append(time.perf_counter() - start)
        finally:
            if previous is None:
                os.environ.pop("GRIDCERT_DATA_DIR", None)
            else:
                os.environ["GRIDCERT_DATA_DIR"] = previous
    ours = statistics.median(transaction)
    floor = statistics.median(tools)
    baseline = statistics.median(loop)
    # DESIGN.md's budget is ≤ 0.3x; issue 12 sets the goal at ≤ 0.15x (the tmpfs batch
    # alone measured 0.09x), with the transaction's safety (locks, read-back under the
    # lock, change-checked write-back) on the same path: the row holds it to the goal.
    return [Row(f"install {COUNT} roots (plan+journal+apply+verify)", ours, "s",
                f"{COUNT}x certutil -A", baseline, "≤ 0.15x (DESIGN ≤ 0.3x)",
                ours / baseline <= 0.15),
            Row("  of which NSS's certutil -B (copy) + read-back -L", floor, "s",
                f"{COUNT}x certutil -A", baseline, "(floor)", None)]
