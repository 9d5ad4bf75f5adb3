# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: registry_holds
short_description: Whether the registry, as read, already holds these participants and records
version_added: 0.1.0
description:
  - True when the registry as M(hackathon.studio.studio_registry_info) read it (O(_input)) already has every
    participant of O(participants) and every record of O(resources) as M(hackathon.studio.studio_registry) would
    write them (and, with O(prune), nothing more), so that writing them would change nothing.
  - The comparison is the module's own (C(Registry.plan) in C(module_utils/registry.py)).
positional: participants, resources
options:
  _input:
    description: The result of M(hackathon.studio.studio_registry_info), read with O(domain_id).
    type: dict
    required: true
  participants:
    description: The participants as M(hackathon.studio.studio_registry) takes them.
    type: list
    elements: dict
    required: true
  resources:
    description: The resource records as M(hackathon.studio.studio_registry) takes them (kind, name, creation time).
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
when: not (registry_info | hackathon.studio.registry_holds(participants, resources, domain_id=studio_domain_id))
"""

RETURN = r"""
_value:
  description: True when nothing would be written.
  type: bool
"""


def registry_holds(read, participants, resources, domain_id=None, prune=False):
    # Imported when called, not when Ansible loads the collection's filters: the registry's module_utils
    # import boto3, which cost every task using any of these filters 0.06 s on each host.
    from ansible_collections.hackathon.studio.plugins.module_utils.registry import holds

    return holds(read, participants, resources, domain_id, prune)


class FilterModule:
    def filters(self):
        return {"registry_holds": registry_holds}
