"""Render the *Test sign-in* window, accepted and refused, into PNGs (`make screenshots`).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_signin.py docs/screenshots

Everything is real and local: Jane Smith's certificate (issued under "ERCOT CA") is
installed into a Firefox profile made with certutil in a temporary home folder, and the
window reads it back from there; the two servers run on 127.0.0.1 (the test suite's
`tests/integration/probe_servers.py`): one that accepts it (Python's ssl, answering
HTTP 200) and one that lists "ERCOT CA" but has not registered it (`openssl s_server`,
which answers `unknown_ca`). Their own certificate comes from a test "public" CA that this
process trusts through SSL_CERT_FILE. The ERCOT address is pointed at them through the
person's own endpoints file, as a person would add one.

Writes exactly signin-accepted.png and signin-refused.png (README.md shows both).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHOTS = ("signin-accepted", "signin-refused")


def _isolate(base: Path) -> Path:
    """Point every place GridCert looks at into `base` (before anything is imported)."""
    home = base / "home"
    home.mkdir()
    for key, value in {
        "HOME": home, "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local" / "share", "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
        "GRIDCERT_DATA_DIR": home / "gridcert-data",
        "GRIDCERT_LINUX_ROOT": base / "linux-root",
    }.items():
        os.environ[key] = str(value)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return home


class Shots:
    def __init__(self, out: Path, home: Path, certutil: str) -> None:
        self.out = out
        self.home = home
        self.certutil = certutil
        self.made: set[str] = set()

    def wait(self, condition: Callable[[], bool], seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the sign-in window did not get there")
            self.app.processEvents()
            time.sleep(0.01)

    def render(self) -> set[str]:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication

        from app.actions.install import apply_plan, plan_install
        from app.actions.probe import identity_from_installed, user_endpoints_path
        from app.actions.targets import resolve_targets
        from app.core.reader import read_paths
        from app.gui.signin.panel import SignInSubject
        from tests import pki
        from tests.gui.scene import PASSWORD, build_desk
        from tests.integration.probe_servers import openssl_server, python_server

        self.app = QApplication.instance() or QApplication(["gridcert-screenshots"])
        QCoreApplication.setApplicationName("GridCert")
        desk = build_desk(self.home, self.home / "Downloads", self.certutil)
        target = f"nss:{desk.firefox_db}"
        stores = resolve_targets([target])
        items = read_paths([str(desk.pfx_path)], lambda _source: PASSWORD).items
        report = apply_plan(plan_install(items, stores))
        assert report.ok, report.error

        web_root = pki.make_root("Example Public Web CA", org="Example Public Web",
                                 key=pki.pooled_key("rsa2048", 6))
        server = pki.make_leaf(web_root, "127.0.0.1", client_auth=False, server_auth=True,
                               san_ip=["127.0.0.1"], key=pki.pooled_key("rsa2048", 9))
        stranger = pki.make_root("Somebody Else Root CA", org="Somebody Else",
                                 key=pki.pooled_key("rsa2048", 10))
        trust = self.home / "os-trust.pem"
        trust.write_bytes(web_root.pem)
        os.environ["SSL_CERT_FILE"] = str(trust)
        servers = self.home / "servers"

        leaf = next(item for item in items if item.sha256 == desk.leaf.sha256)
        subject = SignInSubject(leaf.display_name, stores[0].label,
                                lambda: identity_from_installed(leaf.sha256, stores))

        def point_at(port: int) -> None:
            path = user_endpoints_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                '[[endpoint]]\nid = "ews-here"\nname = "ERCOT EWS API (a test server '
                'on this computer)"\noperator = "ERCOT"\nenvironment = "production"\n'
                f'url = "https://127.0.0.1:{port}/"\n', encoding="utf-8")

        with python_server(servers / "accepting", server, client_ca=[desk.root],
                           ask=True) as port:
            point_at(port)
            self.shoot("signin-accepted", subject, details=False)
        with openssl_server(servers / "refusing", server, ca_list=[desk.root],
                            verify_with=[stranger]) as port:
            point_at(port)
            self.shoot("signin-refused", subject, details=False)
        return self.made

    def shoot(self, name: str, subject: object, *, details: bool) -> None:
        from app.gui.signin.panel import SignInDialog, SignInSubject

        assert isinstance(subject, SignInSubject)
        dialog = SignInDialog(subject, timeout=5)
        dialog.show()
        self.wait(lambda: dialog.loaded is not None)
        dialog.start()
        self.wait(lambda: not dialog.running)
        assert dialog.probe_result is not None, dialog.sentence.text()
        if details:
            dialog.details_link.set_open(True)
        for _ in range(5):
            self.app.processEvents()
        dialog.adjustSize()
        dialog.resize(720, dialog.height())
        for _ in range(5):
            self.app.processEvents()
        path = self.out / f"{name}.png"
        dialog.grab().save(str(path))
        self.made.add(name)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        dialog.close()
        dialog.deleteLater()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: screenshots_signin.py OUTDIR\n")
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    certutil = shutil.which("certutil")
    if certutil is None or shutil.which("pk12util") is None or shutil.which("openssl") is None:
        sys.stderr.write("screenshots_signin.py: certutil, pk12util (libnss3-tools) and "
                         "openssl are needed\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="gridcert-signin-shots-") as tmp:
        home = _isolate(Path(tmp))
        made = Shots(out, home, certutil).render()
    missing = [name for name in SHOTS if name not in made]
    if missing:
        sys.stderr.write(f"screenshots_signin.py: not made: {', '.join(missing)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
