"""A throwaway PostgreSQL cluster for the test session.

The server binaries come from ``PG_BIN`` (Debian's postgresql-15 package, as on CI).
PostgreSQL refuses to run as root, so when the tests run as root the cluster is
initialised and started as the ``postgres`` system user (created if missing) via
``runuser``, in a temporary folder that user owns. The server listens on 127.0.0.1 on a
free port, with its socket in that folder, and runs with fsync off: nothing in it has
to survive the session.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SYSTEM_USER = "postgres"


class ClusterError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresCluster:
    """A running cluster; :meth:`start` makes one, :meth:`stop` removes it."""

    def __init__(self, root: Path, port: int, runner: list[str]) -> None:
        self.root = root
        self.port = port
        self._runner = runner

    @property
    def data(self) -> Path:
        return self.root / "data"

    @classmethod
    def start(cls) -> PostgresCluster:
        missing = [n for n in ("initdb", "pg_ctl", "postgres") if not (PG_BIN / n).is_file()]
        if missing:
            raise ClusterError(
                f"PostgreSQL server binaries missing from {PG_BIN} ({', '.join(missing)}): "
                "install postgresql-15 (apt-get install postgresql-15) or deselect these "
                'tests with -m "not postgres"'
            )
        runner: list[str] = []
        root = Path(tempfile.mkdtemp(prefix="tickerwatch-pg-"))
        if os.geteuid() == 0:
            _ensure_system_user()
            runner = ["runuser", "-u", SYSTEM_USER, "--"]
            user = pwd.getpwnam(SYSTEM_USER)
            os.chown(root, user.pw_uid, grp.getgrgid(user.pw_gid).gr_gid)
        cluster = cls(root, _free_port(), runner)
        try:
            cluster._run(
                "initdb",
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            )
            options = " ".join(
                (
                    "-c listen_addresses=127.0.0.1",
                    f"-c port={cluster.port}",
                    f"-c unix_socket_directories={root}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=200",
                )
            )
            cluster._run(
                "pg_ctl", "-D", str(cluster.data), "-l", str(root / "server.log"),
                "-o", options, "-w", "-t", "60", "start",
            )  # fmt: skip
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _run(self, binary: str, *args: str) -> None:
        done = subprocess.run(
            [*self._runner, str(PG_BIN / binary), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ClusterError(f"{binary} failed:\n{done.stdout}\n{done.stderr}\n{tail}")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the ``postgres`` database."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template``, if given); its URL."""
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.admin() as connection:
            connection.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        with self.admin() as connection:
            connection.execute(statement.format(sql.Identifier(name)))

    def stop(self) -> None:
        with contextlib.suppress(ClusterError, subprocess.TimeoutExpired):
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _ensure_system_user() -> None:
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", SYSTEM_USER], check=True, timeout=60)
