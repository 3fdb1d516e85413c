"""nginx serving the benchmark's site world as a plain HTTP forward proxy on 127.0.0.1.

A crawl sends ``GET http://firma.ru/kontakty/ HTTP/1.1`` (absolute URI) to the proxy; nginx
takes the host from an absolute request URI before the Host header (RFC 9112 §3.2.2, and
nginx's ``$host``), so one catch-all server with ``root ROOT/$host`` serves every made-up
host from its folder without any DNS.  ``/catalog/?page=N`` maps to ``catalog/page-N.html``.

nginx is used rather than a Python server so that the server takes little of the two cores the
crawl runs on.  One worker process; no access log; keep-alive without a request limit.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONFIG = """\
{user}
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{ text/html html; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/html text/plain application/xml;
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 60s;
    keepalive_requests 1000000;
    open_file_cache max=50000 inactive=120s;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port} default_server;
        server_name _;
        root {root}/$host;
        location = /catalog/ {{
            try_files /catalog/page-$arg_page.html /catalog/index.html =404;
        }}
        location / {{
            try_files $uri $uri/index.html =404;
        }}
    }}
}}
"""


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NginxSites:
    """``with NginxSites(root, workdir) as server: server.proxy_url`` — started and stopped."""

    def __init__(self, root: Path, workdir: Path, *, workers: int = 1) -> None:
        self.root = root.resolve()
        self.workdir = workdir
        self.workers = workers
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> NginxSites:
        binary = find_nginx()
        if binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        # A root master hands requests to workers running as 'nobody' unless told otherwise.
        user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.geteuid() == 0 else ""
        conf = self.workdir / "nginx.conf"
        conf.write_text(
            CONFIG.format(
                user=user, workers=self.workers, prefix=self.workdir, port=self.port, root=self.root
            ),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.workdir),
                "-c",
                str(conf),
                "-e",
                str(self.workdir / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("nginx did not start listening within 10 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
