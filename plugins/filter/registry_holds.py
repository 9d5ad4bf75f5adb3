# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.filter.records import records

DOCUMENTATION = r"""
name: registry_holds
short_description: Whether the registry, as read, already holds these participants and records
version_added: 0.1.0
description:
  - True when the registry as M(hackathon.studio.studio_registry_info) read it (O(_input)) already has every
    participant of O(participants) and the records of O(user_profiles) and O(spaces) as the registry role's
    C(main) would write them (and, with O(prune), nothing more), so that writing them would change nothing.
  - The comparison is the module's own (C(Registry.plan) in C(module_utils/registry.py)), and the records are
    those of the P(hackathon.studio.records#filter) filter.
positional: participants, user_profiles, spaces
options:
  _input:
    description: The result of M(hackathon.studio.studio_registry_info), read with O(domain_id).
    type: dict
    required: true
  participants:
    description: The roster's participants; only the fields the registry keeps are compared.
    type: list
    elements: dict
    required: true
  user_profiles:
    description: The results of the run's user profile tasks, whose records the registry keeps.
    type: list
    elements: dict
    required: true
  spaces:
    description: The results of the run's space tasks, whose records the registry keeps.
    type: list
    elements: dict
    required: true
  domain_id:
    description: The domain the registry was read and is written for.
    type: str
  prune:
    description: Whether the write would remove the participants and records not listed.
    type: bool
    default: false
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
when: not (registry_info | hackathon.studio.registry_holds(roster_result.participants, profiles_created.results,
  spaces_teams.results, domain_id=studio_domain_id))
"""

RETURN = r"""
_value:
  description: True when nothing would be written.
  type: bool
"""


def registry_holds(read, participants, user_profiles, spaces, domain_id=None, prune=False):
    # Imported when called, not when Ansible loads the collection's filters: the registry's module_utils
    # import botocore, and boto3 here cost every task using any of these filters 0.06 s on each host.
    from ansible_collections.hackathon.studio.plugins.module_utils.registry import holds

    resources = records(user_profiles, "user_profiles") + records(spaces, "spaces")
    return holds(read, participants, resources, domain_id, prune)


class FilterModule:
    def filters(self):
        return {"registry_holds": registry_holds}
