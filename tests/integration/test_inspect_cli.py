"""`gridcert inspect`: the CLI contract (JSON shape, exit codes, passwords, human table).

Most cases run the real command as a process (argv without a shell, stdin not a
terminal); the interactive prompt is exercised in-process with a pretend terminal.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests import realtools
from tests.pki import Pki, make_pki, make_root, pfx_bytes, pooled_key

REPO = Path(__file__).resolve().parents[2]
CONTRACT_FIELDS = {
    "sha256",
    "sha1",
    "subject",
    "issuer",
    "serial",
    "role",
    "has_private_key",
    "not_before",
    "not_after",
    "key",
    "catalog",
    "source",
}


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("Inspect Operator", "Jane Smith")


def gridcert(
    *argv: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "inspect", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        check=False,
    )


def operator_zip(folder: Path, pki: Pki) -> Path:
    path = folder / "Inspect_Operator_Root.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Root/inspect_root.cer", pki.root.der)
        archive.writestr("Root/Installation Instructions.pdf", b"%PDF-1.4 steps")
    return path


def test_json_contract_for_zip_pfx_and_pem(pki: Pki, tmp_path: Path) -> None:
    archive = operator_zip(tmp_path, pki)
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, "pässword", [pki.intermediate]))
    chain = pki.intermediate.write(tmp_path / "issuing.pem")

    done = gridcert(
        str(archive),
        str(pfx),
        str(chain),
        "--json",
        "--password-env",
        "PFX_PW",
        env={"PFX_PW": "pässword"},
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # stdout is exactly one JSON document
    assert set(document) == {"items", "errors"}
    assert document["errors"] == []
    items: list[dict[str, Any]] = document["items"]
    assert all(set(item) == CONTRACT_FIELDS for item in items)
    assert [item["source"] for item in items] == [
        f"{archive}!Root/inspect_root.cer",
        str(pfx),
        str(pfx),
        str(chain),
    ]
    assert [item["role"] for item in items] == [
        "root",
        "end-entity",
        "intermediate",
        "intermediate",
    ]
    assert [item["has_private_key"] for item in items] == [False, True, False, False]
    assert items[0]["sha256"] == realtools.openssl_fingerprint(pki.root.pem)
    assert items[1]["sha256"] == realtools.openssl_fingerprint(pki.leaf.pem)
    leaf = items[1]
    assert leaf["subject"] == "CN=Jane Smith,O=Inspect Operator,C=US"
    assert leaf["serial"] == format(pki.leaf.cert.serial_number, "x")
    assert leaf["not_after"].endswith("Z") and leaf["key"] == "RSA 2048"
    assert leaf["catalog"] is None


def test_human_table_and_other_members(pki: Pki, tmp_path: Path) -> None:
    archive = operator_zip(tmp_path, pki)
    pfx = tmp_path / "me.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, None, [pki.intermediate]))
    done = gridcert(str(archive), str(pfx))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["Role", "Name", "Valid", "until", "Key", "SHA-256", "Source"]
    table = "\n".join(lines[2:5])
    assert "root CA" in table and "Inspect Operator Root CA" in table
    assert "your certificate + key" in table and "Jane Smith" in table
    assert "intermediate CA" in table
    assert pki.root.sha256 in table and "Inspect_Operator_Root.zip!Root/inspect_root.cer" in table
    assert "days left)" in table and "RSA 2048" in table
    assert (
        "Not certificates (left aside): "
        "‘Inspect_Operator_Root.zip!Root/Installation Instructions.pdf’." in done.stdout
    )
    assert lines[-1] == "3 certificates read from 2 files."
    assert done.stderr == ""


def test_password_needed_without_terminal_exits_3_and_keeps_items(pki: Pki, tmp_path: Path) -> None:
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pfx_bytes(pki.leaf, "secret", [pki.root]))
    root = pki.root.write(tmp_path / "root.pem")
    done = gridcert(str(pfx), str(root), "--json")
    assert done.returncode == 3
    document = json.loads(done.stdout)
    assert document["errors"] == [
        {
            "source": str(pfx),
            "message": (
                "‘0123456789012$JSMITH.pfx’ is protected by a password; it is needed to open it."
            ),
        }
    ]
    assert [item["sha256"] for item in document["items"]] == [pki.root.sha256]
    assert "gridcert: ‘0123456789012$JSMITH.pfx’ is protected by a password" in done.stderr
    assert "--password-env VAR or --password-stdin" in done.stderr


def test_password_from_stdin_and_wrong_password(pki: Pki, tmp_path: Path) -> None:
    pfx = tmp_path / "me.p12"
    pfx.write_bytes(pfx_bytes(pki.leaf, "Ünïcødé pw", [pki.root], compatible=True))
    ok = gridcert(str(pfx), "--json", "--password-stdin", stdin="Ünïcødé pw\n")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["items"][0]["has_private_key"] is True

    wrong = gridcert(str(pfx), "--password-stdin", stdin="nope\n")
    assert wrong.returncode == 3
    assert wrong.stderr.splitlines() == [
        "gridcert: ‘me.p12’ could not be opened: wrong password, or the file is damaged."
    ]
    assert wrong.stdout.strip() == "0 certificates read; 1 problem:"


def test_password_env_not_set_is_a_usage_error(pki: Pki, tmp_path: Path) -> None:
    root = pki.root.write(tmp_path / "root.pem")
    env = {key: value for key, value in os.environ.items() if key != "NO_SUCH_PW"}
    done = subprocess.run(
        [sys.executable, "-m", "app", "inspect", str(root), "--password-env", "NO_SUCH_PW"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "gridcert: The environment variable NO_SUCH_PW is not set."


def test_bad_inputs_are_sentences_not_tracebacks(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Call the help desk.\n")
    empty = tmp_path / "empty.cer"
    empty.write_bytes(b"")
    done = gridcert(str(notes), str(empty), str(tmp_path / "missing.pfx"), str(tmp_path), "--json")
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert [error["message"] for error in json.loads(done.stdout)["errors"]] == [
        "‘notes.txt’ is not a certificate file (it looks like text).",
        "‘empty.cer’ is empty.",
        "‘missing.pfx’ does not exist.",
        f"‘{tmp_path.name}’ is a folder, not a certificate file.",
    ]


def test_catalog_match_is_reported(tmp_path: Path) -> None:
    lookalike = make_root("ERCOT CA", org="ERCOT")
    path = lookalike.write(tmp_path / "ERCOT_CA.cer")
    done = gridcert(str(path), "--json")
    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)["items"]
    assert item["catalog"] == {
        "id": "ercot-ca",
        "name": "ERCOT CA",
        "operator": "ERCOT",
        "environment": "production",
        "match": "name",
        "mismatch": None,
    }
    human = gridcert(str(path))
    assert (
        "- ‘ERCOT CA’ — Name matches only. This has the name of the ERCOT CA (production) "
        "root, but nothing on record proves it is ERCOT's: compare its SHA-256 fingerprint "
        "with ERCOT's page before you install it. ERCOT's page: "
        "https://www.ercot.com/services/mdt/webservices/"
    ) in human.stdout


def test_impostor_and_unknown_root_badges_in_cli(tmp_path: Path) -> None:
    """A self-signed CN=ERCOT CA whose key is not ERCOT's stated 2048 bits is flagged in
    both the human output and the JSON (`catalog.match` null, `catalog.mismatch` the
    sentence); a root on no operator's list is said to be unknown."""
    impostor = make_root("ERCOT CA", key=pooled_key("ec-p256", 0)).write(tmp_path / "e.cer")
    unknown = make_root("Some Other CA").write(tmp_path / "o.cer")
    done = gridcert(str(impostor), str(unknown), "--json")
    assert done.returncode == 0, done.stderr
    first, second = json.loads(done.stdout)["items"]
    assert first["catalog"]["id"] == "ercot-ca"
    assert first["catalog"]["match"] is None
    assert first["catalog"]["mismatch"].startswith(
        "This has the name of the ERCOT CA (production) root, but its key is not the "
        "2048-bit key ERCOT states")
    assert second["catalog"] is None
    human = gridcert(str(impostor), str(unknown))
    assert "‘ERCOT CA’ — Not ERCOT's certificate. This has the name of" in human.stdout
    assert "looks like" not in human.stdout
    assert ("‘Some Other CA’ — Unknown root. This root is not on your operator's list: "
            "install it only if your administrator told you to.") in human.stdout


def test_a_pinned_root_is_verified_in_json_and_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With ERCOT's fingerprint pinned (as it will be once published), `catalog.match` is
    "pinned" and the note says Verified in the wizard's words; nothing says to compare."""
    import shutil

    from app.core import catalog as catalog_module
    from app.core.paths import resource_path

    root = make_root("ERCOT CA", org="ERCOT")
    path = root.write(tmp_path / "ERCOT_CA.cer")
    folder = tmp_path / "catalog"
    shutil.copytree(resource_path("catalog"), folder)
    ercot = folder / "ercot.toml"
    head, tail = ercot.read_text(encoding="utf-8").split('subject_cn = "ERCOT CA"', 1)
    tail = tail.replace('sha256 = ""', f'sha256 = "{root.sha256}"', 1)
    ercot.write_text(head + 'subject_cn = "ERCOT CA"' + tail, encoding="utf-8")
    monkeypatch.setattr(catalog_module, "load_catalog",
                        lambda: catalog_module.load_catalog_from(folder))

    assert main(["inspect", str(path), "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)["items"]
    assert item["catalog"]["match"] == "pinned" and item["catalog"]["mismatch"] is None
    assert main(["inspect", str(path)]) == 0
    human = capsys.readouterr().out
    assert ("‘ERCOT CA’ — Verified. This is the ERCOT CA (production) root: its "
            "fingerprint matches the one GridCert has on record from ERCOT.") in human
    assert "compare" not in human


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prompts_on_a_terminal_only_when_a_pfx_needs_it(
    pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked.pfx"
    locked.write_bytes(pfx_bytes(pki.leaf, "right one", [pki.root]))
    open_pfx = tmp_path / "open.pfx"
    open_pfx.write_bytes(pfx_bytes(pki.leaf, None))
    answers = iter(["first wrong", "right one"])
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code = main(["inspect", str(open_pfx), str(locked)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert prompts == ["Password for ‘locked.pfx’: ", "Password for ‘locked.pfx’: "]
    assert "That password does not open ‘locked.pfx’." in captured.err
    assert captured.out.count("your certificate + key") == 2


def test_weak_signature_is_noted_but_not_on_roots(pki: Pki, tmp_path: Path) -> None:
    old = realtools.openssl_issue(
        tmp_path / "old.cer",
        "/CN=Old SHA1 Person/O=Inspect Operator",
        pki.leaf,
        pki.intermediate,
        digest="sha1",
    )
    old_root = realtools.openssl_self_signed(
        tmp_path / "old-root.cer", "/CN=Old SHA1 Root/O=Inspect Operator", pki.root
    )
    done = gridcert(str(old), str(old_root))
    assert done.returncode == 0, done.stderr
    [root_row] = [line for line in done.stdout.splitlines()
                  if "Old SHA1 Root" in line and not line.startswith("- ")]
    assert root_row.split()[:2] == ["root", "CA"]
    assert "- ‘Old SHA1 Person’ is signed with SHA-1, which is weak." in done.stdout
    assert "Old SHA1 Root’ is signed" not in done.stdout


def test_second_wrong_password_adds_where_the_password_comes_from(
    pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ERCOT's file name (`<DUNS>$<USER>.pfx`): the first wrong password is a plain
    sentence, the second adds the help (separate email; ERCOT's one-time password is shown
    once — download the file again)."""
    locked = tmp_path / "0787579852300$JSMITH.pfx"
    locked.write_bytes(pfx_bytes(pki.leaf, "right one", [pki.root]))
    answers = iter(["wrong 1", "wrong 2", "wrong 3"])
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    code = main(["inspect", str(locked)])
    err = capsys.readouterr().err
    assert code == 3
    lines = [line for line in err.splitlines() if line.startswith("That password")]
    assert lines == [
        "That password does not open ‘0787579852300$JSMITH.pfx’.",
        "That password does not open ‘0787579852300$JSMITH.pfx’. The password does not come "
        "with the file: it is usually sent separately, in another email or by your security "
        "administrator. ERCOT shows its one-time password only once, when you download the "
        "certificate; if you no longer have it, download the file again to get a new "
        "password.",
    ]
