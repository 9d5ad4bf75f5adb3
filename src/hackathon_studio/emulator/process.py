"""Run studio-emulator as a child process and drive its control endpoints (for tests, demo and benchmarks)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request


class EmulatorProcess:
    """``with EmulatorProcess(time_scale=0.01) as emu: emu.url ...``; the process ends with the block.

    ``profile`` None leaves studio-emulator's default (aws)."""

    def __init__(
        self,
        *,
        port: int = 0,
        time_scale: float = 1.0,
        domain_id: str | None = None,
        profile: str | None = None,
        extra_args=(),
    ):
        self.args = [
            sys.executable,
            "-m",
            "hackathon_studio.emulator",
            "--port",
            str(port),
            "--time-scale",
            str(time_scale),
        ]
        if domain_id:
            self.args += ["--domain-id", domain_id]
        if profile:
            self.args += ["--profile", profile]
        self.args += list(extra_args)
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> EmulatorProcess:
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("http"):
            self.process.kill()
            raise RuntimeError(f"studio-emulator did not start: {line!r} {self.process.stderr.read()}")
        self.url = line
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def state(self) -> dict:
        return self._call("GET", "state")

    def calls(self) -> dict:
        return self._call("GET", "calls")

    def ses_messages(self) -> list:
        """The messages SES accepted, oldest first (source, to, subject, text, html, ...)."""
        return self._call("GET", "ses/messages")

    def reset(self) -> dict:
        return self._call("POST", "reset", {})

    def faults(self, **faults) -> dict:
        return self._call("POST", "faults", faults)

    def config(self, **config) -> dict:
        return self._call("POST", "config", config)

    def client_kwargs(self, region: str = "us-east-1") -> dict:
        """What boto3.client() needs to talk to this emulator."""
        return {
            "endpoint_url": self.url,
            "region_name": region,
            "aws_access_key_id": "emulator",
            "aws_secret_access_key": "emulator",
        }
