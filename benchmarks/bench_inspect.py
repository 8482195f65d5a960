"""`inspect` of Mozilla's root bundle (certifi): in-process and as a CLI process.

Both are printed with their ratio to `python -c "import cryptography.x509"` measured in
the same run (the floor any Python certificate tool pays). Budget (DESIGN.md): in-process
≤ 0.25 s for a 150-root bundle.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from benchmarks.common import PYTHON, Row, interleaved, median_time

REPO = Path(__file__).resolve().parents[1]
BUDGET_IN_PROCESS = 0.25


def mozilla_bundle() -> Path:
    """certifi's cacert.pem (pip's vendored copy is the same data when certifi is absent)."""
    try:
        import certifi

        return Path(certifi.where())
    except ImportError:
        from pip._vendor import certifi as vendored

        return Path(vendored.where())


def inspect_in_process(bundle: Path) -> int:
    """What `gridcert inspect --json` computes, without printing: read, catalog, JSON."""
    from app.core.catalog import load_catalog
    from app.core.model import certificate_json
    from app.core.reader import read_paths

    catalog = load_catalog()
    result = read_paths([bundle])
    documents = []
    for item in result.items:
        match = catalog.match(item)
        documents.append(certificate_json(item, match.json() if match else None))
    return len(documents)


def run() -> list[Row]:
    bundle = mozilla_bundle()
    count = inspect_in_process(bundle)  # also warms the catalog cache
    in_process = median_time(lambda: inspect_in_process(bundle), repeat=9, warmup=2)

    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def cli() -> None:
        subprocess.run(
            [PYTHON, "-m", "app", "inspect", str(bundle), "--json"],
            check=True,
            capture_output=True,
            cwd=REPO,
            env=env,
        )

    def baseline() -> None:
        subprocess.run([PYTHON, "-c", "import cryptography.x509"], check=True, capture_output=True)

    times = interleaved({"cli": cli, "baseline": baseline}, repeat=7, warmup=1)
    base_name = 'python -c "import cryptography.x509"'
    return [
        Row(
            f"inspect {count}-root bundle, in-process",
            in_process,
            "s",
            base_name,
            times["baseline"],
            f"<= {BUDGET_IN_PROCESS} s",
            in_process <= BUDGET_IN_PROCESS,
        ),
        Row(
            f"inspect {count}-root bundle, CLI process",
            times["cli"],
            "s",
            base_name,
            times["baseline"],
        ),
    ]
