"""The one way the ``studio`` command runs Ansible: a playbook of the checkout through ansible-runner.

- The runner's private data lives in a fresh temporary directory, removed after a successful run
  and kept (its path reported) after a failed or interrupted one, with presigned URLs and
  environment values scrubbed from it first.
- Nothing secret is kept there: ``suppress_env_files`` keeps extra vars, passwords and settings
  off disk, the vault password stays in its own file, and the child's environment is an allowlist
  (AWS credentials and proxies pass; the rest of the caller's environment does not). Ansible's own
  temporary files (each module with its arguments, credentials included) go there too, not to
  ~/.ansible/tmp, so that an interrupted run cannot leave them behind.
- Events stream to the caller's ``on_event`` on the calling thread, redacted first; the playbook
  itself runs in a thread, so Ctrl-C in the caller asks ansible-runner (``cancel_callback``) to stop
  it, and the run ends ``canceled``.

``run`` is three steps: ``prepare`` (private data directory, environment, command line),
``EventPump.pump`` (the run on its thread, its events to ``on_event``), ``finish`` (status, rc, stats,
the directory removed or scrubbed and kept).

``ansible_runner.run()`` / ``run_async()`` copy the whole ``os.environ`` into the child and start it
at once, so the allowlist is applied between ``RunnerConfig.prepare()`` and ``Runner.run()``, the
two halves of ansible-runner's Python interface that ``run()`` itself calls.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ansible_runner import Runner, RunnerConfig
from ansible_runner.exceptions import AnsibleRunnerException, ConfigurationError

from . import project

# The caller's environment variables the playbooks may need: AWS's credential chain and endpoints,
# proxies and CA bundles, locale and home. Anything else (tokens of other tools, ANSIBLE_* settings
# that would override the checkout's ansible.cfg) stays out of the run.
ENV_NAMES = frozenset(
    {
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "VIRTUAL_ENV",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
    }
)
ENV_PREFIXES = ("AWS_", "LC_")

# A presigned Studio URL is a bearer credential: its query string is the secret. Any URL whose query
# carries a token or a SigV4 signature loses its query wherever the command shows or keeps text.
PRESIGNED = re.compile(
    r"(https?://[^\s\"'<>?#]+)[?#][^\s\"'<>]*?\b(?:token|authToken|X-Amz-Signature|X-Amz-Credential|"
    r"X-Amz-Security-Token)=[^\s\"'<>]*",
    re.IGNORECASE,
)
REDACTED = "?<redacted>"

# How often ansible-runner polls the cancel callback while the playbook runs (seconds).
POLL = 0.25
ARTIFACTS_ENV = "STUDIO_ARTIFACTS_DIR"  # where kept runs go (default: the system's temporary directory)
TEMPORARY = "tmp"  # Ansible's temporary files, inside the run's private data directory
# What a run's stats hold: ansible-runner's ``Runner.stats`` per host, and set_stats' published data.
STATS_KEYS = ("ok", "changed", "failures", "dark", "skipped", "ignored", "rescued", "processed", "artifact_data")


def redact(value):
    """``value`` with every presigned URL's query replaced, through dicts, lists and strings."""
    if isinstance(value, str):
        return PRESIGNED.sub(lambda m: m.group(1) + REDACTED, value) if "://" in value else value
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


@dataclass
class Job:
    """What to run: a playbook of the checkout with its variables."""

    name: str  # the command, for the artifacts' directory name
    inventory: Path
    playbook: str  # a file name in playbooks/
    extravars: dict = field(default_factory=dict)
    check: bool = False
    tags: str | None = None
    limit: str | None = None
    verbosity: int = 0
    vault_password_file: Path | None = None


@dataclass
class Run:
    status: str  # successful, failed, canceled, timeout
    rc: int | None
    events: list
    elapsed: float
    interrupted: bool = False
    artifacts: Path | None = None  # kept only when the run did not succeed
    stats: dict | None = None  # final_stats(): the recap per host and set_stats' data


def child_environment(prepared: dict, ours: dict) -> dict:
    """The allowlisted part of the caller's environment, plus what we and ansible-runner set for the run.

    ``prepared`` is ansible-runner's environment for the child: the caller's whole environment, our
    ``envvars`` on top, and its own settings (callback plugin, artifact paths) on top of those.
    """
    env = {key: value for key, value in os.environ.items() if key in ENV_NAMES or key.startswith(ENV_PREFIXES)}
    env.update({key: value for key, value in prepared.items() if key in ours or os.environ.get(key) != value})
    return env


def _envvars(job: Job, temporary: Path) -> dict:
    bin_dir = str(Path(sys.executable).parent)  # ansible-playbook of this very installation
    envvars = {
        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", os.defpath)]),
        **project.ansible_environment(),  # the checkout's ansible.cfg and demo vault, or the installed collection
        "ANSIBLE_STDOUT_CALLBACK": "default",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "PYTHONUNBUFFERED": "1",
        # Ansible writes each module with its arguments (the vaulted keys among them) to a temporary
        # file, and an interrupted run leaves it behind (in ~/.ansible/tmp by default): keep them in the
        # run's own directory, which is removed after the run, or scrubbed of them when kept.
        "ANSIBLE_REMOTE_TEMP": str(temporary),
        "ANSIBLE_LOCAL_TEMP": str(temporary),
        # The modules' own temporary files too: the background profile job's status directory
        # (roles/profiles) then goes wherever the run ends, never left in the system's /tmp.
        "TMPDIR": str(temporary),
    }
    if job.vault_password_file:
        envvars["ANSIBLE_VAULT_PASSWORD_FILE"] = str(job.vault_password_file)
    return envvars


def scrub_command_file(artifact_dir: Path) -> None:
    """ansible-runner records the child's whole environment in ``command``: keep the names only."""
    path = artifact_dir / "command"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    data["env"] = sorted(data.get("env") or {})
    data = redact(data)
    temporary = path.with_name(".command.tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(temporary, 0o600)
    temporary.replace(path)


def scrub_artifacts(private_data_dir: Path) -> None:
    """Before keeping a failed run's directory: no module file (with its arguments), no environment
    values, no presigned URL in any file."""
    shutil.rmtree(private_data_dir / TEMPORARY, ignore_errors=True)
    for path in private_data_dir.rglob("*"):
        if not path.is_file():
            continue
        if path.name == "command":
            scrub_command_file(path.parent)
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        cleaned = redact(text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")


def run(job: Job, on_event=None) -> Run:
    """Run ``job`` to its end (or until Ctrl-C), feeding each event to ``on_event``; return the outcome."""
    project.check_checkout()
    config = prepare(job)
    playbook = EventPump(config, job.name)
    started = time.monotonic()
    events, interrupted = playbook.pump(on_event)
    return finish(playbook, events, interrupted, time.monotonic() - started)


def prepare(job: Job) -> RunnerConfig:
    """ansible-runner's configuration for ``job``: a fresh private data directory, the environment
    (allowlisted) and the command line, prepared but not started."""
    base = os.environ.get(ARTIFACTS_ENV) or None
    if base:
        Path(base).mkdir(parents=True, exist_ok=True)
    private_data_dir = Path(tempfile.mkdtemp(prefix=f"studio-{job.name}-", dir=base))
    envvars = _envvars(job, private_data_dir / TEMPORARY)
    try:
        config = RunnerConfig(
            private_data_dir=str(private_data_dir),
            ident=job.name,
            project_dir=os.getcwd(),  # relative paths in variables are the caller's
            playbook=str(project.playbook(job.playbook)),
            inventory=str(job.inventory),
            extravars=job.extravars or None,
            tags=job.tags,
            limit=job.limit,
            verbosity=job.verbosity or None,
            cmdline="--check" if job.check else None,
            envvars=envvars,
            suppress_env_files=True,
            quiet=True,
            settings={"pexpect_timeout": POLL, "suppress_ansible_output": True},
        )
        config.prepare()
    except ConfigurationError as exc:
        shutil.rmtree(private_data_dir, ignore_errors=True)
        raise project.StudioError(f"ansible-runner refused the run: {exc}") from None
    config.env = child_environment(config.env, envvars)
    return config


class EventPump:
    """ansible-runner's ``Runner`` on a thread of its own; its events, redacted, queued for the calling thread.

    Ctrl-C reaches the calling thread only: ``pump`` turns it into ``cancel_callback``'s answer, and
    ansible-runner ends the playbook's process group at its next poll.
    """

    _DONE = object()  # queued when the run has ended

    def __init__(self, config: RunnerConfig, name: str):
        self.private_data_dir = Path(config.private_data_dir)
        self.artifact_dir = Path(config.artifact_dir)
        self.queue: queue.Queue = queue.Queue()
        self.cancel = threading.Event()
        self.crashed: list[BaseException] = []
        self.runner = Runner(
            config,
            event_handler=self._event,
            status_handler=self._status,
            cancel_callback=self.cancel.is_set,
            finished_callback=lambda _runner: self.queue.put(self._DONE),
        )
        self.thread = threading.Thread(target=self._work, name=f"studio-{name}", daemon=True)

    def _event(self, event: dict) -> bool:
        event.update(redact(event))  # also what ansible-runner writes into job_events/
        self.queue.put(event)
        return True

    def _status(self, status: dict, runner_config=None) -> None:
        if status.get("status") == "running":  # the command file is written by now
            scrub_command_file(self.artifact_dir)

    def _work(self) -> None:
        try:
            self.runner.run()
        except BaseException as exc:  # noqa: BLE001  (reported on the calling thread)
            self.crashed.append(exc)
            self.queue.put(self._DONE)

    def pump(self, on_event=None) -> tuple[list, bool]:
        """Start the run and hand each event to ``on_event`` until it ends; return (events, interrupted)."""
        self.thread.start()
        received: list[dict] = []
        interrupted = False
        while True:
            try:
                item = self.queue.get(timeout=POLL)
                if item is self._DONE:
                    break
                self._deliver(item, received, on_event)
            except queue.Empty:
                if not self.thread.is_alive() and self.queue.empty():
                    break
            except KeyboardInterrupt:
                interrupted = True
                self.cancel.set()
        # Events can still be queued behind the end when finished_callback races the last writes.
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if item is not self._DONE:
                self._deliver(item, received, on_event)
        self.thread.join()
        return received, interrupted

    @staticmethod
    def _deliver(event: dict, received: list, on_event) -> None:
        received.append(event)
        if on_event is not None:
            on_event(event)


def finish(playbook: EventPump, events: list, interrupted: bool, elapsed: float) -> Run:
    """The run's outcome; its directory removed if it succeeded, else scrubbed and kept."""
    if playbook.crashed:
        crash = playbook.crashed[0]
        scrub_artifacts(playbook.private_data_dir)
        raise project.StudioError(
            f"ansible-runner failed: {crash} (artifacts kept in {playbook.artifact_dir})", code=1
        ) from (crash if isinstance(crash, AnsibleRunnerException) else None)
    status = "canceled" if interrupted else playbook.runner.status
    result = Run(
        status=status,
        rc=playbook.runner.rc,
        events=events,
        elapsed=elapsed,
        interrupted=interrupted,
        stats=final_stats(events),
    )
    if status == "successful":
        shutil.rmtree(playbook.private_data_dir, ignore_errors=True)
    else:
        scrub_artifacts(playbook.private_data_dir)
        result.artifacts = playbook.artifact_dir
    return result


def final_stats(events: list) -> dict | None:
    """The play recap per host, and what the playbook published with set_stats (``artifact_data``), from
    its last ``playbook_on_stats`` event; None if it ended before one."""
    data = next((e.get("event_data") or {} for e in reversed(events) if e.get("event") == "playbook_on_stats"), None)
    if data is None:
        return None
    return {key: data.get(key) or {} for key in STATS_KEYS}
