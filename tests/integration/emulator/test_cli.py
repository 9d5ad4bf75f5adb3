"""The studio-emulator command line: flags, the announced URL, start-up time and refusals."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import boto3

from hackathon_studio.emulator.process import EmulatorProcess


def test_flags_shape_the_pre_created_domain_and_arns():
    args = ["--region", "eu-west-1", "--account-id", "210987654321", "--host", "127.0.0.1"]
    with EmulatorProcess(time_scale=0.01, domain_id="d-custom0042", extra_args=args) as emu:
        assert emu.url.startswith("http://127.0.0.1:")
        assert int(emu.url.rsplit(":", 1)[1]) > 0  # --port 0 picked a free port
        with urllib.request.urlopen(f"{emu.url}/_emulator/health", timeout=5) as response:
            assert response.status == 200
        kwargs = emu.client_kwargs(region="eu-west-1")
        sagemaker = boto3.client("sagemaker", **kwargs)
        domain = sagemaker.describe_domain(DomainId="d-custom0042")
        assert domain["DomainArn"] == "arn:aws:sagemaker:eu-west-1:210987654321:domain/d-custom0042"
        assert domain["Url"] == "https://d-custom0042.studio.eu-west-1.sagemaker.aws"
        assert [d["domain_id"] for d in emu.state()["domains"]] == ["d-custom0042"]
        assert boto3.client("sts", **kwargs).get_caller_identity()["Account"] == "210987654321"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "hackathon_studio.emulator", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30)


def test_bad_account_id_is_refused():
    result = run_cli("--port", "0", "--account-id", "12")
    assert result.returncode == 2
    assert "--account-id must be 12 digits" in result.stderr
    assert result.stdout == ""


def test_negative_time_scale_is_refused():
    result = run_cli("--port", "0", "--time-scale", "-1")
    assert result.returncode == 2
    assert "--time-scale must be >= 0" in result.stderr


def test_unknown_profile_is_refused():
    result = run_cli("--port", "0", "--profile", "strict")
    assert result.returncode == 2
    assert "invalid choice: 'strict'" in result.stderr
    assert result.stdout == ""


def test_port_in_use_is_refused(emulator):
    port = emulator.url.rsplit(":", 1)[1]
    result = run_cli("--port", port)
    assert result.returncode != 0
    assert not result.stdout.startswith("http")
