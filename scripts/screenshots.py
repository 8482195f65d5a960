"""Render every page of every wizard flow into PNGs, in the light and the dark colour
scheme: `make screenshots`.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py docs/screenshots

writes OUTDIR/light/*.png and OUTDIR/dark/*.png (each scheme in a process of its own, with
a fresh temporary home: `--scheme light|dark DIR` renders one).

Realistic data, all generated in a temporary home folder (never the real one): the
"ERCOT CA" root zip with its instructions PDF and Jane Smith's (Example Power LLC)
`0123456789012$JSMITH.pfx` in ~/Downloads, a Firefox profile and Chromium's database made
with certutil, and an in-memory keyring (the real one is never touched). Everything really
runs (into those temporary databases): the install, a failing install that is rolled back,
the Renew flow (new .pfx, then a certificate request that a test CA answers and that is
completed), the Move flow and the Check view with its daily-reminder switch (told not to
run systemctl). The Progress page is caught mid-run by holding the worker at its first
step until the grab is taken.

The script writes exactly the PNGs in SHOTS into each scheme's folder and deletes any
other PNG there (and its own older pictures in OUTDIR itself), so the folders never keep a
picture of a page that no longer looks like that; the sign-in pictures in OUTDIR
(scripts/screenshots_signin.py) stay.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Every picture this script makes (README.md shows some of them by these names).
SHOTS = (
    "01-start", "02-add-files", "03-review", "04-password-wrong", "05-where", "06-confirm",
    "07-progress", "08-done", "09-check", "10-password-caps-lock", "11-confirm-firefox-open",
    "12-done-rolled-back", "13-confirm-already-installed", "14-done-undone",
    "renew-01-how", "renew-02-new-file", "renew-03-where", "renew-04-done",
    "renew-05-request", "renew-06-request-done", "renew-07-complete",
    "renew-08-complete-where", "renew-09-complete-done",
    "move-01-what", "move-02-where-going", "move-03-done",
    "renew-10-confirm", "move-04-confirm",
)

LEAF_DAYS = 28  # Jane's current certificate: under 30 days left, the Check view colours it
NEW_PASSWORD = "Rq4-vN8k-Ze2w"  # the password that came with next year's .pfx


def _isolate(base: Path) -> Path:
    """Point every place GridCert looks at into `base` (before anything is imported)."""
    home = base / "home"
    home.mkdir()
    os.environ["HOME"] = str(home)
    os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
    os.environ["XDG_DATA_HOME"] = str(home / ".local" / "share")
    os.environ["XDG_CACHE_HOME"] = str(home / ".cache")
    os.environ["XDG_STATE_HOME"] = str(home / ".local" / "state")
    os.environ["GRIDCERT_DATA_DIR"] = str(home / "gridcert-data")
    os.environ["GRIDCERT_LINUX_ROOT"] = str(base / "linux-root")
    # A Debian-like system store, so that "This computer" is offered as on a real machine.
    (base / "linux-root" / "usr" / "local" / "share" / "ca-certificates").mkdir(parents=True)
    # The reminder switch writes its systemd units into the temporary home, and runs nothing.
    os.environ["GRIDCERT_SYSTEMCTL"] = ""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return home


def _memory_keyring() -> None:
    """A keyring that lives in this process only: the pages look as with a working
    system keyring, and nothing reaches the real one."""
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.kept.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    keyring.set_keyring(MemoryKeyring())


SCHEMES = ("light", "dark")


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--scheme" and argv[1] in SCHEMES:
        return render_scheme(argv[1], Path(argv[2]).resolve())
    if len(argv) != 1:
        sys.stderr.write("usage: screenshots.py [--scheme light|dark] OUTDIR\n")
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in stale_top_level(out):
        stale.unlink()
        print(f"removed {stale.name} (now in light/ and dark/)")
    for scheme in SCHEMES:
        # A process per scheme: each needs its own temporary home and fresh stores.
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--scheme",
                               scheme, str(out / scheme)], check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


def stale_top_level(out: Path) -> list[Path]:
    """Pictures of this script's pages left in OUTDIR itself from before the schemes'
    folders. Only those: OUTDIR also holds what scripts/screenshots_signin.py makes
    (`signin-*.png`, shown by README.md), which this script must not take away."""
    return [path for path in sorted(out.glob("*.png")) if path.stem in SHOTS]


def render_scheme(scheme: str, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    certutil = shutil.which("certutil")
    if certutil is None or shutil.which("pk12util") is None:
        sys.stderr.write("screenshots.py: certutil and pk12util are needed "
                         "(Debian package libnss3-tools)\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="gridcert-shots-") as tmp:
        home = _isolate(Path(tmp))
        _memory_keyring()
        made = Shots(out, home, certutil, dark=scheme == "dark").render()
    for stale in sorted(out.glob("*.png")):
        if stale.stem not in made:
            stale.unlink()
            print(f"removed {stale.name} (no longer made)")
    missing = [name for name in SHOTS if name not in made]
    if missing:
        sys.stderr.write(f"screenshots.py: not made: {', '.join(missing)}\n")
        return 1
    return 0


def _sign(request_pem: bytes, issuer: Any) -> bytes:
    """What the operator does with the request: a certificate for its key and name."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding

    request = x509.load_pem_x509_csr(request_pem)
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(request.subject)
               .issuer_name(issuer.cert.subject).public_key(request.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=365)))
    for extension in request.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(Encoding.PEM)


class Shots:
    """Drives fresh wizards through every flow and grabs each page."""

    def __init__(self, out: Path, home: Path, certutil: str, dark: bool = False) -> None:
        self.out = out
        self.dark = dark
        self.home = home
        self.downloads = home / "Downloads"
        self.documents = home / "Documents"
        self.certutil = certutil
        self.made: set[str] = set()

    # --- plumbing --------------------------------------------------------------------
    def render(self) -> set[str]:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication

        from tests.gui.scene import build_desk

        self.documents.mkdir(parents=True)
        # Jane's certificate runs out in four weeks: the time to renew it.
        self.desk = build_desk(self.home, self.downloads, self.certutil, leaf_days=LEAF_DAYS)
        self.app = QApplication.instance() or QApplication(["gridcert-screenshots"])
        QCoreApplication.setApplicationName("GridCert")
        from PySide6.QtCore import QLocale

        from app.gui import style

        # What a person in the US sees (dates as "December 4, 2027"), whatever this
        # machine's locale; Fusion with the palette of the scheme, as on Linux.
        QLocale.setDefault(QLocale("en_US"))
        self.app.setStyle("Fusion")
        assert isinstance(self.app, QApplication)
        style.apply_scheme(self.app, self.dark)
        self.files: list[str] = []
        self.wizard: Any = None

        self.install_failures()  # first: nothing of Jane's may be installed yet
        self.install()
        self.undo_and_again()
        self.move()
        self._last_years_certificate()
        self.check()
        self.renew_new_file()
        self.renew_request_and_complete()
        if self.wizard is not None:
            self.wizard.close()
        return self.made

    def _last_years_certificate(self) -> None:
        """Jane's certificate from last year, already in Firefox and expired: the Check
        view flags it as clutter in the browser's certificate list."""
        from tests import pki

        old = pki.make_leaf(self.desk.root, "Jane Smith", org="Example Power LLC",
                            not_before=pki.NOW - dt.timedelta(days=400),
                            not_after=pki.NOW - dt.timedelta(days=35))
        old_pem = self.downloads / "old.pem"
        old.write(old_pem)
        subprocess.run([self.certutil, "-A", "-d", f"sql:{self.desk.firefox_db}", "-n",
                        "Jane Smith 2025", "-t", ",,", "-i", str(old_pem)],
                       check=True, capture_output=True)
        old_pem.unlink()

    def new_wizard(self) -> Any:
        from PySide6.QtWidgets import QWidget

        from app.gui.dialogs import Dialogs
        from app.gui.wizard import GridCertWizard

        shots = self

        class Answers(Dialogs):
            def open_files(self, parent: QWidget | None) -> list[str]:
                return list(shots.files)

            def save_file(self, parent: QWidget | None, title: str, suggested: str,
                          filter_: str) -> str:
                return suggested

            def confirm(self, parent: QWidget | None, title: str, text: str, yes: str) -> bool:
                return True

            def inform(self, parent: QWidget | None, title: str, text: str) -> None:
                pass

            def open_url(self, url: str) -> bool:
                return True

        if self.wizard is not None:
            self.wizard.close()
            self.wizard.deleteLater()
        self.wizard = GridCertWizard(dialogs=Answers())
        self.wizard.resize(860, 640)
        self.wizard.show()
        self.wait(lambda: self.wizard.isVisible())
        self.wizard.set_icon()  # what app.gui.main does after the first paint
        return self.wizard

    def wait(self, condition: Callable[[], bool], timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("the wizard did not get there in time")
            self.app.processEvents()
            time.sleep(0.01)
        for _ in range(5):
            self.app.processEvents()

    def idle(self) -> None:
        self.wait(lambda: not self.wizard.state.busy)
        for _ in range(10):
            self.app.processEvents()

    def at(self, page: str) -> None:
        self.wait(lambda: self.wizard.current_page_id() == page)
        self.idle()

    def grab(self, name: str) -> None:
        assert name in SHOTS, name
        self.idle()
        path = self.out / f"{name}.png"
        self.wizard.grab().save(str(path))
        self.made.add(name)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    def child(self, cls: type, name: str) -> Any:
        found = self.wizard.currentPage().findChild(cls, name)
        assert found is not None, f"no {cls.__name__} {name!r} on {self.wizard.current_page_id()}"
        return found

    def click(self, cls: type, name: str) -> None:
        from PySide6.QtWidgets import QCheckBox, QRadioButton

        widget = self.child(cls, name)
        assert widget.isEnabled(), name
        if isinstance(widget, QRadioButton | QCheckBox):
            widget.setChecked(True)
        else:
            widget.click()
        self.idle()

    def type_into(self, name: str, text: str) -> None:
        from PySide6.QtWidgets import QLineEdit

        edit = self.child(QLineEdit, name)
        edit.setText(text)
        self.idle()

    def next(self) -> None:
        self.wizard.next()

    def commit(self) -> None:
        self.wizard.button(self.wizard.WizardButton.CommitButton).click()

    # --- the install flow --------------------------------------------------------------
    def _to_password(self) -> None:
        from app.gui import navigation as nav

        self.files = [str(self.desk.zip_path), str(self.desk.pfx_path)]
        self.new_wizard()
        self.wizard.start_job("install")
        self.wait(lambda: bool(self.wizard.state.files))
        self.at(nav.ADD_FILES)
        self.next()
        self.wait(lambda: self.wizard.current_page_id() == nav.REVIEW
                  and self.wizard.state.read is not None)
        self.next()
        self.at(nav.PASSWORD)

    def _password_to_where(self, password: str) -> None:
        from app.gui import navigation as nav

        self.type_into("password", password)
        self.next()
        self.at(nav.WHERE)

    def install_failures(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QLineEdit

        from app.core.errors import TargetError
        from app.gui import navigation as nav
        from app.stores.nss import NssStore
        from tests.gui.scene import PASSWORD

        # Caps Lock: upper-case letters arrive without Shift (what the hint looks for).
        self._to_password()
        field = self.child(QLineEdit, "password")
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        QTest.keyClicks(field, "JX7-PQ2M")
        self.grab("10-password-caps-lock")

        # Firefox is open on the profile: the Confirm page says to close it first.
        lock = self.desk.firefox_lock(os.getpid())
        try:
            field.clear()
            self._password_to_where(PASSWORD)
            self.next()
            self.wait(lambda: self.wizard.current_page_id() == nav.CONFIRM
                      and self.wizard.state.plan is not None)
            self.grab("11-confirm-firefox-open")
        finally:
            lock.unlink()

        # A store fails midway (its disk is full): what was done is undone.
        real = NssStore.import_identity
        chromium = str(self.desk.chromium_db)

        def failing(store: NssStore, identity: Any) -> None:
            if str(store.directory) == chromium:
                raise TargetError("Chrome and Edge: the certificate database could not be "
                                  "written (the disk is full).")
            real(store, identity)

        setattr(NssStore, "import_identity", failing)  # noqa: B010 (a stand-in, undone below)
        try:
            self._to_password()
            self._password_to_where(PASSWORD)
            self.next()
            self.wait(lambda: self.wizard.current_page_id() == nav.CONFIRM
                      and self.wizard.state.plan is not None)
            self.commit()
            self.at(nav.DONE)
            self.grab("12-done-rolled-back")
        finally:
            setattr(NssStore, "import_identity", real)  # noqa: B010

    def install(self) -> None:
        from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

        from app.gui import engine
        from app.gui import navigation as nav
        from tests.gui.scene import PASSWORD

        self.files = [str(self.desk.zip_path), str(self.desk.pfx_path)]
        self.new_wizard()
        self.grab("01-start")
        self.wizard.start_job("install")
        self.wait(lambda: bool(self.wizard.state.files))
        # The catalog has been read (the operator picker is filled); with the root .zip
        # among the files, the page does not ask for the roots.
        operator = self.wizard.currentPage().findChild(QComboBox, "operator")
        self.wait(lambda: operator is not None and operator.count() > 0, timeout=10)
        self.grab("02-add-files")

        self.next()
        self.wait(lambda: self.wizard.current_page_id() == nav.REVIEW
                  and self.wizard.state.read is not None)
        self.grab("03-review")

        self.next()
        self.at(nav.PASSWORD)
        field = self.child(QLineEdit, "password")
        field.setText("jx7-pq2m-wt9z")  # typed with Caps Lock confusion: the wrong password
        self.next()
        self.grab("04-password-wrong")
        self._password_to_where(PASSWORD)
        self.grab("05-where")

        self.next()
        self.wait(lambda: self.wizard.current_page_id() == nav.CONFIRM
                  and self.wizard.state.plan is not None)
        self.grab("06-confirm")

        # Hold the install at its first step so the Progress page can be seen mid-run.
        release = threading.Event()
        real_apply = engine.apply_plan

        def held_apply(plan: object, progress: Callable[[int, int, str], None] | None,
                       cancel: object) -> object:
            def slowed(done: int, total: int, message: str) -> None:
                if progress is not None:
                    progress(done, total, message)
                if done >= 1 and not release.is_set():
                    release.wait(30)

            return real_apply(plan, slowed, cancel)

        engine.apply_plan = held_apply
        try:
            self.commit()
            bar = self.wizard.currentPage().findChild(QWidget, "progress-bar")
            self.wait(lambda: bar is not None and bar.value() >= 1)
            for _ in range(20):
                self.app.processEvents()
            path = self.out / "07-progress.png"
            self.wizard.grab().save(str(path))  # busy on purpose: not through grab()
            self.made.add("07-progress")
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            release.set()
            engine.apply_plan = real_apply
        self.at(nav.DONE)
        self.grab("08-done")

    def undo_and_again(self) -> None:
        """Undo on the Done page just shown; install again (the later flows need Jane's
        certificate in place); then a third run finds everything already there."""
        from PySide6.QtWidgets import QPushButton

        from app.gui import navigation as nav
        from tests.gui.scene import PASSWORD

        self.click(QPushButton, "undo")
        self.wait(lambda: self.wizard.currentPage().title() == "Undone")
        self.grab("14-done-undone")
        for again in (True, False):
            self._to_password()
            self._password_to_where(PASSWORD)
            self.next()
            self.wait(lambda: self.wizard.current_page_id() == nav.CONFIRM
                      and self.wizard.state.plan is not None)
            if again:
                self.commit()
                self.at(nav.DONE)
        self.grab("13-confirm-already-installed")

    # --- the check view ----------------------------------------------------------------
    def check(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QCheckBox, QWidget

        from app.gui import navigation as nav

        self.new_wizard()
        self.wizard.start_job("check")
        self.at(nav.CHECK)
        reminder = self.wizard.currentPage().findChild(QCheckBox, "daily-reminder")
        if reminder is not None:
            self.wait(reminder.isEnabled)
        table = self.wizard.currentPage().findChild(QWidget, "inventory")
        if table is not None:
            table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.grab("09-check")

    # --- renew: a new .pfx arrives -----------------------------------------------------
    def renew_new_file(self) -> None:
        from PySide6.QtWidgets import QPushButton, QRadioButton

        from app.gui.renew import flow as renew
        from tests import pki

        new = pki.make_leaf(self.desk.root, "Jane Smith", org="Example Power LLC", days=365,
                            not_before=pki.NOW - dt.timedelta(days=2),
                            key=pki.pooled_key("rsa2048", 13))
        new_pfx = self.downloads / "0123456789012$JSMITH (2027).pfx"
        new_pfx.write_bytes(pki.pfx_bytes(new, NEW_PASSWORD, [self.desk.root],
                                          friendly_name="Jane Smith"))
        self.new_wizard()
        self.wizard.start_job("renew")
        self.at(renew.HOW)
        self.click(QRadioButton, "mode-new-file")
        self.grab("renew-01-how")
        self.next()
        self.at(renew.NEW_FILE)
        self.files = [str(new_pfx)]
        self.click(QPushButton, "browse-new")
        self.type_into("new-password", NEW_PASSWORD)
        self.grab("renew-02-new-file")
        self.next()
        self.at(renew.WHERE)
        self.grab("renew-03-where")
        self.next()
        self.at(renew.CONFIRM)
        self.grab("renew-10-confirm")
        self.commit()
        self.at(renew.DONE)
        self.grab("renew-04-done")

    # --- renew: a certificate request, then its answer ----------------------------------
    def renew_request_and_complete(self) -> None:
        from PySide6.QtWidgets import QLineEdit, QPushButton, QRadioButton

        from app.gui.renew import flow as renew

        self.new_wizard()
        self.wizard.start_job("renew")
        self.at(renew.HOW)
        self.click(QRadioButton, "mode-request")
        self.next()
        self.at(renew.REQUEST)
        self.grab("renew-05-request")
        csr_path = Path(self.child(QLineEdit, "request-out").text()).expanduser()
        self.commit()
        self.at(renew.DONE)
        self.grab("renew-06-request-done")

        issued = self.downloads / "JSMITH-2027.cer"
        issued.write_bytes(_sign(csr_path.read_bytes(), self.desk.root))
        self.new_wizard()
        self.wizard.start_job("renew")
        self.at(renew.HOW)
        self.click(QRadioButton, "mode-complete")
        self.next()
        self.at(renew.COMPLETE)
        self.files = [str(issued)]
        self.click(QPushButton, "browse-issued")
        self.grab("renew-07-complete")
        self.next()
        self.at(renew.WHERE)
        self.grab("renew-08-complete-where")
        self.next()
        self.at(renew.CONFIRM)
        self.commit()
        self.at(renew.DONE)
        self.grab("renew-09-complete-done")

    # --- move -------------------------------------------------------------------------
    def move(self) -> None:
        from PySide6.QtWidgets import QRadioButton

        from app.gui.move import flow as move

        self.new_wizard()
        self.wizard.start_job("move")
        self.at(move.WHAT)
        self.grab("move-01-what")
        self.next()
        self.at(move.HOW)
        self.click(QRadioButton, "password-generated")
        self.grab("move-02-where-going")
        self.next()
        self.at(move.CONFIRM)
        self.grab("move-04-confirm")
        self.commit()
        self.at(move.DONE)
        self.grab("move-03-done")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
