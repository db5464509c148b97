"""The second wall: a worker process that cannot open a network socket.

The guard refuses SERVICE and LOAD before a query or update reaches a worker; were it ever
wrong, Oxigraph would fetch from the network inside that worker. This seccomp filter makes
`socket()` fail with EPERM for every address family but AF_UNIX (the worker's own socket pair is
open before it is set), and `io_uring_setup` too (io_uring opens sockets without `socket()`).
Workers set it first thing, before any thread starts, so every thread of theirs has it, and
no process can lift it again (no_new_privs).

Hand-written (ten classic BPF instructions, through ctypes) because libseccomp's own Python
bindings are not on PyPI and its ctypes port, pyseccomp, was last released in 2021.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys

# audit architecture, socket(), io_uring_setup() for each architecture the filter knows
_ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _DENY = 0x7FFF0000, 0x00050000 | errno.EPERM  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO
_X32 = 0x40000000  # x86-64's x32 calls: the same numbers with this bit set
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


class _Filter(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_char_p))


def _program(arch: int, socket_call: int, io_uring: int) -> bytes:
    """socket(family != AF_UNIX), io_uring_setup, x32 and foreign-architecture calls: EPERM."""
    deny, allow = 9, 8  # instruction indexes; jumps count from the next instruction

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    return b"".join(
        (
            op(_LD_ABS, 4),  # 0: seccomp_data.arch
            op(_JEQ, arch, 0, deny - 2),  # 1
            op(_LD_ABS, 0),  # 2: seccomp_data.nr
            op(_JGE, _X32, deny - 4, 0),  # 3
            op(_JEQ, io_uring, deny - 5, 0),  # 4
            op(_JEQ, socket_call, 0, allow - 6),  # 5
            op(_LD_ABS, 16),  # 6: the low half of args[0], the address family (little-endian)
            op(_JEQ, socket.AF_UNIX, allow - 8, deny - 8),  # 7
            op(_RET, _ALLOW),  # 8
            op(_RET, _DENY),  # 9
        )
    )


def forbid_network() -> str | None:
    """Set the filter on this process; None when it is set, else why it could not be."""
    arch = _ARCHES.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None or sys.byteorder != "little":
        return f"no seccomp filter for {sys.platform} on {platform.machine()}"
    libc = ctypes.CDLL(None, use_errno=True)
    code = _program(*arch)
    prog = _Filter(len(code) // 8, code)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.prctl(
        _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0
    ):
        return f"seccomp refused the filter: {errno.errorcode.get(ctypes.get_errno(), '?')}"
    return None
