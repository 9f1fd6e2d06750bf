"""What the reliability scripts share (Debian's /usr/bin/python3, standard library only).

The `lajna` binary they drive, a demo data directory built once and copied per trial, a free
port, a server started and stopped by its process id, signing in through the JSON API and the
plain commands (`verify`, `log`, `backup`, `restore`) whose exit codes and printed lines the
scripts check. Nothing here knows Lajna's internals: only its command line and its HTTP API.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The demo users' password for every directory these scripts build (the policy wants 12+
# characters, not a common password).
PASSWORD = "reliability-password-0123456789"


def lajna_bin():
    """The binary under test: $LAJNA_BIN, else the debug build `scripts/test` makes."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    path = os.environ.get("LAJNA_BIN", os.path.join(target, "debug", "lajna"))
    if not os.access(path, os.X_OK):
        sys.exit(f"no lajna binary at {path}: `cargo build -p lajna-cli` first, or set LAJNA_BIN")
    return path


def env():
    """The environment of every `lajna` process: the known demo password, quiet logs."""
    e = dict(os.environ)
    e["LAJNA_DEMO_PASSWORD"] = PASSWORD
    e.setdefault("RUST_LOG", "warn")
    return e


def run(args, check=True, timeout=600):
    """Runs `lajna ARGS`; returns (exit code, stdout + stderr). `check` raises on a non-zero exit."""
    p = subprocess.run([lajna_bin(), *args], env=env(), capture_output=True, text=True, timeout=timeout)
    out = p.stdout + p.stderr
    if check and p.returncode != 0:
        raise RuntimeError(f"lajna {' '.join(args)} exited {p.returncode}:\n{out}")
    return p.returncode, out


def demo(path, extra_actions=0):
    """Builds the one-node demo in `path` (not served); returns what `lajna demo` printed."""
    args = ["demo", "--data", path, "--no-serve"]
    if extra_actions:
        args += ["--extra-actions", str(extra_actions)]
    return run(args)[1]


def copy_dir(src, dst):
    """A copy of a data directory that no process holds (keys keep their 0600 mode)."""
    shutil.copytree(src, dst, symlinks=True)


def free_port():
    """A TCP port free on loopback now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`lajna serve --data DIR` on a free loopback port, its output in DIR/../serve-N.log."""

    def __init__(self, data, log_path):
        self.data = data
        self.port = free_port()
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [lajna_bin(), "serve", "--data", data, "--listen", f"127.0.0.1:{self.port}"],
            env=env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    @property
    def pid(self):
        return self.proc.pid

    def wait_ready(self, timeout=120):
        """Waits until `/readyz` answers 200 (the store answered a read)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"lajna serve exited {self.proc.returncode} before it was ready")
            try:
                status, _, _ = request(self.port, "GET", "/readyz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("lajna serve not ready in time")

    def kill9(self):
        """SIGKILL, as a power cut would stop it: no shutdown code runs."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        """SIGTERM and wait (graceful shutdown)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def rss_kib(self):
        """The server's resident set (VmRSS of /proc/PID/status), KiB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def request(port, method, path, body=None, headers=None, timeout=30, conn=None):
    """One HTTP request; returns (status, headers, body bytes). `conn` reuses a connection."""
    own = conn is None
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["content-type"] = "application/json"
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        return r.status, r.headers, r.read()
    finally:
        if own:
            c.close()


class Session:
    """A signed-in API user: the session cookie and the CSRF token every write carries."""

    def __init__(self, port, username):
        status, headers, body = request(port, "POST", "/api/v1/login", {"username": username, "password": PASSWORD})
        if status != 200:
            raise RuntimeError(f"sign-in of {username}: HTTP {status} {body[:300]!r}")
        self.csrf = json.loads(body)["csrf_token"]
        cookie = headers.get("set-cookie", "")
        self.cookie = cookie.split(";", 1)[0]
        self.port = port
        self.username = username

    def headers(self, write=False):
        h = {"cookie": self.cookie}
        if write:
            h["x-csrf-token"] = self.csrf
        return h


def log_text(data):
    """Every event envelope of `data` (shared and the node's own log), one JSON line each."""
    return run(["log", "--full", "--limit", "1000000000", "--data", data])[1]


def verify(data):
    """`lajna verify`: (exit code, output)."""
    return run(["verify", "--data", data], check=False)


def stop_process(proc):
    """Ends a child process this script started (by its id) and waits for it."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
