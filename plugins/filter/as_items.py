# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: as_items
short_description: Turn a list of names into the item dicts that batch module options take
version_added: 0.1.0
description:
  - "C(['a', 'b']) becomes C([{'name': 'a'}, {'name': 'b'}]), ready for a module's list option such as
    O(hackathon.studio.studio_user_profile#module:profiles)."
positional: key
options:
  _input:
    description: The names.
    type: list
    elements: str
    required: true
  key:
    description: The key each name goes under.
    type: str
    default: name
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
profiles: "{{ ['ada-4fz2kq7a', 'alan-k2x7qpla'] | hackathon.studio.as_items }}"
"""

RETURN = r"""
_value:
  description: One dict per name.
  type: list
  elements: dict
"""


def as_items(names, key="name"):
    return [{key: name} for name in names]


class FilterModule:
    def filters(self):
        return {"as_items": as_items}
