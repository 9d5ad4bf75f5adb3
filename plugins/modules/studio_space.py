#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_space
short_description: Manage SageMaker Studio spaces, one or many at once
version_added: 0.1.0
description:
  - Creates, updates and deletes spaces of a SageMaker Studio domain.
  - Acts on one space (O(name)) or on a list of them (O(spaces)) in one task, concurrently, with
    pacing that adapts to the API's throttling. What exists is read with paginated list calls.
  - Waits until each space is C(InService) (or gone), with O(wait_timeout).
  - The app type, owner and sharing of a space cannot change without deleting it and its data;
    when they differ from an existing space's, that space fails with a message saying so and is left
    as it is. Storage can grow, never shrink.
options:
  name:
    description:
      - The space name. Matches C([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}); unique in the domain.
      - Exactly one of O(name) and O(spaces) is required.
    type: str
    aliases: [space_name]
  spaces:
    description:
      - Several spaces. Each entry takes the options O(name), O(sharing), O(owner), O(app_type),
        O(storage_size), O(display_name), O(idle_timeout), O(code_repositories), O(lifecycle_config),
        O(image), O(image_version) and O(tags); top-level options are its
        defaults, and its O(tags) are merged over the top-level O(tags).
    type: list
    elements: dict
    suboptions:
      name:
        description: The space name.
        type: str
        required: true
      sharing:
        description: V(shared) or V(private), see O(sharing).
        type: str
        choices: [shared, private]
      owner:
        description: The user profile that owns the space, see O(owner).
        type: str
      app_type:
        description: The app type the space runs, see O(app_type).
        type: str
        choices: [JupyterLab, CodeEditor]
      storage_size:
        description: EBS volume size in GB, see O(storage_size).
        type: int
      display_name:
        description: The name shown in Studio.
        type: str
      idle_timeout:
        description: Minutes of inactivity after which the space's app shuts down, see O(idle_timeout).
        type: int
      code_repositories:
        description: Git repository URLs JupyterLab offers to clone, see O(code_repositories).
        type: list
        elements: str
      lifecycle_config:
        description: The lifecycle configuration ARN the space's app runs at start, see O(lifecycle_config).
        type: str
      image:
        description: The custom SageMaker image the space's app runs, see O(image).
        type: str
      image_version:
        description: The version of O(image), see O(image_version).
        type: int
      tags:
        description: Tags of this space, merged over the top-level O(tags).
        type: dict
  sharing:
    description:
      - V(shared) spaces are open to every user profile of the domain; V(private) ones only to their O(owner).
      - A new space is V(shared) unless this is set. A V(private) space needs an O(owner).
      - Cannot change on an existing space; it is compared only when set.
    type: str
    choices: [shared, private]
  owner:
    description:
      - The user profile that owns the space (C(OwnershipSettings.OwnerUserProfileName)). It must exist
        and be C(InService) when the space is created.
      - Cannot change on an existing space; it is compared only when set.
    type: str
  app_type:
    description:
      - The app type the space runs. Cannot change on an existing space; it is compared only when set.
      - AWS runs V(CodeEditor) in private spaces only (O(sharing=private)); a shared space with it is
        refused before any call.
    type: str
    choices: [JupyterLab, CodeEditor]
  storage_size:
    description:
      - Size of the space's EBS volume in GB (5-16384). The domain's default applies when unset.
      - An existing space's volume grows to this size; it cannot shrink.
    type: int
  display_name:
    description: The name shown in Studio (C(SpaceDisplayName)).
    type: str
  idle_timeout:
    description:
      - Minutes of inactivity (60-525600) after which the space's app shuts down (the idle settings of
        the app type's lifecycle management). Needs O(app_type), or an existing space that has one.
      - Reading the current value of an existing space costs one DescribeSpace call per space.
    type: int
  code_repositories:
    description:
      - Git repository URLs that JupyterLab shows for cloning (C(SpaceSettings.JupyterLabAppSettings.CodeRepositories)).
        At most 10, each C(https://) and at most 1024 characters (C(RepositoryUrl) in botocore's model); checked
        before any call. An empty list removes them.
      - JupyterLab spaces only; a Code Editor space has none (C(SpaceCodeEditorAppSettings) in botocore's model).
    type: list
    elements: str
  lifecycle_config:
    description:
      - The ARN of the Studio lifecycle configuration the space's app runs at start
        (C(JupyterLabAppSettings.DefaultResourceSpec.LifecycleConfigArn)); an empty string removes it.
      - AWS runs it only if it is attached to the owner's user profile or to the domain (their
        C(LifecycleConfigArns)), see M(hackathon.studio.studio_user_profile). JupyterLab spaces only.
    type: str
  image:
    description:
      - The custom SageMaker image the space's app runs (C(DefaultResourceSpec.SageMakerImageArn)); an empty
        string removes it. The image, a version and its app image config must exist (read once per run).
      - AWS runs it only if the owner's user profile or the domain lists it in C(CustomImages). JupyterLab spaces only.
    type: str
  image_version:
    description: The version of O(image) (C(SageMakerImageVersionArn)); the latest when unset.
    type: int
  state:
    description:
      - V(present) creates or updates; V(absent) deletes.
      - V(absent) refuses, naming them, when the space still has apps that are not C(Deleted),
        unless O(cascade=true).
    type: str
    choices: [present, absent]
    default: present
  cascade:
    description:
      - With O(state=absent), first stop the space's apps and wait until they are stopped, then delete
        the space.
    type: bool
    default: false
  wait:
    description: Wait until each space is C(InService), or gone with O(state=absent).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait, for the whole batch.
    type: int
    default: 900
extends_documentation_fragment:
  - hackathon.studio.domain
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - hackathon.studio.tagging
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode and diff mode. A second identical run makes no changing call.
  - Reading or changing tags of an existing space costs one ListTags call per space; leave
    O(tags) unset to leave tags alone.
  - Deleting a space deletes its EBS volume and the data on it.
"""

EXAMPLES = r"""
- name: Create a shared JupyterLab space for a team
  hackathon.studio.studio_space:
    domain_id: d-xxxxxxxxxxxx
    name: team-1
    owner: team-1-organizer
    app_type: JupyterLab
    storage_size: 20
    idle_timeout: 120
    tags:
      hackathon:event: spring-2026

- name: Create a private space for every participant in one task
  hackathon.studio.studio_space:
    domain_id: d-xxxxxxxxxxxx
    sharing: private
    app_type: CodeEditor
    tags:
      hackathon:event: spring-2026
    spaces:
      - name: ada-lovelace-1a2b3c-space
        owner: ada-lovelace-1a2b3c
      - name: alan-turing-4d5e6f-space
        owner: alan-turing-4d5e6f
        storage_size: 50

- name: Delete a space, stopping its apps first
  hackathon.studio.studio_space:
    domain_id: d-xxxxxxxxxxxx
    name: team-1
    state: absent
    cascade: true
"""

RETURN = r"""
results:
  description: One entry per space, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The space name.
      type: str
      sample: team-1
    kind:
      description: What the item is, as the key of its list in P(hackathon.studio.studio_resource_info#module)'s result.
      type: str
      sample: spaces
    action:
      description: What was done, or would be in check mode.
      type: str
      sample: created
      choices: [created, updated, deleted, unchanged, failed]
    changed:
      description: Whether this space was changed.
      type: bool
    status:
      description: Its last known status (C(None) once deleted, or when check mode skipped the call).
      type: str
      sample: InService
    arn:
      description: Its ARN, while it exists.
      type: str
      returned: when it exists after the run
    creation_time:
      description:
        - Its C(CreationTime) in UTC, while it exists; with the name, its identity, which the event's
          registry records (see O(recorded)).
      type: str
      returned: when it exists after the run
    settings:
      description:
        - The event's app settings the space has after the run, each in short (JSON), for the registry to
          keep and give back in O(recorded).
      type: str
      returned: when it exists after the run and the run set (or the registry recorded) app settings
    tags:
      description:
        - Its tags as the run left them (those asked for, when the run had no need to read them).
      type: dict
      returned: when O(state=present), it did not fail and it has tags
      sample: {"hackathon:event": "spring"}
    resource:
      description:
        - The space as AWS lists it after the run, in snake_case (C(domain_id), C(space_name), C(status),
          C(creation_time), C(last_modified_time)).
      type: dict
      returned: when it exists after the run
    msg:
      description: Why this space failed, or why it was left alone when it was to be removed (also a warning).
      type: str
      returned: when action is failed, or when the space was left alone
summary:
  description: How many spaces the run created, updated, left unchanged, deleted and failed (all five keys, always).
  returned: always
  type: dict
  sample: {"created": 4, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
failed_count:
  description: How many spaces failed.
  returned: when some failed
  type: int
"""

from ansible_collections.hackathon.studio.plugins.module_utils._studio.spaces import Spaces
from ansible_collections.hackathon.studio.plugins.module_utils.common import resource_argument_spec, run_resource_module

ITEM_OPTIONS = (
    "name",
    "sharing",
    "owner",
    "app_type",
    "storage_size",
    "display_name",
    "idle_timeout",
    "code_repositories",
    "lifecycle_config",
    "image",
    "image_version",
    "tags",
)
MATERIAL_OPTIONS = dict(
    code_repositories=dict(type="list", elements="str"),
    lifecycle_config=dict(type="str"),
    image=dict(type="str"),
    image_version=dict(type="int"),
)
SHARING = ["shared", "private"]
APP_TYPES = ["JupyterLab", "CodeEditor"]


def main():
    argument_spec = resource_argument_spec()
    argument_spec.update(
        name=dict(type="str", aliases=["space_name"]),
        spaces=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                sharing=dict(type="str", choices=SHARING),
                owner=dict(type="str"),
                app_type=dict(type="str", choices=APP_TYPES),
                storage_size=dict(type="int"),
                display_name=dict(type="str"),
                idle_timeout=dict(type="int"),
                tags=dict(type="dict"),
                **MATERIAL_OPTIONS,
            ),
        ),
        sharing=dict(type="str", choices=SHARING),
        owner=dict(type="str"),
        app_type=dict(type="str", choices=APP_TYPES),
        storage_size=dict(type="int"),
        display_name=dict(type="str"),
        idle_timeout=dict(type="int"),
        cascade=dict(type="bool", default=False),
        **MATERIAL_OPTIONS,
    )
    run_resource_module(argument_spec, "name", "spaces", ITEM_OPTIONS, Spaces, "spaces")


if __name__ == "__main__":
    main()
