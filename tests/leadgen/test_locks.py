"""One run at a time per segment: a lock file (held by the kernel, gone with its process) and,
on PostgreSQL, an advisory lock shared by every machine using the database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from leadgen.locks import AlreadyRunning, segment_lock


@pytest.fixture(autouse=True)
def jobs(tmp_path, monkeypatch):
    monkeypatch.setenv("LEADGEN_JOBS_DIR", str(tmp_path / "jobs"))
    return tmp_path / "jobs"


HOLD = """
import sys, time
from leadgen.locks import segment_lock
with segment_lock(sys.argv[1], command="leadgen refresh"):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(name, env):
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, name], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_of_the_same_segment_is_refused_while_the_first_lives(jobs):
    proc = _holder("construction-ru-crm", os.environ.copy())
    try:
        with pytest.raises(AlreadyRunning) as err:
            with segment_lock("construction-ru-crm"):
                pytest.fail("the lock was given twice")
        message = str(err.value)
        assert f"pid {proc.pid}" in message and "leadgen refresh" in message
        with segment_lock("another-segment"):  # other segments are free
            pass
    finally:
        proc.send_signal(signal.SIGKILL)  # killed, not stopped: no clean-up runs
        proc.wait()
    # the kernel dropped the dead process's lock: the next run goes ahead
    with segment_lock("construction-ru-crm"):
        holder = json.loads((jobs / "construction-ru-crm.lock").read_text())
        assert holder["pid"] == os.getpid() and holder["started"] <= time.time()


def test_the_lock_is_free_again_after_the_block_even_after_an_error():
    with pytest.raises(RuntimeError, match="boom"):
        with segment_lock("s"):
            raise RuntimeError("boom")
    with segment_lock("s"):
        with pytest.raises(AlreadyRunning):  # not reentrant: a second holder is refused
            with segment_lock("s"):
                pass


def test_odd_segment_names_make_safe_file_names(jobs):
    with segment_lock("../../etc/passwd"):
        assert [p.parent for p in jobs.glob("*.lock")] == [jobs]


def test_postgres_advisory_lock_is_shared_across_machines(postgres_engine, jobs, tmp_path):
    """Two processes with different lock directories (as on two machines) and one database."""
    env = os.environ.copy()
    env["LEADGEN_JOBS_DIR"] = str(tmp_path / "other-machine")
    url = postgres_engine.url.render_as_string(hide_password=False)
    code = HOLD.replace(
        'with segment_lock(sys.argv[1], command="leadgen refresh"):',
        "from storage.db import make_engine\n"
        "with segment_lock(sys.argv[1], make_engine(sys.argv[2], migrate=False)):",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "dach", url], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning, match="advisory lock"):
            with segment_lock("dach", postgres_engine):
                pass
    finally:
        proc.kill()
        proc.wait()
    with segment_lock("dach", postgres_engine):  # the dead session's lock went with it
        pass
