#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_event_status
short_description: Tabulate a hackathon's status and the drift between its registry and its domain
version_added: 0.1.0
description:
  - From the registry's participants (M(hackathon.studio.studio_registry_info)) and the event's
    resources (M(hackathon.studio.studio_resource_info) filtered by the event tag), builds one row per
    team (members, space status, app status), totals, and the drift between the two (profiles or
    spaces missing or extra, and anything C(Failed)).
  - With O(usage) (M(hackathon.studio.studio_app_usage)'s app runs and prices), adds per team and in
    total the app-hours so far, their estimated cost (instance-hours x hourly price) and, with
    O(event_end), the cost projected to the event's end (the cost so far plus the running apps x the
    remaining hours x their price).
  - Optionally writes the table to O(dest), a CSV or JSON file created 0600, with spreadsheet formulas
    neutralised, and the cost to O(report), an HTML page created 0600 with a chart of the app-hours per
    team over time. Makes no AWS call.
options:
  participants:
    description: The registry's participants.
    type: list
    elements: dict
    required: true
  user_profiles:
    description: The event's user profiles, as M(hackathon.studio.studio_resource_info) returns them.
    type: list
    elements: dict
    default: []
  spaces:
    description: The event's spaces, as M(hackathon.studio.studio_resource_info) returns them.
    type: list
    elements: dict
    default: []
  apps:
    description: The event's apps, as M(hackathon.studio.studio_resource_info) returns them.
    type: list
    elements: dict
    default: []
  organizer:
    description: The organizer's profile, expected besides the participants'.
    type: str
  logins:
    description:
      - The portal's logins per lower-case email, as M(hackathon.studio.studio_registry_info) returns
        them, for an event that uses the participant portal.
      - With it, each team's row adds C(logged_in), C(last_login) and C(failed_logins) (also in
        O(dest)), the totals add C(logged_in), and RV(logins) lists every participant.
    type: dict
  dest:
    description: Write the per-team table here (C(.csv) or C(.json)).
    type: path
  usage:
    description:
      - The event's app runs, as M(hackathon.studio.studio_app_usage) returns them (its C(usage)).
      - With it, each team's row adds C(app_hours), C(cost), C(projected_cost) and C(running_apps) (the
        first three also in O(dest)), the totals add the same, and RV(cost) says how they were priced.
    type: list
    elements: dict
  prices:
    description: Per instance type, its hourly price, as M(hackathon.studio.studio_app_usage) returns them.
    type: dict
    default: {}
  event_end:
    description:
      - When the event ends, ISO 8601 with its offset (for example C(2026-05-16T18:00:00+02:00)), to project
        the cost to. No projection when unset.
    type: str
  event:
    description: The event's name, in the title of O(report).
    type: str
    default: hackathon
  report:
    description: With O(usage), write the cost as an HTML page here, with a chart of the app-hours per team.
    type: path
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode (then nothing is written).
"""

EXAMPLES = r"""
- name: Tabulate the event
  hackathon.studio.studio_event_status:
    participants: "{{ registry.participants }}"
    user_profiles: "{{ found.user_profiles }}"
    spaces: "{{ found.spaces }}"
    apps: "{{ found.apps }}"
    logins: "{{ registry.logins }}"
    dest: status.csv
"""

RETURN = r"""
teams:
  description: One row per team.
  returned: always
  type: list
  elements: dict
  sample: [{"space": "team-1", "team": "1", "members": 4, "space_status": "InService", "app_status": "InService"}]
totals:
  description: Participants, teams, spaces and apps InService, personal spaces; with O(logins), C(logged_in).
  returned: always
  type: dict
logins:
  description: With O(logins), one entry per participant, by space then email.
  returned: when logins is set
  type: list
  elements: dict
  contains:
    email:
      description: The participant's email.
      type: str
    team:
      description: The participant's team.
      type: str
    space:
      description: The team's space.
      type: str
    last_login:
      description: When they last logged in at the portal (UTC, ISO 8601), or null if they have not yet.
      type: str
    logins:
      description: How many of their logins succeeded.
      type: int
    failed_logins:
      description: How many of their attempts did not (a wrong code, a rate limit, a closed event).
      type: int
drift:
  description: Lists of missing_profiles, missing_spaces, extra_profiles, extra_spaces and failed.
  returned: always
  type: dict
msg:
  description: How many participants and teams the event has, in one line, for display.
  returned: always
  type: str
  sample: 12 participants, 4 teams
lines:
  description: The table as text lines, for display.
  returned: always
  type: list
  elements: str
dest:
  description: The file written.
  returned: when dest is set
  type: str
cost:
  description: With O(usage), how the app runs were priced.
  returned: when usage is set
  type: dict
  contains:
    currency:
      description: The prices' currency.
      type: str
      sample: USD
    event_end:
      description: O(event_end).
      type: str
    remaining_hours:
      description: Hours from now to O(event_end) (0 after it), or null without it.
      type: float
    prices:
      description: O(prices).
      type: dict
    unpriced:
      description: Instance types without a price, whose hours count but not their cost.
      type: list
      elements: str
    teams:
      description:
        - Per team (and C((personal)) for private spaces), C(app_hours), C(cost), C(running_apps) and
          C(projected_cost).
      type: dict
report:
  description: The HTML page written.
  returned: when report and usage are set
  type: str
"""

import datetime

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.hackathon.studio.plugins.module_utils.cost import hours_over_time, iso, parse_time
from ansible_collections.hackathon.studio.plugins.module_utils.cost_report import html_report
from ansible_collections.hackathon.studio.plugins.module_utils.files import render, write_private
from ansible_collections.hackathon.studio.plugins.module_utils.status import (
    COLUMNS,
    COST_COLUMNS,
    LOGIN_COLUMNS,
    add_cost,
    event_status,
    status_lines,
)


def write(module, path: str, content: str, what: str) -> None:
    """Write ``content`` to ``path`` (0600), unless in check mode; fail naming the file."""
    try:
        if not module.check_mode:
            write_private(path, content)
    except OSError as e:
        module.fail_json(msg=f"Cannot write the {what} to {path}: {e}")


def main():
    module = AnsibleModule(
        argument_spec=dict(
            participants=dict(type="list", elements="dict", required=True),
            user_profiles=dict(type="list", elements="dict", default=[]),
            spaces=dict(type="list", elements="dict", default=[]),
            apps=dict(type="list", elements="dict", default=[]),
            organizer=dict(type="str"),
            logins=dict(type="dict"),
            dest=dict(type="path"),
            usage=dict(type="list", elements="dict"),
            prices=dict(type="dict", default={}),
            event_end=dict(type="str"),
            event=dict(type="str", default="hackathon"),
            report=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    now = datetime.datetime.now(datetime.UTC)
    status = event_status(p["participants"], p["user_profiles"], p["spaces"], p["apps"], p["organizer"], p["logins"])
    if p["usage"] is not None:
        try:
            add_cost(status, p["usage"], p["prices"], now, p["event_end"] and iso(parse_time(p["event_end"])))
        except (ValueError, TypeError) as e:
            module.fail_json(msg=f"event_end: not an ISO 8601 time with its offset ({p['event_end']}): {e}")
    result = dict(changed=False, lines=status_lines(status), **status)
    result["msg"] = f"{status['totals']['participants']} participants, {status['totals']['teams']} teams"
    if p["dest"]:
        columns = COLUMNS + (LOGIN_COLUMNS if p["logins"] is not None else ())
        try:
            content = render(p["dest"], columns + (COST_COLUMNS if p["usage"] is not None else ()), status["teams"])
        except ValueError as e:
            module.fail_json(msg=f"Cannot write the status to {p['dest']}: {e}")
        write(module, p["dest"], content, "status")
        result["dest"] = p["dest"]
    if p["report"] and p["usage"] is not None:
        series = hours_over_time(p["usage"], now)
        write(module, p["report"], html_report(p["event"], status, series, iso(now)), "cost report")
        result["report"] = p["report"]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
