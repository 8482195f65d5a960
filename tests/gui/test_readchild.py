"""Reading files in the child process gives what reading in-process gives."""

from __future__ import annotations

from pathlib import Path

from app.core.errors import WrongPasswordError
from app.core.reader import read_paths
from app.gui.readchild import read_in_child
from tests import pki
from tests.gui.scene import PASSWORD, make_root_zip


def test_child_read_matches_in_process(tmp_path: Path) -> None:
    root = pki.make_root("ERCOT CA")
    leaf = pki.make_leaf(root, "Jane Smith", org="Example Power LLC")
    pfx = tmp_path / "0123456789012$JSMITH.pfx"
    pfx.write_bytes(pki.pfx_bytes(leaf, PASSWORD, [root]))
    roots = make_root_zip(tmp_path / "roots.zip", root)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a certificate\n")
    paths = [str(roots), str(pfx), str(notes)]
    passwords = {str(pfx): PASSWORD}

    child = read_in_child(paths, passwords)
    here = read_paths(paths, passwords.get)
    assert [(i.sha256, i.source, i.has_private_key, i.container_id) for i in child.items] == \
        [(i.sha256, i.source, i.has_private_key, i.container_id) for i in here.items]
    keyed = next(i for i in child.items if i.has_private_key)
    assert keyed.private_key is not None and keyed.matches_key(keyed.private_key)
    assert [(p.source, type(p.error), p.message) for p in child.problems] == \
        [(p.source, type(p.error), p.message) for p in here.problems]
    assert child.other_members == here.other_members
    assert child.pkcs12_sources == here.pkcs12_sources

    wrong = read_in_child([str(pfx)], {str(pfx): "not it"})
    assert not wrong.items
    assert isinstance(wrong.problems[0].error, WrongPasswordError)
    assert wrong.problems[0].needs_password
