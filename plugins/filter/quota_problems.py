# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.readiness import quota_problems

DOCUMENTATION = r"""
name: quota_problems
short_description: Why the event does not fit in a quota, and what to do
version_added: 0.1.0
description:
  - For each kind that does not fit its quota, one line - what exists, what the event adds, the quota
    by the name AWS gives it, and the ready-to-run increase request when its code is known. Preflight
    stops on them and the checklist reports them. The logic is module_utils/readiness.py.
positional: quotas, instance_type
options:
  _input:
    description: What the P(hackathon.studio.quota_needs#filter) filter returns.
    type: dict
    required: true
  quotas:
    description: The quotas, as M(hackathon.studio.studio_quota_info) returns them (C(quotas)).
    type: dict
    required: true
  instance_type:
    description: The instance type of the event's apps.
    type: str
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
problems: "{{ needs | hackathon.studio.quota_problems(quota_info.quotas, 'ml.t3.medium') }}"
"""

RETURN = r"""
_value:
  description:
    - Per kind over its quota (C(user_profiles), C(spaces), C(apps)), the line that says so; C({}) when
      all fit.
  type: dict
"""


def filter_quota_problems(needs, quotas, instance_type):
    return quota_problems(needs, quotas, instance_type)


class FilterModule:
    def filters(self):
        return {"quota_problems": filter_quota_problems}
