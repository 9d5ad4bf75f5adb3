"""playbooks/awx.yml without an AWX: syntax check, lint, and every awx.awx module call, as rendered for
two events, checked against the options the installed awx.awx modules declare.

The run replaces the awx.awx collection with modules that only echo their arguments, so that what
each task would send to the controller can be read, item by item, from the JSON callback."""

from __future__ import annotations

import json
import os
import re
import subprocess

import yaml

from tests.integration.packaging.conftest import BIN, ROOT

PLAYBOOK = ROOT / "playbooks" / "awx.yml"
MODULES = ["execution_environment", "project", "credential", "inventory", "host", "job_template", "schedule"]
ECHO = """#!/usr/bin/python
# WANT_JSON
import json, sys
with open(sys.argv[1]) as args:
    print(json.dumps({"changed": False, "module": MODULE, "echo": json.load(args)}))
"""
EVENTS = {
    "awx_project_url": "https://git.example.org/organizers/hackathon.studio.git",
    "awx_events": [
        {
            "name": "spring-2026",
            "region": "eu-west-1",
            "domains": [
                {"host": "eu-1", "domain_id": "d-abc123def456"},
                {"host": "eu-2", "domain_id": "d-abc123def457"},
            ],
            "roster": "rosters/spring.csv",
        },
        {
            "name": "autumn-2026",
            "region": "us-east-1",
            "domains": [{"host": "us-1", "domain_id": "d-abc123def458"}],
        },
    ],
    "awx_credentials": {
        "spring-2026": {"access_key": "AKIAEXAMPLE000000001", "secret_key": "not-a-real-secret-0001"},
        "autumn-2026": {"access_key": "AKIAEXAMPLE000000002", "secret_key": "not-a-real-secret-0002"},
    },
}
TYPES = {"str": str, "path": str, "bool": bool, "int": int, "float": (int, float), "list": list, "dict": dict}
# The variables a survey may set: the playbooks' public variables and their selections.
PUBLIC = set(yaml.safe_load((ROOT / "roles" / "studio" / "defaults" / "main.yml").read_text())) | {"team", "email"}


def documented_options() -> dict:
    """module -> its options (aliases included) as the installed awx.awx declares them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_COLLECTIONS_PATH")}
    names = [f"awx.awx.{module}" for module in MODULES]
    doc = subprocess.run([str(BIN / "ansible-doc"), "--json", *names], env=env, capture_output=True, text=True)
    assert doc.returncode == 0, doc.stderr
    options = {}
    for name, found in json.loads(doc.stdout).items():
        declared = found["doc"]["options"]
        aliases = {alias: spec for spec in declared.values() for alias in spec.get("aliases") or []}
        options[name.rsplit(".", 1)[1]] = {**declared, **aliases}
    return options


def rendered_calls(tmp_path) -> tuple[list, str]:
    """(module, arguments) of every awx.awx call awx.yml makes for EVENTS, item by item (those of
    no_log tasks are censored), and the run's output."""
    modules = tmp_path / "collections" / "ansible_collections" / "awx" / "awx" / "plugins" / "modules"
    modules.mkdir(parents=True)
    for module in MODULES:
        (modules / f"{module}.py").write_text(ECHO.replace("MODULE", repr(module)))
    events = tmp_path / "events.yml"
    events.write_text(yaml.safe_dump(EVENTS))
    env = dict(
        os.environ,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_COLLECTIONS_PATH=f"{tmp_path / 'collections'}:{ROOT / 'collections'}",
        ANSIBLE_STDOUT_CALLBACK="ansible.posix.json",
    )
    command = [
        str(BIN / "ansible-playbook"),
        str(PLAYBOOK),
        "-e",
        f"@{events}",
        "-e",
        "ansible_python_interpreter=python3",
    ]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    calls = []
    for task in json.loads(run.stdout)["plays"][0]["tasks"]:
        result = task["hosts"]["localhost"]
        for item in result.get("results", [result]):
            if "echo" in item:
                calls.append((item["module"], item["echo"]))
    return calls, run.stdout


def credential_task() -> dict:
    """The credential task's arguments as written (its run is no_log, so its rendered ones are not shown)."""
    tasks = yaml.safe_load(PLAYBOOK.read_text())[0]["tasks"]
    (task,) = [task for task in tasks if "awx.awx.credential" in task]
    return task


def check_arguments(module: str, arguments: dict, options: dict) -> list:
    problems = []
    for key, value in arguments.items():
        if key.startswith("_ansible"):
            continue
        spec = options.get(key)
        if spec is None:
            problems.append(f"{module}: no option {key}")
            continue
        wanted = TYPES.get(spec.get("type", "str"))
        if wanted and not isinstance(value, wanted) or (spec.get("type") == "int" and isinstance(value, bool)):
            problems.append(f"{module}: {key} is {type(value).__name__}, not {spec.get('type')}")
        if spec.get("choices") and value not in spec["choices"]:
            problems.append(f"{module}: {key}={value!r} is not one of {spec['choices']}")
    return problems


def test_the_awx_playbook_passes_syntax_check_and_lint():
    syntax = subprocess.run(
        [str(BIN / "ansible-playbook"), "--syntax-check", str(PLAYBOOK)],
        env=dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg")),
        capture_output=True,
        text=True,
    )
    assert syntax.returncode == 0, syntax.stderr
    lint = subprocess.run([str(BIN / "ansible-lint"), str(PLAYBOOK)], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_every_awx_call_fits_the_installed_modules(tmp_path):
    options = documented_options()
    calls, output = rendered_calls(tmp_path)
    problems = [
        problem for module, arguments in calls for problem in check_arguments(module, arguments, options[module])
    ]
    assert not problems
    by_module = {}
    for module, arguments in calls:
        by_module.setdefault(module, []).append(arguments)
    credential = credential_task()
    assert credential["no_log"] and not [k for k in credential["awx.awx.credential"] if k not in options["credential"]]
    assert credential["awx.awx.credential"]["credential_type"] == "Amazon Web Services"  # keys as AWS_* variables
    assert set(credential["awx.awx.credential"]["inputs"]) == {"username", "password"}
    assert "not-a-real-secret" not in output and "AKIAEXAMPLE" not in output
    assert len(by_module["inventory"]) == 2 and len(by_module["host"]) == 3
    templates = {t["name"]: t for t in by_module["job_template"]}
    steps = ("configure", "setup", "urls", "status", "checklist", "reap", "teardown")
    for event in ("spring-2026", "autumn-2026"):
        assert {f"{event} {step}" for step in steps} < set(templates)
    assert templates["spring-2026 setup"]["forks"] == 2  # the event's domains at once
    assert templates["spring-2026 stop apps"]["job_tags"] == "apps"
    assert {s["unified_job_template"] for s in by_module["schedule"]} == {
        "spring-2026 stop apps",
        "autumn-2026 stop apps",
    }
    asked = {q["variable"] for t in templates.values() if t["survey_enabled"] for q in t["survey_spec"]["spec"]}
    assert {"studio_event", "users", "studio_start_apps", "team", "email", "studio_delete_registry"} <= asked
    assert all(re.fullmatch(r"[a-z_]+", name) for name in asked) and asked <= PUBLIC  # reach the playbooks
    setup = {q["variable"]: q for q in templates["spring-2026 setup"]["survey_spec"]["spec"]}
    assert setup["studio_event"]["default"] == "spring-2026" and setup["users"]["default"] == "rosters/spring.csv"
