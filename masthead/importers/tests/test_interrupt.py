"""Ctrl+C during an import: one line saying what was kept and how to finish, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from masthead.core.tests.test_configuration import SOURCE
from masthead.importers.tests.test_security import HEAD

POST = (
    "<item><title>Story {n}</title><wp:post_id>{n}</wp:post_id><wp:post_name>story-{n}"
    "</wp:post_name><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
    "<wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>"
    "<content:encoded>&lt;p&gt;Harbour news number {n}.&lt;/p&gt;</content:encoded></item>"
)


def test_ctrl_c_during_an_import(tmp_path):
    export = tmp_path / "big.xml"
    export.write_text(
        HEAD + "".join(POST.format(n=n) for n in range(1, 20001)) + "</channel></rss>"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(MASTHEAD_HOME=str(tmp_path), SECRET_KEY="x" * 50, PYTHONPATH=SOURCE)
    masthead = [sys.executable, "-m", "masthead.cli"]
    subprocess.run([*masthead, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    log = tmp_path / "import.log"
    with log.open("wb") as output:
        importing = subprocess.Popen(
            [*masthead, "import", "wordpress", str(export)], env=env, stdout=output, stderr=output
        )
        deadline = time.monotonic() + 60
        while b"Importing" not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.1)
        importing.send_signal(signal.SIGINT)
        importing.wait(timeout=60)
    text = log.read_text()
    assert importing.returncode == 1, text
    assert "Interrupted. What was imported so far is kept" in text
    assert "Traceback" not in text
