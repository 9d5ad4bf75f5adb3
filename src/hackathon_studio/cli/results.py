"""What a run did, read from ansible-runner's events (never from ansible-playbook's text).

Every module of the collection that acts returns the same shape (plugins/module_utils/results.py):
``results``, one entry per item with its ``name``, ``kind`` and ``action`` (created, updated,
unchanged, deleted, failed) and a ``msg`` when there is something to say; and ``summary``, the counts
per action. Other modules say what they found in a one-line ``msg``. Here these keys alone become
per-task outcomes, a summary per kind, the per-item failures, and the exit code: no module is known
by name, and a new one needs no change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS = ("created", "updated", "unchanged", "deleted", "failed")

# Tasks that only check or show something: on the progress display only when they fail.
QUIET_ACTIONS = {"validate_argument_spec", "assert", "debug", "fail", "set_fact"}
# What collects a module run in the background (async, poll 0): Ansible's, and the playbooks' own.
COLLECTING_ACTIONS = {"async_status", "studio_background_job"}

OUTCOME_EVENTS = {
    "runner_on_ok": "ok",
    "runner_on_failed": "failed",
    "runner_on_skipped": "skipped",
    "runner_on_unreachable": "unreachable",
}

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_INTERRUPTED = 0, 1, 2, 130


def short_action(event_data: dict) -> str:
    action = event_data.get("resolved_action") or event_data.get("task_action") or ""
    return action.rsplit(".", 1)[-1]


def one_line(text, limit: int = 400) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_label(kind: str) -> str:
    """A kind of the results (``user_profiles``), as a reader says it (``user profiles``)."""
    return kind.replace("_", " ")


def result_items(res: dict) -> list:
    """The ``results`` entries of a module's result that have the shape (a loop's ``results`` do not)."""
    items = res.get("results") if isinstance(res.get("results"), list) else []
    return [i for i in items if isinstance(i, dict) and i.get("kind") and i.get("action") in ACTIONS]


@dataclass
class TaskOutcome:
    """One task on one host, as its runner_on_* event tells."""

    host: str
    task: str
    action: str
    status: str  # ok, failed, skipped, unreachable
    res: dict
    duration: float | None = None
    background: bool = False  # started asynchronously: its results come with a later collecting task

    @property
    def changed(self) -> bool:
        return bool(self.res.get("changed"))

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "unreachable")

    @property
    def quiet(self) -> bool:
        return self.action in QUIET_ACTIONS and not self.failed

    def items(self) -> list:
        """This task's ``results`` entries; none for a skipped task or one still running in the background."""
        return [] if self.status == "skipped" or self.background else result_items(self.res)

    def counts(self) -> dict:
        """kind -> action -> how many of this task's items (empty for a module that returns none)."""
        counts: dict = {}
        for item in self.items():
            counts.setdefault(item["kind"], dict.fromkeys(ACTIONS, 0))[item["action"]] += 1
        return counts

    def item_failures(self) -> list:
        """The items that failed in this task, each with its own message."""
        return [
            {"host": self.host, "kind": item["kind"], "name": str(item.get("name")), "msg": one_line(item.get("msg"))}
            for item in self.items()
            if item["action"] == "failed"
        ]

    @property
    def message(self) -> str:
        return one_line(self.res.get("msg") or "failed")

    @property
    def missing_permission(self) -> str | None:
        """The permission AWS refused this failed task's call for, as one line; from the module's result."""
        res = self.res
        if not self.failed or not res.get("missing_permission"):
            return None
        code = res.get("error_code") or "AccessDenied"
        return f"missing permission {res['missing_permission']} ({code} from {res.get('operation') or '?'})"


def task_outcome(event: dict) -> TaskOutcome | None:
    status = OUTCOME_EVENTS.get(event.get("event"))
    if status is None:
        return None
    data = event.get("event_data") or {}
    res = data.get("res") if isinstance(data.get("res"), dict) else {}
    return TaskOutcome(
        host=data.get("host") or "?",
        task=data.get("task") or data.get("name") or "?",
        action=short_action(data),
        status=status,
        res=res,
        duration=data.get("duration"),
    )


@dataclass
class Outcome:
    """Everything a run did, for the summary, the JSON document and the exit code."""

    tasks: list = field(default_factory=list)
    jobs: dict = field(default_factory=dict)  # async job id -> the module that started it
    no_hosts: bool = False
    ansible_errors: list = field(default_factory=list)  # what ansible printed when it stopped before any task

    @classmethod
    def from_events(cls, events) -> Outcome:
        outcome = cls()
        for event in events:
            outcome.add(event)
        return outcome

    def add(self, event: dict) -> TaskOutcome | None:
        name = event.get("event")
        if name == "playbook_on_no_hosts_matched":
            self.no_hosts = True
        elif name in ("error", "verbose") and event.get("stdout", "").strip():
            text = event["stdout"].strip()
            if "ERROR" in text or "error" in name:
                self.ansible_errors.append(one_line(text.replace("[ERROR]:", "").replace("ERROR!", "")))
        task = task_outcome(event)
        if task is None:
            return None
        job = task.res.get("ansible_job_id")
        if job and task.action in COLLECTING_ACTIONS:
            # A module run in the background (async, poll 0) reports through the task collecting it: count it
            # as the module it is, under the waiting task's name.
            task.action = self.jobs.get(job, task.action)
        elif job:
            self.jobs[job] = task.action
            task.background = True
        self.tasks.append(task)
        return task

    # ----- what was done ------------------------------------------------------------------------
    def summary(self) -> dict:
        """kind -> action -> count, over every host, for the kinds this run touched."""
        return self._add_counts(self.tasks)

    def by_host(self) -> dict:
        hosts: dict = {}
        for task in self.tasks:
            hosts.setdefault(task.host, [])
            hosts[task.host].append(task)
        return {host: summary for host, tasks in hosts.items() if (summary := self._add_counts(tasks))}

    @staticmethod
    def _add_counts(tasks) -> dict:
        """kind -> action -> count over ``tasks``, the kinds in the order the run first reported them."""
        summary: dict = {}
        for task in tasks:
            for kind, counts in task.counts().items():
                total = summary.setdefault(kind, dict.fromkeys(ACTIONS, 0))
                for action, count in counts.items():
                    total[action] += count
        return summary

    def names(self, action: str) -> dict:
        """kind -> the names of the resources this run reported ``action`` for (e.g. deleted)."""
        names: dict = {}
        for task in self.tasks:
            for item in task.items():
                if item["action"] == action:
                    names.setdefault(item["kind"], []).append(item.get("name"))
        return names

    def failures(self) -> list:
        return [failure for task in self.tasks for failure in task.item_failures()]

    def failed_tasks(self) -> list:
        return [task for task in self.tasks if task.failed]

    def missing_permissions(self) -> list:
        """One line per permission a call was refused for, in run order."""
        lines = [task.missing_permission for task in self.failed_tasks() if task.missing_permission]
        return list(dict.fromkeys(lines))

    def errors(self) -> list:
        """One line per failed task that is not explained by its items' own failures; a missing permission
        explains everything that failed after it, and alone."""
        if self.missing_permissions():
            return self.missing_permissions()
        lines = []
        for task in self.failed_tasks():
            if task.item_failures():
                continue
            where = "" if task.host == "localhost" else f"{task.host}: "
            lines.append(f"{where}{task.message}")
        if not lines and self.no_hosts:
            lines.append("the inventory has no hosts to run on")
        return lines

    def results_of(self, action: str) -> list:
        """The ``res`` of every successful ``action`` task (module short name), in run order."""
        return [task for task in self.tasks if task.action == action and task.status == "ok"]

    def problems(self) -> list:
        """Every problem of its input a failed task reported (a roster's, each with its line)."""
        return [p for task in self.failed_tasks() for p in task.res.get("problems") or [] if isinstance(p, str)]

    # ----- how it ended ----------------------------------------------------------------------------
    def exit_code(self, status: str, interrupted: bool = False) -> int:
        """0 ok; 1 some resources failed; 2 the run stopped on its input or configuration; 130 Ctrl-C.

        A run that failed before changing anything, with no resource failing on its own (a bad
        roster or variable, an unreachable endpoint, refused credentials, a missing domain, a vault
        that does not open), is a configuration problem: 2; so is a call refused for a missing
        permission, at any point. Failures after something changed, or of single resources, are 1.
        """
        if interrupted or status == "canceled":
            return EXIT_INTERRUPTED
        if self.missing_permissions():  # the credentials' configuration, whatever was done before
            return EXIT_CONFIG
        if self.failures():
            return EXIT_FAILED
        failed = self.failed_tasks()
        if status == "successful" and not failed:
            return EXIT_CONFIG if self.no_hosts else EXIT_OK
        if not failed:
            return EXIT_CONFIG  # ansible stopped before any task: inventory, vault, syntax
        first = self.tasks.index(failed[0])
        if any(task.changed for task in self.tasks[:first]):
            return EXIT_FAILED
        return EXIT_CONFIG
