"""HTTP load-testing helpers: wrk as the load generator, nginx and gunicorn as servers.

The tools come from Debian (wrk, nginx-light); :func:`ensure_tools` installs them when the
benchmark runs as root and they are missing, and otherwise says what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEBIAN_PACKAGES = {"wrk": "wrk", "nginx": "nginx-light"}


def ensure_tools(*tools: str) -> None:
    missing = [
        tool for tool in tools if not (shutil.which(tool) or Path("/usr/sbin", tool).exists())
    ]
    if not missing:
        return
    packages = [DEBIAN_PACKAGES[tool] for tool in missing]
    if os.geteuid() != 0:
        raise SystemExit(f"Install {' '.join(packages)} (Debian) to run this benchmark.")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int

    def row(self) -> str:
        return f"{self.requests_per_second:,.0f} | {self.p50_ms:.1f} ms | {self.p99_ms:.1f} ms"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 32,
    threads: int = 2,
    script: str | None = None,
    headers: dict[str, str] | None = None,
) -> WrkResult:
    """Run wrk against ``url`` and parse requests/s and latency percentiles."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
            args += ["-s", lua.name]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    return WrkResult(rps, p50, p99, total, errors)


@contextmanager
def nginx_serving(root: Path, *, workers: int = 2):
    """nginx serving ``root`` as static files on a free port; yields the base URL."""
    ensure_tools("nginx")
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    conf = workdir / "nginx.conf"
    conf.write_text(
        textwrap.dedent(
            f"""
            worker_processes {workers};
            pid {workdir}/nginx.pid;
            error_log {workdir}/error.log;
            events {{ worker_connections 1024; }}
            http {{
                access_log off;
                client_body_temp_path {workdir}/body;
                proxy_temp_path {workdir}/proxy;
                fastcgi_temp_path {workdir}/fastcgi;
                uwsgi_temp_path {workdir}/uwsgi;
                scgi_temp_path {workdir}/scgi;
                default_type text/html;
                sendfile on;
                keepalive_timeout 65;
                server {{
                    listen 127.0.0.1:{port};
                    root {root};
                }}
            }}
            """
        )
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"])
    try:
        wait_until_up(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


NGINX_FRONT = """
worker_processes {workers};
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    types {{ text/html html; }}
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    upstream masthead {{ server {upstream}; keepalive 32; }}
{docs}
}}
"""
DEPLOYMENT_DOCS = Path(__file__).resolve().parent.parent / "docs" / "deployment.md"


def docs_page_cache_block(*, port: int, mirror: Path) -> str:
    """The nginx configuration of docs/deployment.md's "Serving cached pages from nginx", as
    written there, listening on ``port`` and serving pages from ``mirror``: what runs here is
    what operators copy."""
    text = DEPLOYMENT_DOCS.read_text()
    section = text[text.index("### Serving cached pages from nginx") :]
    block = section[section.index("```nginx\n") + len("```nginx\n") :]
    block = block[: block.index("```")]
    placeholder = (
        "    # … listen, server_name, ssl and the /static/ and /media/ locations as above …"
    )
    if placeholder not in block or "root /srv/masthead/pagecache;" not in block:
        raise SystemExit("docs/deployment.md's page-cache block changed: update bench/http.py")
    block = block.replace(placeholder, f"    listen 127.0.0.1:{port};")
    return block.replace("root /srv/masthead/pagecache;", f"root {mirror};")


@contextmanager
def nginx_fronting(upstream: str, mirror: Path, *, workers: int = 2):
    """nginx in front of Masthead, answering from the page mirror with the configuration in
    docs/deployment.md; yields its address."""
    ensure_tools("nginx")
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    conf = workdir / "nginx.conf"
    docs = docs_page_cache_block(port=port, mirror=mirror)
    conf.write_text(
        NGINX_FRONT.format(workers=workers, workdir=workdir, upstream=upstream, docs=docs)
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"])
    try:
        wait_until_up(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def masthead_serving(env: dict[str, str], *, workers: int = 4, extra: tuple[str, ...] = ()):
    """``masthead serve`` (gunicorn, no worker) on a free port with ``env``; yields the URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "serve", "--port", str(port), "--workers",
         str(workers), "--no-worker", *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", seconds=90)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
