"""The project's auto-stop (roles/profiles/files/auto_stop.py), run against a fake Jupyter server over
real HTTP: it stops the app only when no kernel is busy and nothing was active for the idle time."""

from __future__ import annotations

import importlib.util
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "roles" / "profiles" / "files" / "auto_stop.py"
spec = importlib.util.spec_from_file_location("auto_stop", SCRIPT)
auto_stop = importlib.util.module_from_spec(spec)
spec.loader.exec_module(auto_stop)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HOUR = 3600


def stamp(minutes_ago: float) -> str:
    """A Jupyter timestamp, as the server writes them (ISO 8601 with a Z)."""
    return (NOW - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.fixture
def jupyter():
    """A Jupyter server's REST API under /jupyterlab/default (Studio's base URL): set ``answers``."""
    answers = {"kernels": [], "terminals": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            name = self.path.rsplit("/", 1)[-1]
            if not self.path.startswith("/jupyterlab/default/api/") or name not in answers:
                self.send_error(404)
                return
            body = json.dumps(answers[name]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/jupyterlab/default", answers
    server.shutdown()


def run_once(url, started_minutes_ago, idle_seconds=HOUR):
    """One check, the app started ``started_minutes_ago``: whether it stopped the app."""
    stopped = []
    clock = iter([(NOW - timedelta(minutes=started_minutes_ago)).timestamp(), NOW.timestamp()])
    result = auto_stop.watch(
        url, idle_seconds, 0, stop=lambda: stopped.append(True), clock=lambda: next(clock), once=True
    )
    assert result == bool(stopped)
    return result


def test_an_open_kernel_idle_for_the_whole_time_is_stopped(jupyter):
    url, answers = jupyter
    answers["kernels"] = [{"id": "k1", "execution_state": "idle", "last_activity": stamp(90), "connections": 1}]
    answers["terminals"] = [{"name": "1", "last_activity": stamp(75)}]
    assert run_once(url, started_minutes_ago=120)


def test_a_busy_kernel_keeps_the_app_however_old_its_activity(jupyter):
    url, answers = jupyter
    answers["kernels"] = [
        {"id": "k1", "execution_state": "idle", "last_activity": stamp(200)},
        {"id": "k2", "execution_state": "busy", "last_activity": stamp(180)},
    ]
    assert not run_once(url, started_minutes_ago=240)
    answers["kernels"][1]["execution_state"] = "starting"
    assert not run_once(url, started_minutes_ago=240)


def test_recent_activity_of_a_kernel_or_a_terminal_keeps_the_app(jupyter):
    url, answers = jupyter
    answers["kernels"] = [{"id": "k1", "execution_state": "idle", "last_activity": stamp(10)}]
    assert not run_once(url, started_minutes_ago=120)
    answers["kernels"] = [{"id": "k1", "execution_state": "idle", "last_activity": stamp(120)}]
    answers["terminals"] = [{"name": "1", "last_activity": stamp(59)}]
    assert not run_once(url, started_minutes_ago=120)


def test_with_nothing_open_the_apps_start_counts(jupyter):
    url, _ = jupyter
    assert not run_once(url, started_minutes_ago=30)
    assert run_once(url, started_minutes_ago=61)


def test_a_server_that_does_not_answer_is_neither_activity_nor_idleness(jupyter):
    url, _ = jupyter
    assert not run_once(url + "/missing", started_minutes_ago=600)


def test_it_stops_its_own_app_named_by_studios_metadata(tmp_path, monkeypatch):
    metadata = tmp_path / "resource-metadata.json"
    metadata.write_text(
        json.dumps(
            {
                "DomainId": "d-1",
                "SpaceName": "team-1",
                "AppType": "JupyterLab",
                "ResourceName": "default",
                "ResourceArn": "arn:aws:sagemaker:eu-west-1:123456789012:app/d-1/team-1/jupyterlab/default",
            }
        )
    )
    deleted = []

    class Client:
        def delete_app(self, **params):
            deleted.append(params)

    class Boto3:
        @staticmethod
        def client(service, region_name):
            assert (service, region_name) == ("sagemaker", "eu-west-1")
            return Client()

    monkeypatch.setitem(__import__("sys").modules, "boto3", Boto3)
    auto_stop.stop_app(str(metadata))
    assert deleted == [{"DomainId": "d-1", "SpaceName": "team-1", "AppType": "JupyterLab", "AppName": "default"}]
