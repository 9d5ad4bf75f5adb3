#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_lifecycle_config
short_description: Manage an event's SageMaker Studio lifecycle configurations
version_added: 0.1.0
description:
  - Creates the event's Studio lifecycle configuration from a script (O(script)), named
    C(hackathon-<event>-<hash of the script>) and tagged with O(tags); deletes the event's others.
  - A lifecycle configuration cannot be changed (the API has no update call), so a changed script is a
    new configuration; point the user profiles and spaces at it, then remove the old ones with
    O(state=absent) and O(keep).
  - Only a configuration that carries O(tags) is the event's; one with the name and without the tags is
    left alone (O(state=present) fails on it).
  - AWS refuses to delete a configuration while an app runs it or a user profile or domain names it;
    such a one is reported unchanged with the reason in its C(msg), and a warning.
options:
  event:
    description: The event's name; its configurations are named C(hackathon-<event>-...).
    type: str
    required: true
  script:
    description:
      - The lifecycle script (text, not base64; the module encodes it). At most 16384 characters once
        base64-encoded (C(StudioLifecycleConfigContent) in botocore's model).
      - Required with O(state=present).
    type: str
  app_type:
    description: The app type the configuration is for.
    type: str
    choices: [JupyterLab]
    default: JupyterLab
  state:
    description:
      - V(present) creates the configuration of O(script) if it is not there.
      - V(absent) deletes every configuration of the event but those named in O(keep).
    type: str
    choices: [present, absent]
    default: present
  keep:
    description: With O(state=absent), the names of the configurations to keep (the one in use).
    type: list
    elements: str
    default: []
  tags:
    description: The event's tags; required, they prove a configuration the event's.
    type: dict
    required: true
    aliases: [resource_tags]
extends_documentation_fragment:
  - hackathon.studio.domain
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode and diff mode. A second identical run makes no changing call.
  - O(domain_id) only gives the partition, region and account of the ARNs; configurations belong to the account.
"""

EXAMPLES = r"""
- name: Create the event's lifecycle configuration
  hackathon.studio.studio_lifecycle_config:
    domain_id: d-xxxxxxxxxxxx
    event: spring-2026
    script: "{{ lookup('ansible.builtin.file', 'on-start.sh') }}"
    tags:
      hackathon:event: spring-2026
  register: lifecycle

- name: Delete the event's configurations but the one in use
  hackathon.studio.studio_lifecycle_config:
    domain_id: d-xxxxxxxxxxxx
    event: spring-2026
    state: absent
    keep: ["{{ lifecycle.name }}"]
    tags:
      hackathon:event: spring-2026
"""

RETURN = r"""
name:
  description: The configuration's name.
  returned: when O(state=present)
  type: str
  sample: hackathon-spring-2026-6a0b817db2
arn:
  description: The configuration's ARN (as it will be, in check mode).
  returned: when O(state=present)
  type: str
results:
  description: One entry per configuration created, found or deleted.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Its name.
      type: str
    kind:
      description: C(lifecycle_configs).
      type: str
    action:
      description: What was done, or would be in check mode.
      type: str
      choices: [created, deleted, unchanged, failed]
    arn:
      description: Its ARN.
      type: str
    msg:
      description: Why it failed or was left.
      type: str
      returned: when it failed or was left in use
summary:
  description: How many configurations the run created, updated, left unchanged, deleted and failed.
  returned: always
  type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils._studio.lifecycle_configs import LifecycleConfigs
from ansible_collections.hackathon.studio.plugins.module_utils.common import aws_errors, common_argument_spec, connect
from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import (
    MaterialError,
    config_name,
    config_prefix,
)
from ansible_collections.hackathon.studio.plugins.module_utils.results import summarize


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        event=dict(type="str", required=True),
        script=dict(type="str"),
        app_type=dict(type="str", choices=["JupyterLab"], default="JupyterLab"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        keep=dict(type="list", elements="str", default=[]),
        tags=dict(type="dict", required=True, aliases=["resource_tags"]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec, required_if=[("state", "present", ["script"])], supports_check_mode=True
    )
    params = module.params
    if not params["tags"]:
        module.fail_json(msg="tags must not be empty: they prove a lifecycle configuration the event's")
    configs = LifecycleConfigs(connect(module))
    prefix = config_prefix(params["event"])
    returned = {}
    with aws_errors(module, f"manage the lifecycle configurations {prefix}-*"):
        if params["state"] == "present":
            name = config_name(params["event"], params["script"])
            try:
                results = [configs.ensure_present(name, params["script"], params["app_type"], params["tags"])]
            except MaterialError as exc:
                module.fail_json(msg=f"lifecycle configuration {name}: {exc}")
            returned = {"name": name, "arn": results[0]["arn"]}
        else:
            results = configs.ensure_absent(prefix, params["tags"], params["keep"])
    for result in results:
        result["changed"] = result["action"] in ("created", "deleted")
        if result["action"] == "unchanged" and result.get("msg"):
            module.warn(result["msg"])
    changed = any(r["changed"] for r in results)
    extra = {"results": results, "summary": summarize(results), **returned}
    if module._diff:
        touched = [r for r in results if r["changed"]]
        extra["diff"] = {
            "before": {r["name"]: {} if r["action"] == "created" else {"arn": r["arn"]} for r in touched},
            "after": {r["name"]: {"arn": r["arn"]} if r["action"] == "created" else {} for r in touched},
        }
    failed = [r for r in results if r["action"] == "failed"]
    if failed:
        module.fail_json(msg="; ".join(r["msg"] for r in failed), changed=changed, **extra)
    module.exit_json(changed=changed, **extra)


if __name__ == "__main__":
    main()
