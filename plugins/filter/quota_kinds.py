# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.plan import quota_kinds

DOCUMENTATION = r"""
name: quota_kinds
short_description: The kinds of resource whose quota setup may grow
version_added: 0.3.0
description:
  - The kinds (C(user_profiles), C(spaces), C(apps)) that the event may grow, so that only those are
    listed before setup creates anything (O(hackathon.studio.studio_quota_info#module:count)).
  - Profiles and team spaces the registry names were created by an earlier setup; when the roster names
    no other, nothing new can overrun their quota. Private spaces always count, apps when started.
options:
  _input:
    description: The roster, as M(hackathon.studio.studio_roster) returns it.
    type: dict
    required: true
  registered:
    description:
      - The registry's participants (M(hackathon.studio.studio_registry_info)), when read before the listing.
      - Preflight and the checklist read the registry in the listing's module run, so they leave it out.
    type: list
    elements: dict
    default: []
  personal_spaces:
    description: Whether setup creates a private space per participant.
    type: bool
    default: false
  start_apps:
    description: Whether setup starts apps.
    type: bool
    default: false
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
kinds: "{{ roster_result | hackathon.studio.quota_kinds(registry_info.participants, start_apps=true) }}"
every_kind: "{{ roster_result | hackathon.studio.quota_kinds(start_apps=true) }}"
"""

RETURN = r"""
_value:
  description: The kinds to list, in the order user_profiles, spaces, apps.
  type: list
  elements: str
"""


def filter_quota_kinds(roster, registered=(), personal_spaces=False, start_apps=False):
    return quota_kinds(roster, registered, bool(personal_spaces), bool(start_apps))


class FilterModule:
    def filters(self):
        return {"quota_kinds": filter_quota_kinds}
