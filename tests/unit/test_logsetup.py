"""The rotating log: where it is, one line per action, and never a secret in it."""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from pathlib import Path

import pytest

from app.core import logsetup
from app.core.logsetup import configure_logging, log_action, scrub
from tests.pki import make_leaf, make_root

SECRET = "Tr0ub4dor&3-correct horse"


@pytest.fixture(autouse=True)
def detach_handler() -> object:
    """Leave the process-wide `gridcert` logger as it was found after each test."""
    yield None
    logger = logging.getLogger(logsetup.LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, "_gridcert", False):
            logger.removeHandler(handler)
            handler.close()


def flush() -> None:
    for handler in logging.getLogger(logsetup.LOGGER_NAME).handlers:
        handler.flush()


def test_log_file_is_in_the_log_dir_and_private(isolated_home: Path) -> None:
    path = configure_logging()
    assert path == Path(os.environ["GRIDCERT_DATA_DIR"]) / "logs" / "gridcert.log"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_configure_is_idempotent_and_rotates_at_1_mb() -> None:
    first = configure_logging()
    second = configure_logging()
    assert first == second
    ours = [
        h for h in logging.getLogger(logsetup.LOGGER_NAME).handlers
        if getattr(h, "_gridcert", False)
    ]
    assert len(ours) == 1
    handler = ours[0]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert handler.maxBytes == 1_000_000
    assert handler.backupCount == 5


def test_configure_follows_a_new_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure_logging()
    monkeypatch.setenv("GRIDCERT_DATA_DIR", str(tmp_path / "elsewhere"))
    moved = configure_logging()
    assert moved == tmp_path / "elsewhere" / "logs" / "gridcert.log"
    log_action("inspect", "ok", files="1")
    flush()
    assert "action=inspect outcome=ok files=1" in moved.read_text()


def test_one_line_per_action_with_fields() -> None:
    path = configure_logging()
    log_action("install", "ok", target="firefox", count="2", note="two\nlines here")
    log_action("remove", "failed", target="nss:/tmp/db", error='store "locked"')
    flush()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        'gridcert: action=install outcome=ok target=firefox count=2 note="two lines here"'
    )
    assert " INFO " in lines[0]
    assert " WARNING " in lines[1]
    assert 'error="store \\"locked\\""' in lines[1]


def test_log_action_configures_itself_on_first_use() -> None:
    log_action("verify", "ok", leaf="jane.pem")
    flush()
    path = Path(os.environ["GRIDCERT_DATA_DIR"]) / "logs" / "gridcert.log"
    assert "action=verify outcome=ok leaf=jane.pem" in path.read_text()


def test_password_fields_are_never_written() -> None:
    path = configure_logging()
    log_action(
        "export", "ok", password=SECRET, passphrase=SECRET, key_password=SECRET,
        private_key=SECRET, token=SECRET, out="/tmp/x.pfx",
    )
    flush()
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert "Tr0ub4dor" not in text
    assert "password=[redacted]" in text
    assert "out=/tmp/x.pfx" in text


def test_secrets_in_free_text_and_errors_are_scrubbed() -> None:
    path = configure_logging()
    pki_leaf = make_leaf(make_root())
    key_pem = pki_leaf.key_pem.decode()
    logger = logging.getLogger("gridcert.test")
    logger.warning("pk12util failed with password=%s for %s", SECRET.replace(" ", "_"), "db")
    logger.warning("key material: %s", key_pem)
    try:
        raise ValueError(f"cannot open, passphrase: '{SECRET}'")
    except ValueError:
        logger.exception("import failed")
    flush()
    text = path.read_text(encoding="utf-8")
    assert "Tr0ub4dor" not in text
    assert "PRIVATE KEY" not in text
    body = key_pem.splitlines()[1]
    assert body not in text
    assert "[private key removed]" in text
    assert "Traceback" not in text
    assert "ValueError" in text
    assert len(text.splitlines()) == 3


def test_scrub_keeps_ordinary_text() -> None:
    assert scrub("installed 'ERCOT CA' into firefox") == "installed 'ERCOT CA' into firefox"
    assert scrub('password = "a b c" rest') == f"password = {logsetup.REDACTED} rest"


def test_a_failing_write_never_reaches_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    path = configure_logging()
    ours = [
        h for h in logging.getLogger(logsetup.LOGGER_NAME).handlers
        if isinstance(h, logging.handlers.RotatingFileHandler) and getattr(h, "_gridcert", False)
    ]
    assert len(ours) == 1
    ours[0].stream.close()  # the next write fails, as a locked file on Windows would
    log_action("install", "ok", target="firefox")
    ours[0].stream = None  # type: ignore[assignment]  # let the fixture close it cleanly
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Logging error" not in captured.out
    assert path.exists()
