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
  - Optionally writes the table to O(dest), a CSV or JSON file created 0600, with spreadsheet formulas
    neutralised. Makes no AWS call.
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
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.hackathon.studio.plugins.module_utils.files import render, write_private
from ansible_collections.hackathon.studio.plugins.module_utils.status import (
    COLUMNS,
    LOGIN_COLUMNS,
    event_status,
    status_lines,
)


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
        ),
        supports_check_mode=True,
    )
    p = module.params
    status = event_status(p["participants"], p["user_profiles"], p["spaces"], p["apps"], p["organizer"], p["logins"])
    result = dict(changed=False, lines=status_lines(status), **status)
    result["msg"] = f"{status['totals']['participants']} participants, {status['totals']['teams']} teams"
    if p["dest"]:
        try:
            columns = COLUMNS + (LOGIN_COLUMNS if p["logins"] is not None else ())
            content = render(p["dest"], columns, status["teams"])
            if not module.check_mode:
                write_private(p["dest"], content)
        except (ValueError, OSError) as e:
            module.fail_json(msg=f"Cannot write the status to {p['dest']}: {e}")
        result["dest"] = p["dest"]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
