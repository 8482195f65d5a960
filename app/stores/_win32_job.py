"""Windows only: the store tools GridCert starts die with it (a Job object).

A job created with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE terminates every process in it when
its last handle is closed — and Windows closes the handles of a process that dies, even
one killed from Task Manager. GridCert keeps one such job for its lifetime and puts each
certutil/keytool it starts into it, so that a killed GridCert never leaves a tool writing
to a store while the next GridCert rolls that store back.

Microsoft's documentation: "JOBOBJECT_BASIC_LIMIT_INFORMATION structure" (LimitFlags,
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE), "SetInformationJobObject function" and
"AssignProcessToJobObject function",
https://learn.microsoft.com/en-us/windows/win32/api/jobapi2/ .

Importing this module elsewhere does nothing; calling `contain` there is a no-op. Proven
only on a real Windows machine (the tests here check the types and use a fake kernel32).
"""

from __future__ import annotations

import ctypes
import sys
import threading
from ctypes import wintypes
from typing import Any

JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
#: JOBOBJECTINFOCLASS value for JOBOBJECT_EXTENDED_LIMIT_INFORMATION.
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9


class IO_COUNTERS(ctypes.Structure):
    _fields_ = [(name, ctypes.c_ulonglong) for name in (
        "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
        "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]


# DWORD fields are c_uint32, not wintypes.DWORD (c_ulong: 8 bytes on Linux), so that the
# layout — 144 bytes on 64-bit Windows — can be checked by the tests on any OS.
class JOBOBJECT_BASIC_LIMIT_INFORMATION(ctypes.Structure):
    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]


class JOBOBJECT_EXTENDED_LIMIT_INFORMATION(ctypes.Structure):
    _fields_ = [
        ("BasicLimitInformation", JOBOBJECT_BASIC_LIMIT_INFORMATION),
        ("IoInfo", IO_COUNTERS),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


def _check_bool(result: Any, func: Any, args: Any) -> Any:
    if not result:
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined,unused-ignore]
    return result


def _bind(kernel32: Any) -> Any:
    """Declare the three functions' types on `kernel32` (the real DLL, or a test fake)."""
    kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.CreateJobObjectW.errcheck = _check_bool
    kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int,
                                                 ctypes.c_void_p, wintypes.DWORD]
    kernel32.SetInformationJobObject.restype = wintypes.BOOL
    kernel32.SetInformationJobObject.errcheck = _check_bool
    kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
    kernel32.AssignProcessToJobObject.restype = wintypes.BOOL
    kernel32.AssignProcessToJobObject.errcheck = _check_bool
    return kernel32


_lock = threading.Lock()
_job: Any = None


def _kernel32() -> Any:
    if sys.platform != "win32":
        raise OSError("Job objects exist only on Windows")
    return _bind(ctypes.WinDLL("kernel32", use_last_error=True))


def kill_on_close_job(kernel32: Any) -> Any:
    """A new job whose processes are killed when its last handle closes."""
    job = kernel32.CreateJobObjectW(None, None)
    info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    kernel32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                                     ctypes.byref(info), ctypes.sizeof(info))
    return job


def contain(process_handle: int, kernel32: Any = None) -> bool:
    """Put a started child (its process handle) into GridCert's job; False when it could
    not be done (the child then runs as before: a best effort, never a failure)."""
    global _job
    try:
        k32 = kernel32 if kernel32 is not None else _kernel32()
        with _lock:
            if _job is None:
                # Never closed: the handle closes when GridCert ends, which is the point.
                _job = kill_on_close_job(k32)
            k32.AssignProcessToJobObject(_job, process_handle)
    except OSError:
        return False
    return True


PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259


def process_alive(pid: int, kernel32: Any = None) -> bool:
    """Whether process `pid` still runs (OpenProcess + GetExitCodeProcess); when it cannot
    be asked (no rights), it is assumed alive, so that nothing of it is removed."""
    k32 = kernel32
    if k32 is None:
        if sys.platform != "win32":
            return True
        try:
            k32 = ctypes.WinDLL("kernel32", use_last_error=True)
        except OSError:
            return True
    k32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    k32.OpenProcess.restype = wintypes.HANDLE
    k32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    k32.GetExitCodeProcess.restype = wintypes.BOOL
    k32.CloseHandle.argtypes = [wintypes.HANDLE]
    k32.CloseHandle.restype = wintypes.BOOL
    handle = k32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # ERROR_INVALID_PARAMETER (87): no such process; anything else: not ours to judge.
        return bool(ctypes.get_last_error() != 87)  # type: ignore[attr-defined,unused-ignore]
    try:
        code = wintypes.DWORD()
        if not k32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE
    finally:
        k32.CloseHandle(handle)
