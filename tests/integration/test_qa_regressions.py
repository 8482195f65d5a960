"""Regressions found by trying every README command as a new admin would (QA pass).

Each test reproduces one defect seen from the outside (the CLI as a script or a person runs
it, against real NSS databases and the prefixed system store) and checks what the person
reads: the sentence, the exit code, and that nothing changed where nothing should.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import BadInputError, WrongPasswordError
from tests.helpers import require_tool
from tests.integration.test_install_cli import PASSWORD, gridcert, new_nssdb
from tests.pki import make_pki, make_root, pfx_bytes

REPO = Path(__file__).resolve().parents[2]
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


# --- request --subject: attribute names people type --------------------------------------------
@pytest.mark.parametrize(
    "typed, oid_dotted, value",
    [
        ("CN=RIG 01+serialNumber=42,O=Example Power\\, Co,C=US", "2.5.4.5", "42"),
        ("CN=Jane,emailAddress=jane@example.com", "1.2.840.113549.1.9.1", "jane@example.com"),
        ("cn=Jane Smith,o=Example,c=US", "2.5.4.3", "Jane Smith"),
        ("CN=Jane,SN=Smith,GN=Jane", "2.5.4.4", "Smith"),
    ],
)
def test_subject_accepts_common_attribute_names(typed: str, oid_dotted: str, value: str) -> None:
    from cryptography import x509

    from app.core.csr import parse_subject

    name = parse_subject(typed)
    found = name.get_attributes_for_oid(x509.ObjectIdentifier(oid_dotted))
    assert [attribute.value for attribute in found] == [value]


@pytest.mark.parametrize(
    "typed, words",
    [("garbage", "has no '='"), ("CN=x,ZZ=1", "'ZZ' is not an attribute name"),
     ("CN=x,", "write it like CN=")],
)
def test_bad_subject_says_why(typed: str, words: str) -> None:
    from app.core.csr import parse_subject

    with pytest.raises(BadInputError) as caught:
        parse_subject(typed)
    message = str(caught.value)
    assert words in message
    assert ": ." not in message  # the old sentence ended with an empty reason


def test_request_with_serial_number_subject_from_the_cli(tmp_path: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    csr_path = tmp_path / "rig.csr"
    done = gridcert("request", "--subject", "CN=RIG 01+serialNumber=42,O=Plant,C=US",
                    "--key", "ec-p256", "--out", str(csr_path), "--key-password-env", "KP",
                    env={**NO_KEYRING, "KP": "pending key passphrase 1"})
    assert done.returncode == 0, done.stderr
    shown = subprocess.run([openssl, "req", "-in", str(csr_path), "-noout", "-subject",
                            "-nameopt", "RFC2253"], capture_output=True, text=True, check=True)
    assert "serialNumber=42" in shown.stdout


# --- gridcert with no arguments on a machine without a display ----------------------------------
def test_no_arguments_without_display_explains_instead_of_aborting() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "app"], cwd=REPO, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2, done.stderr  # Qt used to abort: 134
    assert "the wizard needs a desktop session" in done.stderr
    assert "gridcert inspect" in done.stderr or "inspect" in done.stderr


# --- remove/undo of a personal certificate without a keyring ------------------------------------
def _keys(certutil: str, db: Path) -> str:
    return subprocess.run([certutil, "-K", "-d", f"sql:{db}"], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, check=False).stdout


def test_remove_identity_without_keyring_or_terminal_changes_nothing(tmp_path: Path) -> None:
    certutil = require_tool("certutil", "libnss3-tools")
    pki = make_pki()
    db = new_nssdb(tmp_path / "db")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
    installed = gridcert("install", str(pfx), "--target", f"nss:{db}", "--password-env", "PW",
                         "--yes", env={"PW": PASSWORD})
    assert installed.returncode == 0, installed.stderr
    before = _keys(certutil, db)
    assert "rsa" in before

    done = gridcert("remove", pki.leaf.sha256, "--target", f"nss:{db}", "--yes",
                    env=NO_KEYRING)
    # Used to fail mid-transaction (exit 4) asking to "type a passphrase" with no way to.
    assert done.returncode == 3, done.stderr
    assert "Nothing was changed" in done.stderr
    assert "no terminal" in done.stderr
    assert "please type" not in done.stderr
    assert _keys(certutil, db) == before


def test_confirmation_sentence_ends_before_the_hint(tmp_path: Path) -> None:
    require_tool("certutil", "libnss3-tools")
    pki = make_pki()
    db = new_nssdb(tmp_path / "db")
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.pem)
    assert gridcert("install", str(root), "--target", f"nss:{db}", "--yes").returncode == 0
    done = gridcert("remove", pki.root.sha256, "--target", f"nss:{db}")
    assert done.returncode == 3
    assert "needs confirmation. Run again with --yes" in done.stderr


def test_restore_with_a_wrong_backup_passphrase_is_a_sentence(tmp_path: Path) -> None:
    from app.actions import apply
    from app.actions.backup import backup_passphrase

    pki = make_pki()
    backup = tmp_path / "backup.p12"
    backup.write_bytes(pfx_bytes(pki.leaf, "the passphrase used then", [pki.root]))
    backup_passphrase("a different one typed now")
    with pytest.raises(WrongPasswordError, match="wrong backup passphrase"):
        apply._identity_from_backup(str(backup))


# --- small things a person reads ----------------------------------------------------------------
def test_successful_install_is_logged_as_info(tmp_path: Path) -> None:
    from app.core.logsetup import LOGGER_NAME, log_action

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logging.getLogger(LOGGER_NAME).addHandler(handler)
    try:
        log_action("install", "committed", journal="x", steps="3")
        log_action("install", "rolled-back", journal="y")
    finally:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
    levels = {record.getMessage().split()[1]: record.levelno for record in records}
    assert levels["outcome=committed"] == logging.INFO
    assert levels["outcome=rolled-back"] == logging.WARNING


def test_export_of_a_pfx_without_chain_does_not_say_zero_ca_certificates(
    tmp_path: Path,
) -> None:
    pki = make_pki()
    source = tmp_path / "keytool-like.p12"
    source.write_bytes(pfx_bytes(pki.leaf, PASSWORD, []))
    done = gridcert("export", str(source), "--out", str(tmp_path / "out.pfx"),
                    "--password-env", "PW", env={"PW": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert "0 CA certificate" not in done.stdout
    assert f"Exported '{pki.leaf.cert.subject.rfc4514_string().split(',')[0][3:]}'" \
        in done.stdout


def test_list_names_system_store_certificates_by_their_name(isolated_home: Path,
                                                            tmp_path: Path) -> None:
    prefix = isolated_home / "linux-root"
    (prefix / "usr/local/share/ca-certificates").mkdir(parents=True)
    root = make_root("Example Grid Root CA")
    path = tmp_path / "root.pem"
    path.write_bytes(root.pem)
    plan = gridcert("install", str(path), "--target", "linux-system", "--dry-run")
    assert "lets This computer" not in plan.stdout  # the reason no longer repeats the label
    assert gridcert("install", str(path), "--target", "linux-system", "--yes").returncode == 0
    listed = gridcert("list", "--target", "linux-system")
    assert listed.returncode == 0, listed.stderr
    assert "Example Grid Root CA" in listed.stdout
    assert "gridcert-example" not in listed.stdout  # was the anchor file's name


def test_question_for_one_certificate_is_singular(tmp_path: Path) -> None:
    """On a terminal, removing one root asks 'Remove this certificate?', not 'these 1'."""
    import pty

    require_tool("certutil", "libnss3-tools")
    pki = make_pki()
    db = new_nssdb(tmp_path / "db")
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.pem)
    assert gridcert("install", str(root), "--target", f"nss:{db}", "--yes").returncode == 0
    master, slave = pty.openpty()
    try:
        os.write(master, b"n\n")
        done = subprocess.run(
            [sys.executable, "-m", "app", "remove", pki.root.sha256, "--target", f"nss:{db}"],
            cwd=REPO, stdin=slave, capture_output=True, text=True, timeout=120, check=False)
    finally:
        os.close(master)
        os.close(slave)
    assert done.returncode == 3, done.stderr
    assert "Remove this certificate? [y/N]" in done.stdout
    assert "these 1" not in done.stdout


def test_mistyped_command_does_not_list_the_hidden_one() -> None:
    done = gridcert("instal", "x.pem")
    assert done.returncode == 2
    assert "invalid choice: 'instal'" in done.stderr
    assert "'install'" in done.stderr
    assert "_apply-handover" not in done.stderr


def test_inspect_says_each_note_once_for_a_root_given_twice(tmp_path: Path) -> None:
    root = make_root("ERCOT CA", org="Electric Reliability Council of Texas")
    first, second = tmp_path / "a.pem", tmp_path / "b.cer"
    first.write_bytes(root.pem)
    second.write_bytes(root.der)
    done = gridcert("inspect", str(first), str(second))
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("has the name of the ERCOT CA") == 1


def test_profile_password_variable_not_set_names_the_profile(tmp_path: Path) -> None:
    pki = make_pki()
    (tmp_path / "client.pfx").write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.root]))
    profile = tmp_path / "site.toml"
    profile.write_text(f'files = ["client.pfx"]\ntargets = ["bundle:{tmp_path / "b.pem"}"]\n'
                       f'pinned_roots = ["{pki.root.sha256}"]\n'
                       'password_env = "QA_UNSET_PFX_PASSWORD"\n')
    env = {k: v for k, v in os.environ.items() if k != "QA_UNSET_PFX_PASSWORD"}
    done = subprocess.run([sys.executable, "-m", "app", "install", "--profile", str(profile),
                           "--dry-run"], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert f"The profile {profile} takes the .pfx password" in done.stderr
    assert "QA_UNSET_PFX_PASSWORD is not set" in done.stderr
    assert "QA_UNSET_PFX_PASSWORD" in done.stderr


def test_undo_of_a_removal_puts_the_certificate_back_under_its_nickname(tmp_path: Path) -> None:
    """Removed, then undone: Firefox's picker shows the same name as before, not the CN."""
    from app.actions.backup import backup_passphrase
    from app.actions.install import apply_plan, plan_remove, undo_last
    from app.actions.targets import resolve_targets

    certutil = require_tool("certutil", "libnss3-tools")
    pki = make_pki(person="JSMITH")
    db = new_nssdb(tmp_path / "db")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root],
                              friendly_name="Jane Smith (ERCOT)"))
    installed = gridcert("install", str(pfx), "--target", f"nss:{db}", "--password-env", "PW",
                         "--yes", env={"PW": PASSWORD})
    assert installed.returncode == 0, installed.stderr
    assert "Jane Smith (ERCOT)" in _keys(certutil, db)

    backup_passphrase("a passphrase typed for this run")  # no keyring needed in-process
    report = apply_plan(plan_remove([pki.leaf.sha256], resolve_targets([f"nss:{db}"])))
    assert report.ok, report.error
    assert "Jane Smith" not in _keys(certutil, db)
    undone = undo_last()
    assert undone.ok, undone.error
    keys = _keys(certutil, db)
    assert "Jane Smith (ERCOT)" in keys
    assert "JSMITH" not in keys


def _read_until(fd: int, marker: bytes, timeout: float = 60) -> bytes:
    """Read the pipe `fd` until `marker` shows up; bounded by `timeout` s of silence."""
    import select

    seen = b""
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {marker!r} prompt; read so far: {seen!r}")
        chunk = os.read(fd, 1)
        if not chunk:
            raise AssertionError(f"the program ended before {marker!r}: {seen!r}")
        seen += chunk
    return seen


def test_install_on_a_terminal_asks_again_after_a_mistyped_password(tmp_path: Path) -> None:
    """Like inspect: a typo in the .pfx password is asked again, not the end of the run."""
    import pty

    require_tool("certutil", "libnss3-tools")
    pki = make_pki()
    db = new_nssdb(tmp_path / "db")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, PASSWORD, [pki.intermediate, pki.root]))
    master, slave = pty.openpty()
    try:
        # A new session has no controlling terminal: getpass uses the pty on stdin and
        # writes its prompt to stderr.
        child = subprocess.Popen(
            [sys.executable, "-m", "app", "install", str(pfx), "--target", f"nss:{db}",
             "--yes"], cwd=REPO, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)
        assert child.stderr is not None
        seen = b""
        for answer in ("typo", PASSWORD):
            # getpass flushes pending input when it turns echo off: answer each prompt
            # only once it is shown.
            seen += _read_until(child.stderr.fileno(), b"Password for")
            os.write(master, answer.encode() + b"\n")
        stdout, rest = child.communicate(timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    stderr = (seen + rest).decode()
    assert child.returncode == 0, stderr
    assert "That password does not open ‘0123456789012$JSMITH.pfx’." in stderr
    assert "Installed" in stdout.decode()
