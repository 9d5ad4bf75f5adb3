# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.plan import quota_needs

DOCUMENTATION = r"""
name: quota_needs
short_description: What exists of each kind and what the event adds, against its quota
version_added: 0.3.0
description:
  - For each kind the listing holds, how many exist in the domain (apps - live ones on O(instance_type),
    what AWS's quota counts), how many the roster adds that are not there yet, the quota, and whether
    both fit in it.
options:
  _input:
    description: The listing of M(hackathon.studio.studio_resource_info), with only the kinds to check.
    type: dict
    required: true
  roster:
    description: The roster, as M(hackathon.studio.studio_roster) returns it.
    type: dict
    required: true
  quotas:
    description: The quota of each kind; null is not checked.
    type: dict
    required: true
  organizer:
    description: The organizer's user profile, which the event creates too.
    type: str
    required: true
  instance_type:
    description: The instance type of the event's apps.
    type: str
    required: true
  personal_spaces:
    description: Whether setup creates a private space per participant.
    type: bool
    default: false
  codes:
    description: The Service Quotas code of each kind's quota (M(hackathon.studio.studio_quota_info)'s C(quota_codes)).
    type: dict
    default: {}
  region:
    description: The region of the quotas, for the increase request.
    type: str
    default: ""
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
needs: "{{ found | hackathon.studio.quota_needs(roster_result, quotas, 'ev-organizer', 'ml.t3.medium') }}"
"""

RETURN = r"""
_value:
  description:
    - Per kind listed, a dict of C(exist), C(new), C(quota), C(fits) and C(ask), what to do when it does
      not fit (the ready-to-run C(aws service-quotas request-service-quota-increase) when the code is known).
  type: dict
"""


def filter_quota_needs(found, roster, quotas, organizer, instance_type, personal_spaces=False, codes=None, region=""):
    return quota_needs(found, roster, quotas, organizer, instance_type, bool(personal_spaces), codes or {}, region)


class FilterModule:
    def filters(self):
        return {"quota_needs": filter_quota_needs}
