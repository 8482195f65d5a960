"""The Windows Job object that makes store tools die with GridCert, against a fake kernel32.

What this proves: the structure layout (144 bytes, as on 64-bit Windows), the flag, the
information class and the order of calls. That Windows really kills the tools when
GridCert dies can only be seen on a real Windows machine.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

import pytest

from app.stores import _win32_job


class _Function:
    def __init__(self, log: list[tuple[str, tuple[Any, ...]]], name: str, result: Any) -> None:
        self.log, self.name, self.result = log, name, result
        self.argtypes: Any = None
        self.restype: Any = None
        self.errcheck: Any = None

    def __call__(self, *args: Any) -> Any:
        self.log.append((self.name, args))
        result = self.result
        return self.errcheck(result, self, args) if self.errcheck else result


class _Kernel32:
    def __init__(self, fail: str | None = None) -> None:
        self.log: list[tuple[str, tuple[Any, ...]]] = []
        self.CreateJobObjectW = _Function(self.log, "CreateJobObjectW", 0x44)
        self.SetInformationJobObject = _Function(self.log, "SetInformationJobObject", 1)
        self.AssignProcessToJobObject = _Function(self.log, "AssignProcessToJobObject",
                                                  0 if fail == "assign" else 1)


def test_layout_matches_64_bit_windows() -> None:
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(_win32_job.JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 144


def test_one_kill_on_close_job_holds_every_tool(monkeypatch: Any) -> None:
    monkeypatch.setattr(_win32_job, "_job", None)
    fake = _win32_job._bind(_Kernel32())
    assert _win32_job.contain(1001, kernel32=fake)
    assert _win32_job.contain(1002, kernel32=fake)
    names = [name for name, _ in fake.log]
    assert names == ["CreateJobObjectW", "SetInformationJobObject",
                     "AssignProcessToJobObject", "AssignProcessToJobObject"]
    _, (job, info_class, info, size) = fake.log[1]
    assert job == 0x44 and info_class == 9
    assert info._obj.BasicLimitInformation.LimitFlags == 0x2000
    assert size == ctypes.sizeof(_win32_job.JOBOBJECT_EXTENDED_LIMIT_INFORMATION)
    assert [args for name, args in fake.log[2:]] == [(0x44, 1001), (0x44, 1002)]
    assert fake.AssignProcessToJobObject.errcheck is _win32_job._check_bool


def test_a_failure_is_not_an_error(monkeypatch: Any) -> None:
    monkeypatch.setattr(_win32_job, "_job", None)
    monkeypatch.setattr(ctypes, "WinError", lambda code=None: OSError("refused"),
                        raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: 5, raising=False)
    fake = _win32_job._bind(_Kernel32(fail="assign"))
    assert _win32_job.contain(1001, kernel32=fake) is False


@pytest.mark.skipif(sys.platform == "win32", reason="the real kernel32 is there")
def test_elsewhere_it_does_nothing(monkeypatch: Any) -> None:
    monkeypatch.setattr(_win32_job, "_job", None)
    assert _win32_job.contain(1001) is False  # not Windows: no kernel32, no error
