# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hackathon.studio.plugins.module_utils.plan import select_participants
from ansible_collections.hackathon.studio.plugins.module_utils.roster import MissingLibrary

DOCUMENTATION = r"""
name: select_participants
short_description: The participants of one team, of one email, or all
version_added: 0.3.0
description:
  - The registry's participants of O(team) (as written in the roster in any case or spacing, or its
    space name, as M(hackathon.studio.studio_roster) names spaces), of O(email) (in any case), or all
    of them when neither is given. Giving both is an error.
options:
  _input:
    description: The registry's participants (M(hackathon.studio.studio_registry_info)).
    type: list
    elements: dict
    required: true
  team:
    description: Only this team.
    type: str
  email:
    description: Only this participant.
    type: str
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
team_members: "{{ registry_info.participants | hackathon.studio.select_participants(team=team | default(none)) }}"
"""

RETURN = r"""
_value:
  description: The participants selected, in the registry's order.
  type: list
  elements: dict
"""


def filter_select_participants(participants, team=None, email=None):
    try:
        return select_participants(participants, team=team, email=email)
    except (ValueError, MissingLibrary) as exc:
        raise AnsibleFilterError(
            f"the team {str(team)[:80]!r} {exc}" if isinstance(exc, MissingLibrary) else str(exc)
        ) from None


class FilterModule:
    def filters(self):
        return {"select_participants": filter_select_participants}
