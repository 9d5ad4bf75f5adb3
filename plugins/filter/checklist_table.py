# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.readiness import checklist_table

DOCUMENTATION = r"""
name: checklist_table
short_description: The checklist's lines as a table to read
version_added: 0.1.0
description:
  - One string a row, the columns aligned - check, status and what to do (or what was found).
options:
  _input:
    description: What the P(hackathon.studio.checklist_lines#filter) filter returns.
    type: list
    elements: dict
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
table: "{{ lines | hackathon.studio.checklist_table }}"
"""

RETURN = r"""
_value:
  description: The header, then one row per line.
  type: list
  elements: str
"""


def filter_checklist_table(lines):
    return checklist_table(lines)


class FilterModule:
    def filters(self):
        return {"checklist_table": filter_checklist_table}
