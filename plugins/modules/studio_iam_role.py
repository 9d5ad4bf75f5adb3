#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_iam_role
short_description: Create or delete the event's IAM roles, many at once
version_added: 0.1.0
description:
  - Makes each role of O(roles) exist with its trust policy, description, one inline policy
    (O(policy_name)) and the event's O(tags), or, with O(state=absent), deletes every role under
    O(path) that carries all of O(tags), with its policies. Calls run concurrently, paced when IAM
    throttles.
  - A role is the event's only if it carries O(tags). One of that name without them is reported
    as failed, and never changed or deleted; tags the role has besides O(tags) are left alone.
  - Policies are compared as amazon.aws compares them (compare_policies), so that a document equal in
    meaning is unchanged.
options:
  roles:
    description: With O(state=present), the roles.
    type: list
    elements: dict
    suboptions:
      name:
        description: The role name.
        type: str
        required: true
      path:
        description: The role's IAM path.
        type: str
        required: true
      description:
        description: The role's description.
        type: str
        default: ""
      trust_policy:
        description: The trust policy document.
        type: dict
        required: true
      policy:
        description: The inline policy document, named O(policy_name).
        type: dict
        required: true
      tags:
        description: Tags besides O(tags).
        type: dict
        default: {}
  policy_name:
    description: The name of each role's inline policy.
    type: str
  path:
    description: With O(state=absent), the IAM path whose roles carrying O(tags) are deleted.
    type: str
  tags:
    description: The event's tags, which prove a role the event's.
    type: dict
    required: true
  state:
    description: Whether the roles exist.
    type: str
    choices: [present, absent]
    default: present
  concurrency:
    description: How many roles are handled at once.
    type: int
    default: 10
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Create each team's execution role
  hackathon.studio.studio_iam_role:
    roles: "{{ isolation_roles }}"
    policy_name: spring-team
    tags:
      "hackathon:event": spring

- name: Delete the event's roles
  hackathon.studio.studio_iam_role:
    state: absent
    path: /hackathon-studio/spring/
    tags:
      "hackathon:event": spring
"""

RETURN = r"""
results:
  description: One entry per role created, updated, unchanged, deleted or failed.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "spring-team-7", "kind": "iam_roles", "action": "created",
            "arn": "arn:aws:iam::123456789012:role/hackathon-studio/spring/spring-team-7"}]
summary:
  description: How many roles had each action.
  returned: always
  type: dict
  sample: {"created": 250, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils.api import StudioApi, client_config
from ansible_collections.hackathon.studio.plugins.module_utils.common import access_key_argument_spec, aws_errors
from ansible_collections.hackathon.studio.plugins.module_utils.iam_roles import EventRoles, converge
from ansible_collections.hackathon.studio.plugins.module_utils.results import first_denial, summarize

ROLE_OPTIONS = dict(
    name=dict(type="str", required=True),
    path=dict(type="str", required=True),
    description=dict(type="str", default=""),
    trust_policy=dict(type="dict", required=True),
    policy=dict(type="dict", required=True),
    tags=dict(type="dict", default={}),
)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            access_key_argument_spec(),
            roles=dict(type="list", elements="dict", options=ROLE_OPTIONS),
            policy_name=dict(type="str"),
            path=dict(type="str"),
            tags=dict(type="dict", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            concurrency=dict(type="int", default=10),
        ),
        required_if=[("state", "present", ("roles", "policy_name")), ("state", "absent", ("path",))],
        supports_check_mode=True,
    )
    params = module.params
    if not params["tags"]:
        module.fail_json(msg="tags must name the event's tags: they are what proves a role the event's")
    api = StudioApi(module.client("iam", config=client_config(params["concurrency"])))
    roles = EventRoles(api, params["tags"], params["policy_name"], module.check_mode)
    present = params["state"] == "present"
    paths = sorted({role["path"] for role in params["roles"]}) if present else [params["path"]]
    with aws_errors(module, f"list the roles under {', '.join(paths)}", service="iam"):
        items = params["roles"] if present else roles.under_path(params["path"])
        results = converge(roles, items, present, params["concurrency"])
    summary = summarize(results)
    changed = any(summary[action] for action in ("created", "updated", "deleted"))
    failed = [r for r in results if r["action"] == "failed"]
    if failed:
        prefix, denied = first_denial(r["msg"] for r in failed)
        shown = "; ".join(f"{r['name']}: {r['msg']}" for r in failed[:3])
        module.fail_json(
            msg=f"{prefix}{len(failed)} role(s) failed: {shown}",
            results=results,
            summary=summary,
            changed=changed,
            **denied,
        )
    module.exit_json(changed=changed, results=results, summary=summary)


if __name__ == "__main__":
    main()
