# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hackathon.studio.plugins.module_utils.roster import MissingLibrary, space_name

DOCUMENTATION = r"""
name: space_name
short_description: The space name of a team, as the roster derives it
version_added: 0.1.0
description:
  - The name M(hackathon.studio.studio_roster) gives the team's space, so that YAML picks a team
    the way the roster names it. Spellings of one team (case, spaces, punctuation, Unicode normal
    form) give one name, and a space name gives itself.
  - Team names that are not plain ASCII need the Python library C(anyascii) on the controller.
options:
  _input:
    description: The team as written, or its space name.
    type: str
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
team_members: "{{ registry_info.participants | selectattr('space', 'equalto', team | hackathon.studio.space_name) }}"
"""

RETURN = r"""
_value:
  description: The space name, for example C(team-7) for V(Team 7).
  type: str
"""


def team_space_name(team):
    try:
        return space_name(str(team))
    except MissingLibrary as exc:
        raise AnsibleFilterError(f"the team {str(team)[:80]!r} {exc}") from None


class FilterModule:
    def filters(self):
        return {"space_name": team_space_name}
