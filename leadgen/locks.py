"""One run at a time per segment: ``leadgen run`` and ``leadgen refresh`` started by cron or a
systemd timer must not overlap (a slow refresh still going when the next one starts).

``segment_lock(name, engine)`` takes two locks and holds them for the ``with`` block:

- a lock file ``<jobs dir>/<name>.lock`` (``LEADGEN_JOBS_DIR``, default ``.leadgen/jobs``)
  with ``fcntl.flock``: the kernel drops it when the process dies, however it dies, so a
  killed run never leaves a stale lock behind; the file says who holds it (pid, host, start);
- on PostgreSQL also a session advisory lock keyed by the segment's name, so two machines
  sharing one database cannot work on the same segment at once either.

A lock already held raises ``AlreadyRunning`` at once (no waiting: a scheduled run that finds
its predecessor still busy should say so and stop, and its exit code tells the monitoring).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import blake2b
from pathlib import Path
from typing import Any


class AlreadyRunning(RuntimeError):
    """Another process works on this segment now (``holder``: what its lock file says)."""

    def __init__(self, name: str, holder: dict[str, Any] | None, where: str) -> None:
        self.name, self.holder = name, holder or {}
        who = ""
        if self.holder:
            started = self.holder.get("started")
            when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)) if started else "?"
            who = (
                f" (pid {self.holder.get('pid', '?')} on {self.holder.get('host', '?')}, "
                f"{self.holder.get('command', 'a run')}, since {when})"
            )
        super().__init__(f"segment {name!r} is already being worked on{who}; lock: {where}")


def jobs_dir() -> Path:
    return Path(os.environ.get("LEADGEN_JOBS_DIR", ".leadgen/jobs"))


def _safe(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return keep.strip(".") or "segment"


def _advisory_key(name: str) -> int:
    """A signed 64-bit key for ``pg_try_advisory_lock`` from the segment's name."""
    digest = blake2b(f"leadgen-segment:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def segment_lock(name: str, engine: Any = None, *, command: str = "leadgen run") -> Iterator[None]:
    """Hold the segment's lock for the block; ``AlreadyRunning`` when another process has it."""
    directory = jobs_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{_safe(name)}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(name, _holder(fd), str(path)) from None
        me = {"pid": os.getpid(), "host": socket.gethostname(), "command": command}
        me["started"] = time.time()
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode(), 0)
        with _advisory(engine, name):
            yield
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing drops the flock


def _holder(fd: int) -> dict[str, Any] | None:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data) if data else None
    except (OSError, ValueError):
        return None


@contextmanager
def _advisory(engine: Any, name: str) -> Iterator[None]:
    if engine is None or engine.dialect.name != "postgresql":
        yield
        return
    key = _advisory_key(name)
    conn = engine.connect()  # the advisory lock lives as long as this session
    try:
        got = conn.exec_driver_sql("SELECT pg_try_advisory_lock(%s)", (key,)).scalar()
        conn.commit()
        if not got:
            raise AlreadyRunning(name, None, "PostgreSQL advisory lock: another machine?")
        try:
            yield
        finally:
            conn.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (key,))
            conn.commit()
    finally:
        conn.close()
