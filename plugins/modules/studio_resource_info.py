#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_resource_info
short_description: List the user profiles, spaces and apps of a SageMaker Studio domain, optionally by tags
version_added: 0.1.0
description:
  - Returns every user profile, space and app of a Studio domain in one task, with status, owner,
    sharing, app type, instance type and tags.
  - With O(tags), returns only the resources that carry all of these tags, for example the event tag
    C(hackathon:event), so that resources of others in a shared domain are left out.
  - Resources are found with paginated list calls; their tags take one C(ListTags) call each, run
    concurrently. Apps in C(Deleted) status are left out unless O(include_deleted_apps=true).
  - When C(ListTags) is denied, the module warns and returns those resources with no tags (so a
    O(tags) filter leaves them out) instead of failing.
  - With O(registry), what the registry holds of this domain is added to O(recorded) - the records of
    the user profiles and spaces the event created, and the names of its participants' user profiles and
    team spaces, to warn about; nothing when the table does not exist. Teardown's first look reads it so.
options:
  domain_id:
    description: The Studio domain, for example C(d-xxxxxxxxxxxx).
    type: str
    required: true
  tags:
    description:
      - Return only the resources that have every one of these tags with this value.
      - All resources when unset.
    type: dict
  include_deleted_apps:
    description:
      - Also return apps in C(Deleted) status, which AWS lists for a while after they stop.
      - Their tags are not read, so they have none here and a O(tags) filter leaves them out. An app
        stopped and started again under the same name is listed once, live.
    type: bool
    default: false
  read_tags:
    description:
      - Read each resource's tags (one C(ListTags) call each). With V(false) only the three list calls
        are made, every resource's C(tags) is C(None), and O(tags) cannot be used.
    type: bool
    default: true
  concurrency:
    description: How many C(ListTags) calls run at once.
    type: int
    default: 10
  kinds:
    description:
      - List only these kinds of resource; the others are left out of the result. Each kind left out
        saves its paginated list calls.
    type: list
    elements: str
    choices: [user_profiles, spaces, apps]
    default: [user_profiles, spaces, apps]
  recorded:
    description:
      - What the event's registry recorded when the event created it, per kind (C(user_profiles),
        C(spaces)), as lists of C(name) and C(creation_time). A resource whose name and C(CreationTime) match
        a record passes the O(tags) filter without its tags being read (C(proof=registry)); one that only
        has a recorded name does not, and is named in a warning. A record without C(creation_time) only
        names a resource the event expects, for that warning.
    type: dict
    default: {}
  owned:
    description:
      - Also return what the returned user profiles and spaces own, which is theirs whatever its tags
        (C(proof=owner)), that is the private spaces of those user profiles, and the apps of those spaces and
        user profiles. Apps are then returned only so, and their tags are not read.
      - What a teardown must remove before the resources it owns.
    type: bool
    default: false
extends_documentation_fragment:
  - hackathon.studio.registry
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode; it only reads.
"""

EXAMPLES = r"""
- name: Everything of the event
  hackathon.studio.studio_resource_info:
    domain_id: d-xxxxxxxxxxxx
    tags:
      hackathon:event: spring-2026
  register: event

- name: Say which apps are still running
  ansible.builtin.debug:
    msg: "{{ event.apps | selectattr('status', 'eq', 'InService') | map(attribute='space') | list }}"

- name: Everything of the domain, including apps stopped recently
  hackathon.studio.studio_resource_info:
    domain_id: d-xxxxxxxxxxxx
    include_deleted_apps: true
"""

RETURN = r"""
user_profiles:
  description: The user profiles, sorted by name; C([]) when none matches.
  returned: when O(kinds) includes it (by default)
  type: list
  elements: dict
  contains:
    name:
      description: The user profile name.
      type: str
      sample: ada-lovelace-1a2b3c
    user_profile_name:
      description: The user profile name, as AWS lists it.
      type: str
      sample: ada-lovelace-1a2b3c
    status:
      description: Its status.
      type: str
      sample: InService
    domain_id:
      description: The domain.
      type: str
      sample: d-xxxxxxxxxxxx
    creation_time:
      description: When it was created.
      type: str
    last_modified_time:
      description: When it last changed.
      type: str
    tags:
      description: Its tags.
      type: dict
      sample: {"hackathon:event": "spring-2026"}
    proof:
      description:
        - With O(tags), why it is the event's - V(tag), V(registry) (its recorded identity) or V(owner)
          (see O(owned)).
      type: str
spaces:
  description: The spaces, sorted by name; C([]) when none matches.
  returned: when O(kinds) includes it (by default)
  type: list
  elements: dict
  contains:
    name:
      description: The space name.
      type: str
      sample: ada-lovelace-1a2b3c
    space_name:
      description: The space name, as AWS lists it.
      type: str
    status:
      description: Its status.
      type: str
      sample: InService
    owner:
      description: The user profile that owns it, if any.
      type: str
      sample: ada-lovelace-1a2b3c
    sharing:
      description: Who may open it.
      type: str
      choices: [private, shared]
    app_type:
      description: The app type it runs.
      type: str
      sample: JupyterLab
    space_display_name:
      description: Its display name, if any.
      type: str
    space_settings_summary:
      description: Its settings (app type, storage), as AWS lists them.
      type: dict
    ownership_settings_summary:
      description: Its owner, as AWS lists it.
      type: dict
    space_sharing_settings_summary:
      description: Its sharing type, as AWS lists it.
      type: dict
    domain_id:
      description: The domain.
      type: str
    creation_time:
      description: When it was created.
      type: str
    last_modified_time:
      description: When it last changed.
      type: str
    tags:
      description: Its tags.
      type: dict
    proof:
      description:
        - With O(tags), why it is the event's - V(tag), V(registry) (its recorded identity) or V(owner)
          (see O(owned)).
      type: str
apps:
  description: The apps, sorted by space (or user profile), type and name; C([]) when none matches.
  returned: when O(kinds) includes it (by default)
  type: list
  elements: dict
  contains:
    name:
      description: The app name.
      type: str
      sample: default
    app_name:
      description: The app name, as AWS lists it.
      type: str
    status:
      description: Its status.
      type: str
      sample: InService
    space:
      description: The space it runs in (C(None) for an app of a user profile).
      type: str
    user_profile:
      description: The user profile it belongs to (C(None) for an app of a space).
      type: str
    app_type:
      description: The app type.
      type: str
      sample: JupyterLab
    instance_type:
      description: The instance it runs on.
      type: str
      sample: ml.t3.medium
    resource_spec:
      description: Its resources, as AWS lists them.
      type: dict
    domain_id:
      description: The domain.
      type: str
    creation_time:
      description: When it was created.
      type: str
    tags:
      description: Its tags (none for a C(Deleted) app).
      type: dict
    live:
      description:
        - Whether it runs or is starting (C(Pending) or C(InService)), so costs money and blocks the
          deletion of its space.
      type: bool
    proof:
      description:
        - With O(tags), why it is the event's - V(tag), V(registry) (its recorded identity) or V(owner)
          (see O(owned)).
      type: str
removal:
  description:
    - With O(tags) and O(owned=true), what removing everything these tags mark takes, by kind, by name - the
      live apps (named by their space or user profile) to stop, the spaces and the user profiles to delete.
  returned: when O(tags) is set and O(owned=true)
  type: dict
  sample: {"apps": ["team-1"], "spaces": ["team-1"], "user_profiles": ["ada-lovelace-1a2b3c"]}
msg:
  description: What was found, in one line, for display.
  returned: always
  type: str
  sample: 13 user profiles, 4 spaces, 4 running apps
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils.common import (
    aws_errors,
    common_argument_spec,
    connect,
    read_registry,
    registry_argument_spec,
)
from ansible_collections.hackathon.studio.plugins.module_utils.inventory import Inventory
from ansible_collections.hackathon.studio.plugins.module_utils.plan import LIVE_APP_STATUSES, teardown_lookup

KINDS = ["user_profiles", "spaces", "apps"]


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        tags=dict(type="dict"),
        include_deleted_apps=dict(type="bool", default=False),
        read_tags=dict(type="bool", default=True),
        kinds=dict(type="list", elements="str", choices=KINDS, default=KINDS),
        recorded=dict(type="dict", default={}),
        registry=registry_argument_spec(),
        owned=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params["tags"] and not module.params["read_tags"]:
        module.fail_json(msg="tags filters on the resources' tags, so it needs read_tags: true")
    recorded = module.params["recorded"]
    if module.params["registry"]:
        options = module.params["registry"]
        registered = teardown_lookup(
            read_registry(module, options["table"], options["event"], module.params["domain_id"])
        )
        recorded = {kind: list(recorded.get(kind) or []) + registered[kind] for kind in registered}
    inventory = Inventory(connect(module))
    with aws_errors(module, f"list the resources of Studio domain {module.params['domain_id']}"):
        found = inventory.collect(
            tags=module.params["tags"],
            include_deleted_apps=module.params["include_deleted_apps"],
            read_tags=module.params["read_tags"],
            kinds=module.params["kinds"],
            recorded=recorded,
            owned=module.params["owned"],
        )
    for warning in inventory.warnings:
        module.warn(warning)
    module.exit_json(changed=False, **found, **shown(found, bool(module.params["tags"]) and module.params["owned"]))


def shown(found: dict, owned_by_tags: bool) -> dict:
    """Each app's ``live``, the ``msg`` line, and with tags and owned the ``removal`` it amounts to."""
    for app in found.get("apps") or []:
        app["live"] = app["status"] in LIVE_APP_STATUSES
    live = [app for app in found.get("apps") or [] if app["live"]]
    profiles, spaces = found.get("user_profiles") or [], found.get("spaces") or []
    extra = {"msg": f"{len(profiles)} user profiles, {len(spaces)} spaces, {len(live)} running apps"}
    if not (profiles or spaces or live):
        extra["msg"] = "nothing found"
    if owned_by_tags:
        extra["removal"] = {
            "apps": [app["space"] or app["user_profile"] for app in live],
            "spaces": [space["name"] for space in spaces],
            "user_profiles": [profile["name"] for profile in profiles],
        }
    return extra


if __name__ == "__main__":
    main()
