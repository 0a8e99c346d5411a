"""A real ``tuopin serve`` (waitress + its worker child) in its own process group, on a database of its own,
driven over HTTP like a browser would (cookies, CSRF token, multipart upload). Used by ``test_worker.py`` and
``bench/worker_import.py``.

SQLite: a file under the given folder (``TUOPIN_VAR_DIR``). PostgreSQL (``TUOPIN_DATABASE_URL`` set): a new
database on the same server, dropped afterwards — so the server and its worker share one database with each
other and with the test, and never touch the developer's own.
"""

import contextlib
import http.client
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "served-pass-2018"


def bench_generator(*, townships: int = 4, villages: int = 25, groups: int = 4):
    """``bench/import_100k.py`` (its file generator), spreading households over a county of the given size."""
    spec = importlib.util.spec_from_file_location("import_100k", ROOT / "bench" / "import_100k.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.TOWNSHIPS, module.VILLAGES, module.GROUPS = townships, villages, groups
    return module


PREPARE = """
from tuopin.accounts.models import Role, User
from tuopin.regions.services import region_create

county = region_create(code="530121", name="嵩明县", kind="county", parent=None)
for t in range({townships}):
    township = region_create(code=f"530121{{t + 1:03d}}", name=f"乡镇{{t + 1}}", kind="town", parent=county)
    for v in range({villages}):
        village = region_create(
            code=f"530121{{t + 1:03d}}{{v + 1:03d}}", name=f"村{{t + 1}}-{{v + 1}}", kind="village_committee",
            parent=township,
        )
        for g in range({groups}):
            region_create(
                code=f"G{{t + 1:02d}}{{v + 1:03d}}{{g + 1:02d}}", name=f"组{{g + 1}}", kind="village_group",
                parent=village,
            )
user = User(username="county", full_name="县级用户", role=Role.COUNTY, region=county)
user.set_password("{password}")
user.save()
"""


@contextmanager
def served_database(
    folder: Path, *, townships: int = 4, villages: int = 25, groups: int = 4
) -> Iterator[dict[str, str]]:
    """Environment for child processes that use a fresh database (migrated, with the bench county of the given
    size and a county user ``county`` / ``PASSWORD``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        TUOPIN_VAR_DIR=str(folder),
        TUOPIN_SECRET_KEY=uuid.uuid4().hex * 2,
        TUOPIN_DEMO_ON_FIRST_START="0",
        TUOPIN_DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    url = env.get("TUOPIN_DATABASE_URL")
    name = f"tuopin_served_{uuid.uuid4().hex[:10]}"
    if url:
        _postgres(url, f'CREATE DATABASE "{name}"')
        env["TUOPIN_DATABASE_URL"] = urlsplit(url)._replace(path=f"/{name}").geturl()
    try:
        run_manage(env, "migrate", "-v", "0")
        code = PREPARE.format(townships=townships, villages=villages, groups=groups, password=PASSWORD)
        run_manage(env, "shell", "-v", "0", "-c", code)
        yield env
    finally:
        if url:
            _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres(url: str, statement: str) -> None:
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    with psycopg.connect(
        dbname="postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    ) as connection:
        connection.execute(statement)


def run_manage(env: dict, *args: str) -> str:
    """``manage.py ARGS`` in a child process with ``env``; its output."""
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """``tuopin serve`` in its own session; ``kill()`` ends it and its worker at once, as a crash would."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.port = env, folder, free_port()
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 180) -> None:
        self.starts += 1
        log = (self.folder / f"serve-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tuopin.cli", "serve", f"127.0.0.1:{self.port}"],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log()}")
            try:
                if Client(self.port).get("/accounts/login/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"serve did not answer in {timeout} s: {self.log()}")

    def log(self) -> str:
        return (self.folder / f"serve-{self.starts}.log").read_text(errors="replace")

    def worker_pid(self) -> int | None:
        """The pid of the worker child of the server (Linux ``/proc``), once it has started."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        return int(pids[0]) if pids else None

    def kill(self) -> None:
        """SIGKILL the server process only, as a crash would; its worker must go with it."""
        worker = wait_for(self.worker_pid, timeout=60, what="the worker child")
        self.process.kill()
        self.process.wait(timeout=30)
        assert isinstance(worker, int)
        wait_for(lambda: not alive(worker), timeout=30, what="the worker to die with the server")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it: the server stops its worker and exits."""
        if self.process is None or self.process.poll() is not None:
            return
        worker = self.worker_pid()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            raise
        if worker is not None and alive(worker):
            raise AssertionError("the worker outlived the server")


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False


class Client:
    """A browser-like HTTP client: keeps cookies, sends the CSRF token, uploads files as multipart."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict | None = None, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(fields or {})}
        if not files:
            body = urlencode(fields).encode()
            return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        for key, (file_name, content) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{file_name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.get("/accounts/login/")
        status = self.post("/accounts/login/", {"username": username, "password": password})[0]
        if status != 302:
            raise RuntimeError(f"login failed ({status})")


def wait_for(check: Callable[[], object], *, timeout: float, every: float = 0.2, what: str = "") -> object:
    """Call ``check`` until it returns something true; its value. Fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
