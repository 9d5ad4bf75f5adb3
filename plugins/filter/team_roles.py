# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hackathon.studio.plugins.module_utils.isolation import team_roles as build

DOCUMENTATION = r"""
name: team_roles
short_description: The IAM execution role of each team, for team isolation
version_added: 0.1.0
description:
  - One role per team space, for C(studio_isolation) V(team) or V(strict); its policy lets the team's
    participants start, open and stop apps in their own team space only (in V(strict), each in their
    own private space only), on the allowed instance types, and mint a login URL for their own user
    profile only. docs/ISOLATION.md explains what this guarantees.
positional: event, path, domain, mode
options:
  _input:
    description:
      - The participants (the roster's C(participants)), each with C(team), C(space) and C(user_profile)
        (and C(personal_space) in V(strict)).
    type: list
    elements: dict
    required: true
  event:
    description: The event name (C(studio_event)).
    type: str
    required: true
  path:
    description: The IAM path the roles are created under (C(studio_iam_path)).
    type: str
    required: true
  domain:
    description: The domain, a dict with C(region) and C(domain_id).
    type: dict
    required: true
  mode:
    description: C(studio_isolation).
    type: str
    choices: [team, strict]
    required: true
  instance_types:
    description: The instance types participants may start apps on; empty allows any.
    type: list
    elements: str
    default: []
  account:
    description: The AWS account id in the ARNs.
    type: str
    default: "*"
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
roles: >-
  {{ roster_result.participants | hackathon.studio.team_roles('spring', '/hackathon-studio/spring/',
     {'region': 'eu-west-1', 'domain_id': 'd-xxxxxxxxxxxx'}, 'team', instance_types=['ml.t3.medium']) }}
"""

RETURN = r"""
_value:
  description:
    - One dict per team, with C(role) (as P(hackathon.studio.studio_iam_role#module) takes it), its
      C(arn), the team's C(space), and C(profiles) (its members' user profiles with the role as
      C(execution_role)).
  type: list
  elements: dict
"""


def team_roles(participants, event, path, domain, mode, instance_types=(), account="*"):
    try:
        return build(event, path, participants, domain, mode, instance_types or (), account)
    except (ValueError, KeyError) as exc:
        raise AnsibleFilterError(f"cannot write the teams' IAM roles: {exc}") from None


class FilterModule:
    def filters(self):
        return {"team_roles": team_roles}
