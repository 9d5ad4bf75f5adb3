#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_roster
short_description: Read and validate a hackathon roster, and name its Studio resources
version_added: 0.1.0
description:
  - Reads a CSV of participants (email and team per line) and checks all of it before anything is
    changed anywhere. Every problem is reported at once, each with its line number.
  - Accepts a header row (C(email,team) in any case and order, extra columns ignored), V(;) as
    delimiter, UTF-8 with or without BOM, CRLF, blank lines, C(#) comment lines and stray spaces.
  - Derives each participant's user profile name from the email alone (its local part, then a
    hash of the whole email), so distinct emails never share a profile and editing the roster
    never renames anyone; and each team's space name from the team (V(7) gives C(team-7)).
  - Makes no AWS call.
options:
  path:
    description: The roster file on the machine the module runs on.
    type: path
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode; it changes nothing.
"""

EXAMPLES = r"""
- name: Validate the roster
  hackathon.studio.studio_roster:
    path: users.csv
  register: roster
"""

RETURN = r"""
participants:
  description: The participants in roster order.
  returned: success
  type: list
  elements: dict
  contains:
    email:
      description: The email as written.
      type: str
    team:
      description: The team as written.
      type: str
    user_profile:
      description: The user profile name.
      type: str
      sample: niklas-k2x7qpla
    space:
      description: The team's space name.
      type: str
      sample: team-7
teams:
  description: One entry per team (space), in order of first appearance.
  returned: success
  type: list
  elements: dict
  contains:
    space:
      description: The space name.
      type: str
    team:
      description: The team as first written.
      type: str
    members:
      description: The members' user profile names.
      type: list
      elements: str
problems:
  description: Every problem found, as C(<path>, line N: reason).
  returned: failure
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.hackathon.studio.plugins.module_utils.roster import parse_roster


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="path", required=True)), supports_check_mode=True)
    path = module.params["path"]
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as e:
        module.fail_json(msg=f"Cannot read the roster {path}: {e.strerror}", problems=[f"{path}: {e.strerror}"])
    roster = parse_roster(data)
    if roster.problems:
        problems = roster.problem_lines(path)
        module.fail_json(
            msg=f"The roster has {len(problems)} problem(s): " + "; ".join(problems[:20]), problems=problems
        )
    teams = [
        {"space": space, "team": members[0].team, "members": [m.profile for m in members]}
        for space, members in roster.teams.items()
    ]
    module.exit_json(changed=False, participants=[p.as_dict() for p in roster.participants], teams=teams)


if __name__ == "__main__":
    main()
