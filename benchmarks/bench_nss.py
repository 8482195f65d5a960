"""150 roots into one NSS database: GridCert's add_many vs one `certutil -A` per certificate.

Both run on fresh databases in the same run, alternately, so the ratio does not depend
on how busy the machine is (budget: ≤ 0.3×). Also: GridCert's `list()` of a database
holding 150 certificates, against the baseline of one `certutil -L -a -n` per nickname
(what a naive adapter does to get each certificate).
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


def _roots(count: int) -> list[object]:
    from cryptography.hazmat.primitives.asymmetric import ec

    from app.core.model import CertificateItem
    from tests.pki import make_root

    key = ec.generate_private_key(ec.SECP256R1())
    return [CertificateItem(make_root(f"Bench Root {n:03d}", key=key, serial=10_000 + n).cert,
                            "bench.pem") for n in range(count)]


def _new_db(folder: Path) -> None:
    folder.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True,
                   capture_output=True)


def run() -> list[Row]:
    if shutil.which("certutil") is None:
        print("bench_nss: certutil missing (libnss3-tools); skipped")
        return []
    os.environ.setdefault("GRIDCERT_DATA_DIR", tempfile.mkdtemp(prefix="gridcert-bench-"))
    from app.core.model import CertificateItem
    from app.stores.nss import NssStore

    items: list[CertificateItem] = _roots(COUNT)  # type: ignore[assignment]
    gridcert_times: list[float] = []
    loop_times: list[float] = []
    in_place_times: list[float] = []
    list_times: list[float] = []
    naive_list_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="gridcert-bench-nss-") as work:
        base = Path(work)
        pems = []
        for n, item in enumerate(items):
            pem = base / f"{n}.pem"
            pem.write_bytes(item.pem)
            pems.append(pem)
        for attempt in range(REPEAT):
            # GridCert: one store call.
            folder = base / f"gc{attempt}"
            _new_db(folder)
            store = NssStore(folder, "bench")
            start = time.perf_counter()
            store.add_many(items)
            gridcert_times.append(time.perf_counter() - start)
            assert len(store.list()) == COUNT

            # The same batch without the tmpfs copy (what runs while a browser has it open).
            slow_dir = base / f"inplace{attempt}"
            _new_db(slow_dir)
            slow = NssStore(slow_dir, "bench")
            slow._fast_path_safe = lambda: False  # type: ignore[method-assign]
            start = time.perf_counter()
            slow.add_many(items)
            in_place_times.append(time.perf_counter() - start)

            # Baseline: one certutil -A process per certificate.
            loop_dir = base / f"loop{attempt}"
            _new_db(loop_dir)
            start = time.perf_counter()
            for n, pem in enumerate(pems):
                subprocess.run(["certutil", "-A", "-d", f"sql:{loop_dir}",
                                "-n", f"Bench Root {n:03d}", "-t", "C,,", "-i", str(pem)],
                               check=True, capture_output=True)
            loop_times.append(time.perf_counter() - start)

            start = time.perf_counter()
            listed = store.list()
            list_times.append(time.perf_counter() - start)
            assert len(listed) == COUNT

            start = time.perf_counter()
            out = subprocess.run(["certutil", "-L", "-d", f"sql:{folder}"], check=True,
                                 capture_output=True, text=True).stdout
            nicknames = [line.rstrip().rsplit(None, 1)[0].strip()
                         for line in out.splitlines()[3:] if line.strip()]
            for nickname in nicknames:
                subprocess.run(["certutil", "-L", "-d", f"sql:{folder}", "-n", nickname, "-a"],
                               check=True, capture_output=True)
            naive_list_times.append(time.perf_counter() - start)

    add = statistics.median(gridcert_times)
    loop = statistics.median(loop_times)
    in_place = statistics.median(in_place_times)
    listing = statistics.median(list_times)
    naive = statistics.median(naive_list_times)
    return [
        Row(f"NSS: add {COUNT} roots", add, "s", f"{COUNT}x certutil -A", loop,
            "≤ 0.3x", add / loop <= 0.3),
        Row(f"NSS: add {COUNT} roots, batch in place", in_place, "s", f"{COUNT}x certutil -A",
            loop, "(fallback)", None),
        Row(f"NSS: list {COUNT} certificates", listing, "s",
            f"certutil -L + {COUNT}x certutil -L -a -n", naive, "", None),
    ]
