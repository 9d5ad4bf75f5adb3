# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: records
short_description: The identities (name and creation time) in a resource module's results
version_added: 0.2.0
description:
  - From the O(_input) results of M(hackathon.studio.studio_user_profile) or M(hackathon.studio.studio_space),
    the C(name), C(creation_time) (and C(settings)) of each resource that exists - what the registry records, and what
    the modules' O(hackathon.studio.studio_space#module:recorded) option takes, so that only these very
    resources are ever treated as the event's.
positional: kind
options:
  _input:
    description: A resource module's C(results).
    type: list
    elements: dict
    required: true
  kind:
    description: When set, each record also carries C(kind) with this value, as the registry stores them.
    type: str
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
recorded: "{{ spaces_teams.results | hackathon.studio.records }}"
resources: "{{ profiles_organizer.results | hackathon.studio.records('user_profiles') }}"
"""

RETURN = r"""
_value:
  description:
    - One dict per resource that exists, with C(name), C(creation_time), C(settings) when the result has it
      (the space's app settings the run set, see M(hackathon.studio.studio_space)) and, with O(kind), C(kind).
  type: list
  elements: dict
"""


def records(results, kind=None):
    found = [
        {k: r[k] for k in ("name", "creation_time", "settings") if r.get(k)} for r in results if r.get("creation_time")
    ]
    return [dict(record, kind=kind) for record in found] if kind else found


class FilterModule:
    def filters(self):
        return {"records": records}
