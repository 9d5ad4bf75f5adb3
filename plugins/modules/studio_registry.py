#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_registry
short_description: Keep a hackathon's registry in DynamoDB
version_added: 0.1.0
description:
  - Manages the event registry, a DynamoDB table holding the event's configuration and one item per
    participant (email, team, user profile, space). One table can hold several events.
  - Creates the table when it is missing (on-demand billing, tagged with O(tags)) and waits until it is
    ACTIVE; a table another run is creating is waited for, and one being deleted is waited for until it
    is gone, then created anew. Waits end after O(wait_timeout).
  - Throttled and failed DynamoDB calls are retried with jittered backoff, and writes DynamoDB hands
    back unprocessed are sent again a bounded number of times; the module fails naming how many were left.
  - Writes only what differs, in batches; a second identical run changes nothing.
options:
  table:
    description: The DynamoDB table name.
    type: str
    required: true
  event:
    description: The event name; items of other events are never touched.
    type: str
    required: true
  domain_id:
    description:
      - For an event spread over several domains, the domain this run is about; its configuration is
        kept apart and only its participants are written and pruned.
    type: str
  state:
    description:
      - V(present) creates the table if needed and writes O(config) and O(participants).
      - V(absent) deletes the event's items, and the table too with O(delete_table=true).
    type: str
    choices: [present, absent]
    default: present
  config:
    description: The event's configuration (region, domain id, settings); left alone when unset.
    type: dict
  participants:
    description: The event's participants; left alone when unset.
    type: list
    elements: dict
    suboptions:
      email:
        description: The participant's email, the item's key (case-insensitive).
        type: str
        required: true
      team:
        description: The team as written in the roster.
        type: str
      user_profile:
        description: The participant's user profile name.
        type: str
      space:
        description: The participant's team space name.
        type: str
      domain_id:
        description: The Studio domain the participant is in.
        type: str
  resources:
    description:
      - The identity of resources the event created (their name and C(CreationTime), as the resource
        modules return them), recorded so that teardown and prune can prove them the event's without
        reading their tags. Left alone when unset.
    type: list
    elements: dict
    suboptions:
      kind:
        description: The kind of resource.
        type: str
        required: true
        choices: [user_profiles, spaces]
      name:
        description: Its name.
        type: str
        required: true
      creation_time:
        description: Its C(CreationTime).
        type: str
        required: true
      settings:
        description: For a space, the app settings the run set on it (its result's C(settings)).
        type: str
  prune:
    description:
      - With O(participants), also remove the event's participants not listed.
      - With O(resources), also remove the records not listed.
    type: bool
    default: false
  delete_table:
    description: With O(state=absent), delete the whole table (all events in it).
    type: bool
    default: false
  tags:
    description: Tags for the table when it is created.
    type: dict
    default: {}
  wait_timeout:
    description: Seconds to wait for the table to turn ACTIVE, or for a table being deleted to go.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode.
"""

EXAMPLES = r"""
- name: Record the event's configuration and participants
  hackathon.studio.studio_registry:
    table: hackathon-studio-registry
    event: spring-2026
    config:
      region: eu-west-1
      domain_id: d-xxxxxxxxxxxx
    participants:
      - email: ada@example.org
        team: "7"
        user_profile: ada-4fz2kq7a
        space: team-7
    prune: true

- name: Forget the event
  hackathon.studio.studio_registry:
    table: hackathon-studio-registry
    event: spring-2026
    state: absent
"""

RETURN = r"""
table_created:
  description: Whether the table was created (or would be, in check mode).
  returned: always
  type: bool
config_changed:
  description: Whether the configuration was written.
  returned: when state is present
  type: bool
added:
  description: Emails of participants added.
  returned: when state is present
  type: list
  elements: str
updated:
  description: Emails of participants whose item changed.
  returned: when state is present
  type: list
  elements: str
removed:
  description: Emails of participants removed (O(prune=true)).
  returned: when state is present
  type: list
  elements: str
items_deleted:
  description: How many of the event's items were deleted.
  returned: when state is absent
  type: int
table_deleted:
  description: Whether the table was deleted.
  returned: when state is absent
  type: bool
results:
  description:
    - One entry per registry item, in the order given, then those removed. With O(state=present), the
      participants given and those O(prune=true) removed, named by email; with O(state=absent), every
      item of the event deleted, named by its key in the table.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The participant's email, or the item's key in the table.
      type: str
      sample: ada@example.org
    kind:
      description: Always V(registry).
      type: str
      sample: registry
    action:
      description: What was done to the item, or would be in check mode.
      type: str
      choices: [created, updated, unchanged, deleted]
summary:
  description: How many items were created, updated, left unchanged, deleted and failed (all five keys, always).
  returned: always
  type: dict
  sample: {"created": 12, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
msg:
  description: What happened to the table and the configuration, in a few words, for display.
  returned: when the table was created or deleted, or the configuration written
  type: str
  sample: table created, configuration recorded
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils.common import (
    access_key_argument_spec,
    aws_errors,
    registry_table_options,
)
from ansible_collections.hackathon.studio.plugins.module_utils.registry import (
    PARTICIPANT_FIELDS,
    RESOURCE_KINDS,
    Registry,
    RegistryError,
    registry_client,
)
from ansible_collections.hackathon.studio.plugins.module_utils.results import item_result, summarize

KIND = "registry"


def participant_results(participants, changes: dict) -> list:
    """One ``results`` entry per participant given or removed, named by email."""
    action = {email: "created" for email in changes["added"]}
    action.update({email: "updated" for email in changes["updated"]})
    given = [p["email"] for p in participants or []]
    results = [item_result(email, KIND, action.get(email, "unchanged")) for email in given]
    return results + [item_result(email, KIND, "deleted") for email in changes["removed"]]


def exit_removed(module, keys: list, table_deleted: bool) -> None:
    """The result of O(state=absent): one ``results`` entry per item deleted, named by its key in the table."""
    results = [item_result(key, KIND, "deleted") for key in keys]
    shown = {"msg": "table deleted"} if table_deleted else {}
    module.exit_json(
        changed=bool(keys) or table_deleted,
        items_deleted=len(keys),
        table_deleted=table_deleted,
        results=results,
        summary=summarize(results),
        **shown,
    )


def argument_spec() -> dict:
    return dict(
        access_key_argument_spec(),
        **registry_table_options(),
        domain_id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        config=dict(type="dict"),
        participants=dict(
            type="list",
            elements="dict",
            options={field: dict(type="str", required=field == "email") for field in PARTICIPANT_FIELDS},
        ),
        resources=dict(
            type="list",
            elements="dict",
            options=dict(
                kind=dict(type="str", required=True, choices=list(RESOURCE_KINDS)),
                name=dict(type="str", required=True),
                creation_time=dict(type="str", required=True),
                settings=dict(type="str"),
            ),
        ),
        prune=dict(type="bool", default=False),
        delete_table=dict(type="bool", default=False),
        tags=dict(type="dict", default={}),
        wait_timeout=dict(type="int", default=300),
    )


def main():
    module = AnsibleAWSModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    registry = Registry(
        registry_client(module),
        params["table"],
        params["event"],
        params["domain_id"],
        module.check_mode,
        timeout=params["wait_timeout"],
    )
    try:
        with aws_errors(module, f"update the registry table {params['table']}", service="dynamodb"):
            if params["state"] == "absent":
                deleted = registry.remove_event()
                table_deleted = registry.delete_table() if params["delete_table"] else False
                exit_removed(module, deleted, table_deleted)
            created = registry.ensure_table(params["tags"])
            changes = {"config": params["config"] is not None, "added": [], "updated": [], "removed": []}
            if created and module.check_mode:  # nothing to read yet: everything would be written
                changes["added"] = [p["email"] for p in params["participants"] or []]
            else:
                changes = registry.sync(params["config"], params["participants"], params["prune"], params["resources"])
    except RegistryError as e:
        module.fail_json(msg=f"Could not update the registry table {params['table']}: {e}")
    changed = created or changes["config"] or any(changes.get(k) for k in ("added", "updated", "removed", "recorded"))
    results = participant_results(params["participants"], changes)
    said = (["table created"] if created else []) + (["configuration recorded"] if changes["config"] else [])
    module.exit_json(
        changed=changed,
        table_created=created,
        config_changed=changes["config"],
        added=changes["added"],
        updated=changes["updated"],
        removed=changes["removed"],
        results=results,
        summary=summarize(results),
        **({"msg": ", ".join(said)} if said else {}),
    )


if __name__ == "__main__":
    main()
