"""A query worker: one process that opens the store and runs one query at a time.

The endpoint runs every query here, not in its own process, because the only way to stop an
Oxigraph query that is over its time or memory budget, or whose client has gone, is to end the
process running it (the engine has no cancellation); the pool (:mod:`.pool`) kills the worker
and starts a fresh one. Protocol on stdin/stdout: one JSON request per line; the answer is one
JSON header line ``{"status", "media", "length"}`` followed by ``length`` bytes of body.

Run as ``python -m graph_builder.store.query_worker STORE_DIR [--write] [--memory-mb N]
[--no-network]``; with ``--no-network`` (the endpoint's default, when no ``SERVICE`` host is
allowed) the process cannot open an IP socket at all (Linux seccomp), a second wall behind
the lexical ``SERVICE`` check.
"""

from __future__ import annotations

import argparse
import json
import sys

import pyoxigraph as ox

from graph_builder.store.negotiation import GRAPHS, RESULTS, negotiate

__all__ = ["answer", "main"]


def _limit_address_space(memory_mb: int) -> None:
    """A hard backstop under the pool's RSS watch: allocations far past the budget fail."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as f:
            vm_kb = next(int(x.split()[1]) for x in f if x.startswith("VmSize:"))
        cap = vm_kb * 1024 + 2 * memory_mb * (1 << 20)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, OSError, StopIteration, ValueError):
        pass  # not Linux: the pool's watch is the only limit


def _die_with_parent() -> None:
    """Linux: be killed when the endpoint process ends, even if it was killed itself."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}  # audit arch, socket(2)


def _forbid_network() -> bool:
    """Linux seccomp: ``socket(AF_INET/AF_INET6)`` fails with EPERM in this process from now
    on, so no query can reach another host whatever the guard in front of it missed.
    Returns False where that cannot be done (another OS or CPU): the guard is then alone."""
    import ctypes
    import os
    import socket
    import struct

    arch = _ARCH.get(os.uname().machine)
    if arch is None:
        return False
    audit_arch, nr_socket = arch
    ld_abs, jeq, ret = 0x20, 0x15, 0x06
    program = [
        (ld_abs, 0, 0, 4),  # seccomp_data.arch
        (jeq, 0, 5, audit_arch),
        (ld_abs, 0, 0, 0),  # seccomp_data.nr
        (jeq, 0, 3, nr_socket),
        (ld_abs, 0, 0, 16),  # seccomp_data.args[0]: the address family
        (jeq, 2, 0, socket.AF_INET),
        (jeq, 1, 0, socket.AF_INET6),
        (ret, 0, 0, 0x7FFF0000),  # SECCOMP_RET_ALLOW
        (ret, 0, 0, 0x00050000 | 1),  # SECCOMP_RET_ERRNO | EPERM
    ]
    raw = b"".join(struct.pack("HBBI", *ins) for ins in program)
    buf = ctypes.create_string_buffer(raw)

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(program), ctypes.addressof(buf))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0  # PR_SET_SECCOMP, FILTER
    except (OSError, AttributeError):
        return False


def answer(store: ox.Store, req: dict) -> tuple[str, str, bytes]:
    """(HTTP status, media type, body) for one request dict from the endpoint."""
    if req.get("op") == "update":
        try:
            store.update(req["text"])
        except SyntaxError as exc:
            return (
                "400 Bad Request",
                "text/plain; charset=utf-8",
                f"update syntax: {exc}\n".encode(),
            )
        except (ValueError, OSError) as exc:
            return "400 Bad Request", "text/plain; charset=utf-8", f"update: {exc}\n".encode()
        return "204 No Content", "text/plain", b""
    try:
        defaults = [ox.NamedNode(u) for u in req.get("default", [])]
        named = [ox.NamedNode(u) for u in req.get("named", [])]
        result = store.query(
            req["text"],
            use_default_graph_as_union=not defaults,
            default_graph=defaults or None,
            named_graphs=named or None,
        )
        graph = isinstance(result, ox.QueryTriples)
        media = negotiate(
            "graph" if graph else "solutions", req.get("accept", ""), req.get("format")
        )
        if media is None:
            offered = ", ".join(GRAPHS if graph else RESULTS)
            return (
                "406 Not Acceptable",
                "text/plain; charset=utf-8",
                f"offered: {offered}\n".encode(),
            )
        if graph:
            body = ox.serialize(result, format=GRAPHS[media])
        else:
            body = result.serialize(format=RESULTS[media])
    except SyntaxError as exc:
        return "400 Bad Request", "text/plain; charset=utf-8", f"query syntax: {exc}\n".encode()
    except (ValueError, OSError) as exc:
        return "400 Bad Request", "text/plain; charset=utf-8", f"query: {exc}\n".encode()
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return "200 OK", media + charset, body


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="query_worker")
    p.add_argument("store")
    p.add_argument("--write", action="store_true")
    p.add_argument("--memory-mb", type=int, default=0)
    p.add_argument("--no-network", action="store_true", help="forbid IP sockets (seccomp)")
    args = p.parse_args(argv)
    _die_with_parent()
    store = ox.Store(args.store) if args.write else ox.Store.read_only(args.store)
    if args.memory_mb:
        _limit_address_space(args.memory_mb)
    if args.no_network:
        _forbid_network()
    out, inp = sys.stdout.buffer, sys.stdin.buffer
    out.write(b"ready\n")
    out.flush()
    for line in inp:
        try:
            status, media, body = answer(store, json.loads(line))
        except MemoryError:
            return 3
        head = {"status": status, "media": media, "length": len(body)}
        out.write(json.dumps(head).encode() + b"\n")
        out.write(body)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
