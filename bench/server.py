"""gunicorn on 127.0.0.1 for the benchmark and the load test, and a small HTTP client.

The server runs Claimdesk as production does (DEBUG off, sync workers) on the
benchmark's database, with persistent database connections (`CONN_MAX_AGE`) as a
production deployment sets them. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import REPO, child_environment

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    body: bytes
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)


class Client:
    """One request a connection (gunicorn's sync workers close it after each answer)."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.headers = dict(headers or {})

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        sink=None,
    ) -> Response:
        """Send one request and read the whole answer; with `sink` (a binary file), the
        body is streamed into it instead of kept. `seconds` runs from connecting to the
        last byte."""
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=900)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            answer = connection.getresponse()
            if sink is None:
                data = answer.read()
            else:
                data = b""
                while chunk := answer.read(1 << 16):
                    sink.write(chunk)
            seconds = time.perf_counter() - started
            return Response(answer.status, data, seconds, dict(answer.getheaders()))
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)


class Gunicorn:
    """A gunicorn master with `workers` sync workers, started and stopped by us."""

    def __init__(self, *, workers: int = 4, timeout: int = 900, log: Path | None = None) -> None:
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            str(self.timeout),
            "--log-level",
            "warning",
        ]
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=child_environment(CONN_MAX_AGE="60"),
            stdout=output,
            stderr=output,
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        client = Client(self.port)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}")
            try:
                if client.get("/login/").status == 200 and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(pid) for pid in children.read_text().split()]
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(stat.parent.name))
            except (OSError, ValueError, IndexError):
                continue
        return pids

    def reset_peak_memory(self) -> bool:
        """Reset the workers' peak resident set size (Linux `clear_refs` 5); False when
        the kernel refuses, and peaks then count from each worker's start."""
        done = True
        for pid in self.worker_pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                done = False
        return done

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far. The kernel counts it in
        clock ticks (10 ms), so compare it over many requests, not one."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def peak_memory_mb(self) -> float:
        """The highest peak resident set size among the workers, in MB."""
        peaks = [0.0]
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return max(peaks)
