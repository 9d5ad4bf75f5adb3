# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.plan import teardown_lookup

DOCUMENTATION = r"""
name: teardown_lookup
short_description: What teardown's listing is told of, from the registry
version_added: 0.3.0
description:
  - For O(hackathon.studio.studio_resource_info#module:recorded), per kind, the identities (name and creation
    time) the registry recorded, and the names the event uses (the organizer's, the participants'). A name
    alone vouches for nothing; the listing only warns about a resource that has one and no other proof.
options:
  _input:
    description: The registry, as M(hackathon.studio.studio_registry_info) returns it.
    type: dict
    required: true
  organizer:
    description: The organizer's user profile, named first when given.
    type: str
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
recorded: "{{ registry_info | hackathon.studio.teardown_lookup(studio_organizer_profile) }}"
"""

RETURN = r"""
_value:
  description: C(user_profiles) and C(spaces), each a list of dicts with C(name) and, when recorded, C(creation_time).
  type: dict
"""


class FilterModule:
    def filters(self):
        return {"teardown_lookup": teardown_lookup}
