# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The event's registry, read in the module run of a playbook's first look (common.registry_argument_spec).
    DOCUMENTATION = r"""
options:
  registry:
    description:
      - The event's registry, read first in the same module run, one module start-up fewer than a
        M(hackathon.studio.studio_registry_info) task before this one. This domain's part only. The
        module's description says what it does with it.
    type: dict
    suboptions:
      table:
        description: The DynamoDB table that M(hackathon.studio.studio_registry) writes.
        type: str
        required: true
      event:
        description: The event name.
        type: str
        required: true
"""

    # hackathon.studio.registry.table: the registry's table and event as a module's own options, for the
    # modules that work on the registry (common.registry_table_options).
    TABLE = r"""
options:
  table:
    description: The event's registry, the DynamoDB table that M(hackathon.studio.studio_registry) writes.
    type: str
    required: true
  event:
    description: The event name.
    type: str
    required: true
"""
