# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hackathon.studio.plugins.module_utils.iam_policy import organizer_policy as build
from ansible_collections.hackathon.studio.plugins.module_utils.iam_policy import portal_policy

DOCUMENTATION = r"""
name: organizer_policy
short_description: The organizer's least-privilege IAM policy for an event's Studio domains
version_added: 0.1.0
description:
  - Builds the IAM policy document that lets its holder run the event's playbooks and nothing else.
    Studio resources are created only tagged C(hackathon:event=<event>), and read, deleted or logged
    into only when they carry that tag, in the given domains; the registry's items only under the
    event's partition key. docs/IAM.md explains every statement.
positional: event
options:
  _input:
    description:
      - The domains, one dict per inventory host, with the keys C(region), C(domain_id), C(registry_table)
        and C(delete_registry) (whether teardown deletes that table, as C(studio_delete_registry) says).
    type: list
    elements: dict
    required: true
  event:
    description: The event name (C(studio_event)).
    type: str
    required: true
  account:
    description: The AWS account id in the ARNs; C(*) when unknown (the domain ids still narrow them).
    type: str
    default: "*"
  execution_roles:
    description:
      - IAM role ARNs that user profiles are given as execution role. Only then does the policy allow
        C(iam:PassRole), on exactly these roles and only to SageMaker.
    type: list
    elements: str
    default: []
  portal:
    description:
      - The participant portal's policy instead (C(studio iam-policy --portal)), for the credentials it
        runs with; it takes no O(execution_roles).
    type: bool
    default: false
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
policy: >-
  {{ [{'region': 'eu-west-1', 'domain_id': 'd-xxxxxxxxxxxx', 'registry_table': 'hackathon-studio-registry'}]
     | hackathon.studio.organizer_policy('spring-2026') | to_nice_json }}
"""

RETURN = r"""
_value:
  description: The IAM policy document.
  type: dict
"""


def organizer_policy(domains, event, account="*", execution_roles=(), portal=False):
    try:
        return (
            portal_policy(event, domains, account) if portal else build(event, domains, account, execution_roles or ())
        )
    except ValueError as exc:
        whose = "portal's" if portal else "organizer's"
        raise AnsibleFilterError(f"cannot write the {whose} IAM policy: {exc}") from None


class FilterModule:
    def filters(self):
        return {"organizer_policy": organizer_policy}
