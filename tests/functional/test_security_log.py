"""The worker's start-up log never shows the SASL password (a real ``parley run`` process).

Moved out of tests/unit because it starts a process; the in-process checks
of the same settings are in tests/unit/test_security.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workers.broker import free_port

SECRET = "s3cr3t-Pa55word-do-not-log"
FILE_SECRET = "another-s3cr3t-from-a-file"


@pytest.mark.parametrize("source", ["env", "file"])
def test_worker_start_up_log_never_shows_the_password(source: str, tmp_path: Path) -> None:
    """The real ``parley run``: its settings print and its broker-retry lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env.update(
        {
            # Nothing listens there: the worker logs its settings, then retries.
            "PARLEY_BROKER": f"127.0.0.1:{free_port()}",
            "PARLEY_WEB_PORT": str(free_port()),
            "PARLEY_WEB_HOST": "127.0.0.1",
            "PARLEY_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "PARLEY_SASL_MECHANISM": "SCRAM-SHA-256",
            "PARLEY_SASL_USERNAME": "parley",
        }
    )
    secret = SECRET if source == "env" else FILE_SECRET
    if source == "env":
        env["PARLEY_SASL_PASSWORD"] = SECRET
    else:
        (tmp_path / "password").write_text(FILE_SECRET)
        env["PARLEY_SASL_PASSWORD_FILE"] = str(tmp_path / "password")
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "run"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "retrying" not in log_path.read_text():
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    output = log_path.read_text()
    assert "starting; broker" in output and "retrying" in output, output
    assert "'sasl_password': '**********'" in output
    assert secret not in output
