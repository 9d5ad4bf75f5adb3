# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.readiness import checklist_lines

DOCUMENTATION = r"""
name: checklist_lines
short_description: The event's readiness checklist of one domain, line by line
version_added: 0.1.0
description:
  - From what the checklist role read (read-only calls), one line per check - the domain, the settings,
    idle shutdown, each quota against the roster, the allow-list against the quotas, the portal, the
    dry run of setup and the time setup takes. The checks are preflight's (module_utils/readiness.py).
options:
  _input:
    description:
      - C(settings) (the event's), C(roster), C(registered), C(domain) (M(hackathon.studio.studio_domain_info)'s
        result), C(quota) (M(hackathon.studio.studio_quota_info)'s), C(found) (the listing to count, or C({})),
        C(portal) (C(url), C(status), C(msg), or null) and C(dry_run) (C(ok), C(note), or null).
    type: dict
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
lines: "{{ checklist_facts | hackathon.studio.checklist_lines }}"
"""

RETURN = r"""
_value:
  description:
    - Per check, C(check), C(status) (V(ok), V(fix) or V(skip), not checked) and C(note), what was
      found or what to do.
  type: list
  elements: dict
"""


def filter_checklist_lines(facts):
    return checklist_lines(facts)


class FilterModule:
    def filters(self):
        return {"checklist_lines": filter_checklist_lines}
