"""What the Python harnesses share: the crash, two-server and fuzz tests (Tests/Crash, Tests/Cluster, Tests/Fuzz) and
the load benchmark (Benchmarks/bench.py). Each puts this folder on its import path.

- `fail` notes a failed check and goes on, so that one run reports every failure it finds; `failures` holds them.
- `free_port` is a port on 127.0.0.1 nothing listens on (the tests use no other network).
- `serve` starts `kvota serve` and waits until /healthz answers.
- `Store` reads the database directly: SQLite read-only through Python, PostgreSQL through psql.
- `kvota` runs a subcommand on the test's database, `demo_company` makes the demo company at scale S on it, and
  `set_passwords` lets the people a test picked from the demo sign in.
"""
import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kvota(binary, database, *arguments, log, password=None):
    """`kvota ARGUMENTS` on `database`, its output appended to the file `log`. A failure ends the test with the log's
    last lines: the test command's output is read from its end."""
    with open(log, "a") as output:
        done = subprocess.run([binary, *arguments, "--database", database, "--log-level", "warning"], input=password, text=True,
                              stdout=output, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        with open(log) as output:
            sys.exit(f"kvota {arguments[0]} failed (status {done.returncode}):\n" + "".join(output.readlines()[-30:]))


def demo_company(binary, database, log):
    """The demo company at scale S on an empty database: some ten seconds in a debug build."""
    kvota(binary, database, "demo", "--scale", "S", log=log)


def set_passwords(binary, database, emails, password, log):
    """The demo's people have no password; these get `password`."""
    for email in emails:
        kvota(binary, database, "user", "set-password", email, "--password-stdin", log=log, password=password)


class ServerDidNotStart(Exception):
    pass


def serve(binary, database, log=None, environment=None, arguments=(), log_level="notice", patience=60):
    """`kvota serve` on a free port, its output to `log` (a file; None: this process's). Answers the process, its port
    and the seconds it took to answer /healthz; raises ServerDidNotStart when it stops first or stays silent for
    `patience` seconds (the demo at S takes some ten of them to load in a debug build)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([binary, "serve", "--port", str(port), "--database", database, "--log-level", log_level, *arguments],
                               env=dict(os.environ, **(environment or {})), stdout=log, stderr=subprocess.STDOUT if log else None)
    while time.perf_counter() - started < patience:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process, port, time.perf_counter() - started
        except OSError:
            pass
        if process.poll() is not None:
            raise ServerDidNotStart(f"kvota serve stopped (status {process.returncode}) before it answered")
        time.sleep(0.02)
    process.kill()
    process.wait()
    raise ServerDidNotStart(f"kvota serve did not answer in {patience} s")


class Store:
    """The database itself, read while the server is down or beside it."""

    def __init__(self, url):
        self.url = url
        self.sqlite = url[len("sqlite:"):] if url.startswith("sqlite:") else None

    def rows(self, sql):
        """Tuples of the values; psql's are text, and an empty one (NULL) is None as in SQLite's."""
        if self.sqlite:
            connection = sqlite3.connect(f"file:{self.sqlite}?mode=ro", uri=True, timeout=30)
            try:
                return [tuple(row) for row in connection.execute(sql)]
            finally:
                connection.close()
        out = subprocess.run(["psql", self.url, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(None if value == "" else value for value in line.split("\t")) for line in out.splitlines() if line]

    def value(self, sql):
        rows = self.rows(sql)
        return rows[0][0] if rows else None

    def size(self):
        """Bytes on disk: SQLite's file and its write-ahead log, or PostgreSQL's database."""
        if self.sqlite:
            return sum(os.path.getsize(self.sqlite + suffix) for suffix in ("", "-wal") if os.path.exists(self.sqlite + suffix))
        return int(self.value("SELECT pg_database_size(current_database())"))

    def soundness(self):
        """The engine's own checks of the file or the tables: a list of problems, empty when sound."""
        if self.sqlite:
            problems = [row[0] for row in self.rows("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [f"foreign key: {row}" for row in self.rows("PRAGMA foreign_key_check")]
            return problems
        # --install-missing adds the amcheck extension the first time; heap and B-tree checks of every relation.
        done = subprocess.run(["pg_amcheck", "--install-missing", "--heapallindexed", self.url], capture_output=True, text=True)
        return [] if done.returncode == 0 else [line for line in (done.stdout + done.stderr).splitlines() if line][:10]
