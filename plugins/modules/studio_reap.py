#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_reap
short_description: Stop the event's Studio apps that run too long, out of hours or after the event
version_added: 0.1.0
description:
  - Stops (C(DeleteApp)) the running apps of the event in a SageMaker Studio domain that are older
    than O(max_age), every running app of the event while the clock is outside O(event_hours), and
    every running app of the event once O(event_end) has passed. Meant to run on a schedule.
  - An app is the event's when its space (or user profile) carries every one of O(tags); any other app
    of the domain is never stopped, whatever its age.
  - Apps already stopped (by hand, by Studio's idle shutdown, by an earlier run) are left as they are,
    so a second run changes nothing. Stopping an app keeps its space and the data on it.
  - At least one of O(max_age), O(event_hours) and O(event_end) is required.
options:
  tags:
    description:
      - The event's tags, C(hackathon:event=<event>). Only apps whose space or user profile carries
        them are stopped.
    type: dict
    required: true
  max_age:
    description:
      - How long an app may run, counted from its C(CreationTime), a whole number and a unit,
        V(d), V(h), V(m) or V(s), for example V(8h) or V(90m).
    type: str
  event_hours:
    description:
      - The event's daily hours, V(HH:MM-HH:MM) and an optional IANA time zone (UTC when unset), for
        example V(08:00-20:00 Europe/Paris). The start is inside, the end outside; a window may cross
        midnight. Outside it every app of the event stops.
    type: str
  event_end:
    description:
      - When the event ends, in ISO 8601 with its UTC offset, for example V(2026-05-02T18:00:00+02:00).
        From then on every app of the event stops.
    type: str
  wait:
    description: Wait until each stopped app is C(Deleted).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait, for the whole batch.
    type: int
    default: 900
extends_documentation_fragment:
  - hackathon.studio.domain
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode, which reports what would stop and why, and diff mode.
  - Reading whose an app is costs one ListTags call per space (or user profile) with a running app.
  - Studio's own idle shutdown stops apps nobody uses; reap stops the ones in use too, so warn
    participants to save their work before the event's end.
"""

EXAMPLES = r"""
- name: Stop the event's apps older than 8 hours, and all of them outside 08:00-20:00 in Paris
  hackathon.studio.studio_reap:
    domain_id: d-xxxxxxxxxxxx
    tags:
      hackathon:event: spring-2026
    max_age: 8h
    event_hours: 08:00-20:00 Europe/Paris

- name: Stop every app of the event once it has ended
  hackathon.studio.studio_reap:
    domain_id: d-xxxxxxxxxxxx
    tags:
      hackathon:event: spring-2026
    event_end: "2026-05-02T18:00:00+02:00"
"""

RETURN = r"""
results:
  description:
    - One entry per app of the event that was stopped (or would be in check mode), or that failed to stop.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The app, as messages name it.
      type: str
      sample: JupyterLab/default of space team-1
    kind:
      description: Always C(apps).
      type: str
      sample: apps
    action:
      description: What was done, or would be in check mode.
      type: str
      sample: deleted
      choices: [deleted, unchanged, failed]
    changed:
      description: Whether this app was stopped.
      type: bool
    status:
      description: Its last known status.
      type: str
      sample: Deleted
    msg:
      description: Why it was stopped (which rule, with the app's age), or why it failed.
      type: str
      sample: running for 9h 05m, max age 8h 00m (studio_app_max_age)
summary:
  description: How many apps the run created, updated, left unchanged, deleted and failed (all five keys, always).
  returned: always
  type: dict
  sample: {"created": 0, "updated": 0, "unchanged": 0, "deleted": 2, "failed": 0}
running:
  description: How many apps of the event were running when the run looked, stopped or not.
  returned: always
  type: int
"""

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils._studio.apps import Apps
from ansible_collections.hackathon.studio.plugins.module_utils.common import aws_errors, common_argument_spec, connect
from ansible_collections.hackathon.studio.plugins.module_utils.plan import LIVE_APP_STATUSES
from ansible_collections.hackathon.studio.plugins.module_utils.reap import (
    ReapError,
    apps_to_stop,
    parse_event_end,
    parse_event_hours,
    parse_max_age,
)
from ansible_collections.hackathon.studio.plugins.module_utils.results import exit_with_plans


def rules(module) -> dict:
    """The run's rules, read from the options; one line naming the variable when one is wrong."""
    params = module.params
    try:
        found = {
            "max_age": parse_max_age(params["max_age"]),
            "hours": parse_event_hours(params["event_hours"]),
            "end": parse_event_end(params["event_end"]),
        }
    except ReapError as exc:
        module.fail_json(msg=str(exc))
    if all(value is None for value in found.values()):
        module.fail_json(
            msg="reap needs a rule: set studio_app_max_age, studio_event_hours or studio_event_end "
            "(the options max_age, event_hours, event_end)"
        )
    return found


def event_apps(apps: Apps) -> list:
    """The running apps of the domain whose owner is provably the event's, for reap.apps_to_stop."""
    running = [(key, s) for key, s in apps.observe().items() if s.get("Status") in LIVE_APP_STATUSES]
    return [
        {"key": key, "status": s["Status"], "creation_time": s["CreationTime"]}
        for key, s in running
        if apps.vouched(key, s)
    ]


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        tags=dict(type="dict", required=True),
        max_age=dict(type="str"),
        event_hours=dict(type="str"),
        event_end=dict(type="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    found = rules(module)
    domain = connect(module)
    domain.scope_tags = module.params["tags"]
    apps = Apps(domain)
    with aws_errors(module, f"stop the event's apps in domain {module.params['domain_id']}"):
        running = event_apps(apps)
        stopping = apps_to_stop(running, datetime.datetime.now(datetime.UTC), **found)
        reasons = {app["key"]: reason for app, reason in stopping}
        plans = apps.ensure_absent([dict(apps.fields(key), tags=domain.scope_tags) for key in reasons])
        for plan in plans:
            plan.note = reasons[plan.key]
        exit_with_plans(module, plans, apps, "apps", state="absent", running=len(running))


if __name__ == "__main__":
    main()
