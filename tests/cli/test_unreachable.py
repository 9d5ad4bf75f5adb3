"""An endpoint that does not answer, told from the failing module's ``error_code``, not from its message."""

from __future__ import annotations

from hackathon_studio.cli import commands, project

HINT = "The default inventory is the local emulator: start it with `make emulator`."


def test_default_inventory_without_its_emulator_says_how_to_start_it(
    make_inventory, monkeypatch, capsys, tmp_path, artifacts
):
    nowhere = make_inventory("nowhere", "http://127.0.0.1:1")  # a closed port: connection refused
    monkeypatch.setattr(project, "DEFAULT_INVENTORY", nowhere)
    monkeypatch.setenv("STUDIO_ARTIFACTS_DIR", str(artifacts))
    monkeypatch.chdir(tmp_path)

    session = commands.Session()
    code, outcome, _run = session.play(session.job("status", "status.yml"))
    assert code == 2
    [failed] = outcome.failed_tasks()
    assert failed.res["error_code"] == "EndpointConnectionError"  # botocore's class, as fail_aws names it
    assert HINT in capsys.readouterr().out

    other = commands.Session(inventory=str(make_inventory("elsewhere", "http://127.0.0.1:1")))
    assert other.play(other.job("status", "status.yml"))[0] == 2
    assert HINT not in capsys.readouterr().out  # only the default inventory is the emulator's
