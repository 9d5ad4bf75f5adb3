"""Secrets never show: vaulted keys, the vault password and presigned URLs, in any playbook's output.

docs/RELIABILITY.md, "secrets". Every playbook runs with real ansible-playbook against a live emulator
that accepts only the vaulted keys (so each run that gets through proves the vault's keys signed it),
at verbosity 0 and at -vvvv, on the happy path and on the failing ones, where error messages and
tracebacks are shown. tests/integration/playbooks/test_vault.py has the first cut of this (setup and
urls at -vvvv); the ``studio`` command's share is in tests/cli/test_secrets.py.

Also here: the URL and status files are 0600 whatever the umask, from their creation on (watched
inside the module's own process), and every credential-like module option is ``no_log`` in the
argument spec the module really builds.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import boto3
import pytest

from tests.integration.playbooks.conftest import ROOT
from tests.integration.playbooks.test_vault import CENSORED, vaulted

ROSTER = "ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n"
# A presigned URL's bearer part: AWS's SigV4 query (X-Amz-Signature, X-Amz-Credential, ...) or Studio's token.
TOKEN_QUERY = re.compile(r"[?&#;](?:token|authToken|X-Amz-[A-Za-z-]+)=", re.IGNORECASE)
# -vvvv with tracebacks on (ansible-core 2.19 shows none by default): all Ansible can show.
VERBOSITY = {"v0": ([], {}), "vvvv": (["-vvvv"], {"ANSIBLE_DISPLAY_TRACEBACK": "always"})}


def url_secrets(urls) -> dict:
    """name -> value for every URL and every long value in its query (the token itself)."""
    found = {}
    for n, url in enumerate(urls):
        found[f"presigned URL {n}"] = url
        for key, value in parse_qsl(urlsplit(url).query):
            if len(value) >= 16:
                found[f"{key} of URL {n}"] = value
    return found


def leaks(text: str, secrets: dict) -> list:
    """The names of the secrets ``text`` shows."""
    shown = [name for name, value in secrets.items() if value and value in text]
    if TOKEN_QUERY.search(text):
        shown.append(f"a presigned URL query ({TOKEN_QUERY.search(text).group()})")
    return shown


def read_urls(path: Path) -> list:
    rows = list(csv.DictReader(path.open()))
    assert rows and all(TOKEN_QUERY.search(row["url"]) for row in rows), rows  # the file does hold bearer URLs
    return rows


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def vault_keys(emulator) -> dict:
    """The vaulted values, with the emulator accepting only the vaulted key pair from now on."""
    values = vaulted()
    assert all(values.values())
    emulator.config(credentials={values["vault_studio_aws_access_key"]: values["vault_studio_aws_secret_key"]})
    return values


def test_the_leak_check_sees_a_leak(run_playbook, inventory, tmp_path):
    """The check below is not blind: a task that prints the vaulted key is caught, at verbosity 0."""
    playbook = tmp_path / "leaky.yml"
    playbook.write_text(
        textwrap.dedent(f"""\
        - hosts: all
          gather_facts: false
          vars_files: [{ROOT / "inventories" / "emulator" / "group_vars" / "all" / "vault.yml"}]
          tasks:
            - ansible.builtin.debug:
                msg: "{{{{ vault_studio_aws_secret_key }}}} https://x.example/auth?token=abc"
        """)
    )
    run = run_playbook(str(playbook), inventory, json_output=False)
    assert run.rc == 0, run.stdout + run.stderr
    assert leaks(run.stdout, {"secret key": vaulted()["vault_studio_aws_secret_key"]}) == [
        "secret key",
        "a presigned URL query (?token=)",
    ]


@pytest.mark.parametrize("verbosity", VERBOSITY, ids=list(VERBOSITY))
def test_no_secret_in_any_playbook_output(
    run_playbook, inventory, emulator, vault_keys, tmp_path, monkeypatch, verbosity
):
    """configure, setup (an app fails), urls (all, then with one profile gone), status
    (then with a refused signature), teardown: no vaulted value and no URL in stdout or stderr."""
    args, environment = VERBOSITY[verbosity]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    outputs = {}

    def step(name, playbook, ok=True, **extra):
        run = run_playbook(playbook, inventory, json_output=False, args=args, users=str(roster), **extra)
        assert (run.rc == 0) is ok, f"{name}: rc {run.rc}\n{run.stdout}\n{run.stderr}"
        outputs[name] = run.stdout + run.stderr
        if args:  # a module invocation shows the keys censored: they reached the modules
            assert CENSORED in outputs[name], name
        return outputs[name]

    step("configure", "configure.yml")
    emulator.faults(fail_next_apps=1)
    shown = step("setup, an app fails", "setup.yml", ok=False, studio_start_apps=True)
    assert "1 of 2 failed" in shown  # the rest is set up: the URLs can be handed out
    step("urls", "urls.yml")
    rows = read_urls(tmp_path / "urls.csv")
    assert len(rows) == 3 and mode(tmp_path / "urls.csv") == 0o600

    # One participant's profile is gone: their URL fails, the others are written; the failure is shown.
    gone = rows[0]["user_profile"]
    keys = {
        "aws_access_key_id": vault_keys["vault_studio_aws_access_key"],
        "aws_secret_access_key": vault_keys["vault_studio_aws_secret_key"],
    }
    sagemaker = boto3.client("sagemaker", endpoint_url=emulator.url, region_name="us-east-1", **keys)
    sagemaker.delete_user_profile(DomainId="d-hackathon0001", UserProfileName=gone)
    partial = tmp_path / "urls-partial.csv"
    shown = step("urls, a profile gone", "urls.yml", ok=False, studio_urls_file=str(partial))
    assert "1 of 3 URLs could not be created" in shown and gone in shown
    rows += read_urls(partial)
    assert len(rows) == 5 and mode(partial) == 0o600

    step("status", "status.yml")
    # The emulator knows the access key but not this secret: every call is refused (error and traceback shown).
    emulator.config(credentials={vault_keys["vault_studio_aws_access_key"]: "another-secret-key"})
    shown = step("status, signature refused", "status.yml", ok=False)
    assert "InvalidSignatureException" in shown or "signature we calculated does not match" in shown
    if args:
        assert "Traceback" in shown  # the failing module's exception
    emulator.config(credentials={vault_keys["vault_studio_aws_access_key"]: vault_keys["vault_studio_aws_secret_key"]})
    step("teardown", "teardown.yml")

    secrets = {
        "vaulted secret key": vault_keys["vault_studio_aws_secret_key"],
        "vaulted access key": vault_keys["vault_studio_aws_access_key"],
        "vault password": vault_keys["vault password"],
        **url_secrets(row["url"] for row in rows),
    }
    found = {name: leaks(text, secrets) for name, text in outputs.items()}
    assert not any(found.values()), found


# ----- files: 0600 whatever the umask, and from their first byte ---------------------------------------
# Loaded by every Python process of the run (ansible-playbook and each module's AnsiballZ process, which
# inherit PYTHONPATH): records how each file under the watched directory is opened for writing, chmod-ed
# or renamed, from inside the module that writes it.
WATCH = """\
import json
import os
import sys

_DIR = os.environ.get("SECRETS_TEST_WATCH_DIR")
_LOG = os.environ.get("SECRETS_TEST_WATCH_LOG")
if _DIR and _LOG:
    _real_open = os.open
    _WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def _inside(path):
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(_DIR + os.sep)
        except TypeError:  # a file descriptor
            return False

    def _record(**entry):
        fd = _real_open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps(dict(entry, pid=os.getpid())) + "\\n").encode())
        finally:
            os.close(fd)

    def _open(path, flags, mode=0o777, *, dir_fd=None):
        if _inside(path) and flags & _WRITING:
            _record(call="os.open", path=os.fsdecode(path), flags=flags, mode=mode)
        return _real_open(path, flags, mode, dir_fd=dir_fd)

    def _audit(event, args):
        if event == "open" and args[1] is not None and _inside(args[0]) and set(str(args[1])) & set("wax+"):
            _record(call="open", path=os.fsdecode(args[0]), mode=str(args[1]))
        elif event == "os.chmod" and _inside(args[0]):
            _record(call="os.chmod", path=os.fsdecode(args[0]), mode=args[1])
        elif event == "os.rename" and (_inside(args[0]) or _inside(args[1])):
            _record(call="os.rename", path=os.fsdecode(args[1]), source=os.fsdecode(args[0]))

    os.open = _open
    sys.addaudithook(_audit)
"""


@pytest.fixture
def watched(tmp_path, monkeypatch):
    """(directory, log): the directory whose file creations every process of the run records."""
    hooks, directory, log = tmp_path / "hooks", tmp_path / "out", tmp_path / "watch.log"
    hooks.mkdir()
    directory.mkdir()
    (hooks / "sitecustomize.py").write_text(WATCH)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("SECRETS_TEST_WATCH_DIR", str(directory))
    monkeypatch.setenv("SECRETS_TEST_WATCH_LOG", str(log))
    return directory, log


@pytest.fixture
def open_umask():
    """umask 000 for this process and the ansible-playbook it starts: files would be 0666 if created naively."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_url_and_status_files_are_0600_from_creation_whatever_the_umask(
    run_playbook, inventory, emulator, vault_keys, tmp_path, watched, open_umask
):
    directory, log = watched
    roster = tmp_path / "users.csv"
    roster.write_text(ROSTER)
    urls_csv, urls_json, status_csv = directory / "urls.csv", directory / "urls.json", directory / "status.csv"
    for stale in (urls_csv, status_csv):  # earlier files, readable by all: replaced by private ones
        stale.write_text("stale\n")
        os.chmod(stale, 0o644)
    cost_html = directory / "cost.html"
    files = {
        "studio_urls_file": str(urls_csv),
        "studio_status_file": str(status_csv),
        "studio_cost_report_file": str(cost_html),
    }
    output = ""
    for playbook, extra in (
        ("setup.yml", {}),
        ("urls.yml", {}),
        ("urls.yml", {"studio_urls_file": str(urls_json)}),
        ("status.yml", {}),
    ):
        run = run_playbook(playbook, inventory, users=str(roster), **{**files, **extra})  # the JSON callback
        assert run.rc == 0, run.stdout + run.stderr
        output += run.stdout + run.stderr

    urls = [row["url"] for row in read_urls(urls_csv)] + [row["url"] for row in json.loads(urls_json.read_text())]
    assert len(urls) == 6
    # The JSON callback prints every task's whole result: no secret in that either.
    secrets = {**vault_keys, **url_secrets(urls)}
    assert CENSORED in output and not leaks(output, secrets), leaks(output, secrets)
    assert status_csv.read_text().startswith("space,team,")
    assert {p.name: mode(p) for p in directory.iterdir()} == {
        "urls.csv": 0o600,
        "urls.json": 0o600,
        "status.csv": 0o600,
        "cost.html": 0o600,
    }

    # How each file came to be, seen inside the module processes: created exclusively with mode 0600
    # (the umask takes nothing away), never opened with a mode string (0666 here), never widened
    # by chmod, and only ever put in place by renaming such a file over the destination.
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    created = {e["path"]: e for e in entries if e["call"] == "os.open" and e["flags"] & os.O_CREAT}
    renames = [e for e in entries if e["call"] == "os.rename"]
    assert sorted(e["path"] for e in renames) == sorted(map(str, (urls_csv, urls_json, status_csv, cost_html)))
    problems = [e for e in entries if e["call"] == "open"]
    problems += [e for e in created.values() if e["mode"] != 0o600 or not e["flags"] & os.O_EXCL]
    problems += [e for e in entries if e["call"] == "os.chmod" and e["mode"] & 0o077]
    problems += [e for e in entries if e["call"] == "os.open" and not e["flags"] & os.O_CREAT]  # an existing file
    problems += [e for e in renames if e["source"] not in created]
    assert not problems, problems


# ----- no_log on every credential-like module option ----------------------------------------------------
# Run in its own Python (as Ansible runs a module): each module's main() builds its argument spec and
# hands it to AnsibleModule (amazon.aws's AnsibleAWSModule merges its common options in first); the
# constructor is replaced by one that reports the spec and stops.
SPEC_PROBE = """\
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
from ansible.module_utils import basic

class Built(Exception):
    pass

def capture(self, argument_spec, **kwargs):
    raise Built(argument_spec)

basic.AnsibleModule.__init__ = capture
specs = {}
for name in sys.argv[2:]:
    module = importlib.import_module("ansible_collections.hackathon.studio.plugins.modules." + name)
    try:
        module.main()
    except Built as built:
        specs[name] = built.args[0]
print(json.dumps(specs, default=repr))
"""
CREDENTIAL_WORDS = {
    "key",
    "secret",
    "token",
    "password",
    "passwd",
    "passphrase",
    "session",
    "credential",
    "credentials",
}
# Names with a credential word that are not credentials, and why.
NOT_SECRET = {
    "session_duration": "how long the Studio session a presigned URL opens lasts (seconds)",
}
# Every module that runs as a module: an action plugin's documentation (plugins/action) has no main().
ACTION_ONLY = {p.stem for p in (ROOT / "plugins" / "action").glob("*.py")}
MODULES = sorted(
    p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__" and p.stem not in ACTION_ONLY
)


def credential_like(name: str) -> bool:
    """A credential word in the name, alone (``access_key``) or at the end of a word (``apikey``)."""
    words = [word for word in re.split(r"[^a-z0-9]+", name.lower()) if word]
    return name not in NOT_SECRET and any(
        word in CREDENTIAL_WORDS or word.endswith(("key", "token", "secret", "password", "passwd")) for word in words
    )


def options(spec: dict, prefix: str = ""):
    """(dotted name, option) for every option and sub-option."""
    for name, option in spec.items():
        yield prefix + name, option
        if option.get("options"):
            yield from options(option["options"], f"{prefix}{name}.")


def credential_options(spec: dict) -> dict:
    """dotted name -> option, for the options whose name or an alias is credential-like."""
    return {
        name: option
        for name, option in options(spec)
        if any(credential_like(n) for n in [name.rsplit(".", 1)[-1], *option.get("aliases", [])])
    }


def without_no_log(spec: dict) -> list:
    return sorted(name for name, option in credential_options(spec).items() if option.get("no_log") is not True)


@pytest.fixture(scope="module")
def runtime_specs() -> dict:
    probe = subprocess.run(
        [sys.executable, "-c", SPEC_PROBE, str(ROOT / "collections"), *MODULES],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout)


def test_credential_word_list_tells_secrets_apart():
    assert all(
        credential_like(n)
        for n in ("access_key", "aws_secret_key", "session_token", "vault_password", "apikey", "authToken")
    )
    assert not any(credential_like(n) for n in ("purge_tags", "known", "session_duration", "keyword", "tags"))


def test_the_no_log_check_flags_amazon_aws_access_key():
    """amazon.aws's own access_key is not no_log (a key id is not secret to AWS); ours must override it."""
    from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

    assert without_no_log(aws_argument_spec()) == ["access_key"]


@pytest.mark.parametrize("module", MODULES)
def test_credential_options_are_no_log(runtime_specs, module):
    assert module in runtime_specs, f"{module}.main() never built an AnsibleModule"
    spec = runtime_specs[module]
    if "region" in spec:  # an AWS module: amazon.aws's keys and token are there, so the check has teeth
        assert {"access_key", "secret_key", "session_token"} <= set(credential_options(spec))
    missing = without_no_log(spec)
    assert not missing, f"{module}: credential-like options without no_log=True: {missing}"
