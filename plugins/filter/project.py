# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: project
short_description: Keep some keys of each dict of a list, under new names
version_added: 0.1.0
description:
  - Turns what an info module returns into what a batch module option takes, for example the spaces
    of M(hackathon.studio.studio_resource_info) into O(hackathon.studio.studio_app#module:apps) entries.
  - Keys missing from an element, or whose value is null, are left out of its result.
positional: mapping
options:
  _input:
    description: The dicts.
    type: list
    elements: dict
    required: true
  mapping:
    description: New key to old key.
    type: dict
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
apps: "{{ found.spaces | hackathon.studio.project({'space': 'name', 'app_type': 'app_type'}) }}"
"""

RETURN = r"""
_value:
  description: One dict per element, with the new keys.
  type: list
  elements: dict
"""


def project(elements, mapping):
    return [{new: element[old] for new, old in mapping.items() if element.get(old) is not None} for element in elements]


class FilterModule:
    def filters(self):
        return {"project": project}
