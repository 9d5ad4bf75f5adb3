#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_user_profile
short_description: Manage SageMaker Studio user profiles, one or many at once
version_added: 0.1.0
description:
  - Creates, updates and deletes user profiles of a SageMaker Studio domain.
  - Acts on one profile (O(name)) or on a list of them (O(profiles)) in one task, concurrently, with
    pacing that adapts to the API's throttling. What exists is read with paginated list calls.
  - Waits until each profile is C(InService) (or gone), with O(wait_timeout).
options:
  name:
    description:
      - The user profile name. Matches C([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}); unique case-insensitively in the domain.
      - Exactly one of O(name) and O(profiles) is required.
    type: str
    aliases: [user_profile_name]
  profiles:
    description:
      - Several user profiles. Each entry takes the options O(name), O(execution_role), O(lifecycle_config),
        O(image), O(image_version), O(image_app_config) and O(tags);
        top-level options are its defaults, and its O(tags) are merged over the top-level O(tags).
    type: list
    elements: dict
    suboptions:
      name:
        description: The user profile name.
        type: str
        required: true
      execution_role:
        description: IAM role ARN the profile's apps run as.
        type: str
      lifecycle_config:
        description: The lifecycle configuration ARN attached to the profile, see O(lifecycle_config).
        type: str
      image:
        description: The custom SageMaker image the profile may run, see O(image).
        type: str
      image_version:
        description: The version of O(image).
        type: int
      image_app_config:
        description: The app image config of O(image).
        type: str
      tags:
        description: Tags of this profile, merged over the top-level O(tags).
        type: dict
  execution_role:
    description:
      - IAM role ARN the profile's apps run as (C(UserSettings.ExecutionRole)). The domain's default
        applies when unset; an existing profile's role is left alone unless this is set.
    type: str
  lifecycle_config:
    description:
      - The ARN of a JupyterLab Studio lifecycle configuration, attached to the profile
        (C(UserSettings.JupyterLabAppSettings.LifecycleConfigArns)) and made its default
        (C(DefaultResourceSpec.LifecycleConfigArn)); an empty string detaches it. AWS runs a lifecycle
        configuration in an app only if it is attached to the user profile or the domain.
      - The profile's other JupyterLab settings are kept; reading them costs one DescribeUserProfile call per profile.
    type: str
  image:
    description:
      - A custom SageMaker image the profile's JupyterLab apps may run (C(JupyterLabAppSettings.CustomImages),
        this one image); an empty string removes it.
    type: str
  image_version:
    description: The version of O(image) (C(ImageVersionNumber)); the latest when unset.
    type: int
  image_app_config:
    description: The app image config of O(image) (C(AppImageConfigName)); the image's name when unset.
    type: str
  state:
    description:
      - V(present) creates or updates; V(absent) deletes.
      - V(absent) refuses, naming them, when the profile still owns spaces or has apps, unless O(cascade=true).
    type: str
    choices: [present, absent]
    default: present
  cascade:
    description:
      - With O(state=absent), first stop the profile's apps and delete its private spaces, in order,
        waiting for each stage. Shared spaces are never deleted with their owner.
    type: bool
    default: false
  wait:
    description: Wait until each profile is C(InService), or gone with O(state=absent).
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
  - Reading or changing tags of an existing profile costs one ListTags call per profile; leave
    O(tags) unset to leave tags alone.
"""

EXAMPLES = r"""
- name: Create one user profile with the event tag
  hackathon.studio.studio_user_profile:
    domain_id: d-xxxxxxxxxxxx
    name: ada-lovelace-1a2b3c
    tags:
      hackathon:event: spring-2026

- name: Create a whole roster in one task
  hackathon.studio.studio_user_profile:
    domain_id: d-xxxxxxxxxxxx
    tags:
      hackathon:event: spring-2026
    profiles:
      - name: ada-lovelace-1a2b3c
      - name: alan-turing-4d5e6f
        execution_role: arn:aws:iam::123456789012:role/HackathonStudioRole

- name: Remove a participant, stopping their apps and deleting their private space first
  hackathon.studio.studio_user_profile:
    domain_id: d-xxxxxxxxxxxx
    name: ada-lovelace-1a2b3c
    state: absent
    cascade: true
"""

RETURN = r"""
results:
  description: One entry per profile, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The user profile name.
      type: str
      sample: ada-lovelace-1a2b3c
    kind:
      description: What the item is, as the key of its list in P(hackathon.studio.studio_resource_info#module)'s result.
      type: str
      sample: user_profiles
    action:
      description: What was done, or would be in check mode.
      type: str
      sample: created
      choices: [created, updated, deleted, unchanged, failed]
    changed:
      description: Whether this profile was changed.
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
    tags:
      description:
        - Its tags as the run left them (those asked for, when the run had no need to read them).
      type: dict
      returned: when O(state=present), it did not fail and it has tags
      sample: {"hackathon:event": "spring"}
    resource:
      description:
        - The user profile as AWS lists it after the run, in snake_case (C(domain_id), C(user_profile_name), C(status),
          C(creation_time), C(last_modified_time)).
      type: dict
      returned: when it exists after the run
    msg:
      description: Why this profile failed, or why it was left alone when it was to be removed (also a warning).
      type: str
      returned: when action is failed, or when the profile was left alone
summary:
  description: How many profiles the run created, updated, left unchanged, deleted and failed (all five keys, always).
  returned: always
  type: dict
  sample: {"created": 4, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
failed_count:
  description: How many profiles failed.
  returned: when some failed
  type: int
"""

from ansible_collections.hackathon.studio.plugins.module_utils._studio.profiles import UserProfiles
from ansible_collections.hackathon.studio.plugins.module_utils.common import resource_argument_spec, run_resource_module

ITEM_OPTIONS = ("name", "execution_role", "lifecycle_config", "image", "image_version", "image_app_config", "tags")
MATERIAL_OPTIONS = dict(
    lifecycle_config=dict(type="str"),
    image=dict(type="str"),
    image_version=dict(type="int"),
    image_app_config=dict(type="str"),
)


def main():
    argument_spec = resource_argument_spec()
    argument_spec.update(
        name=dict(type="str", aliases=["user_profile_name"]),
        profiles=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                execution_role=dict(type="str"),
                tags=dict(type="dict"),
                **MATERIAL_OPTIONS,
            ),
        ),
        execution_role=dict(type="str"),
        cascade=dict(type="bool", default=False),
        **MATERIAL_OPTIONS,
    )
    run_resource_module(argument_spec, "name", "profiles", ITEM_OPTIONS, UserProfiles, "user_profiles")


if __name__ == "__main__":
    main()
