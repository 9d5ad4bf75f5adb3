#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_app
short_description: Start and stop the apps of SageMaker Studio spaces, one or many at once
version_added: 0.1.0
description:
  - Starts (V(present)) and stops (V(absent)) the app of a space of a SageMaker Studio domain.
    Stopping an app deletes it; the space and its data stay.
  - Acts on one app (O(space)) or on a list of them (O(apps)) in one task, concurrently, with
    pacing that adapts to the API's throttling. What exists is read with paginated list calls.
  - Waits until each app is C(InService) (or stopped), with O(wait_timeout).
  - Handles what AWS does to apps. A C(Failed) app is started again by V(present) and left as it
    is by V(absent) (it is not running). A C(Deleted) app counts as stopped. An app that is already
    C(Deleting) is waited for, not deleted again; V(present) starts it again once it has stopped.
  - An app whose instance type differs from O(instance_type) is restarted on the new instance type.
  - A new app runs the lifecycle configuration and custom image its own request names (O(lifecycle_config),
    O(image)), not its space's defaults. A running app is not restarted for them; it keeps what it runs.
options:
  space:
    description:
      - The space the app belongs to. It must be C(InService) for its app to start.
      - Exactly one of O(space) and O(apps) is required.
    type: str
    aliases: [space_name]
  apps:
    description:
      - Several apps. Each entry takes the options O(space), O(app_type), O(app_name),
        O(instance_type), O(lifecycle_config), O(image), O(image_version) and O(tags); top-level options
        are its defaults, and its O(tags) are merged over the top-level O(tags).
    type: list
    elements: dict
    suboptions:
      space:
        description: The space the app belongs to.
        type: str
        required: true
      app_type:
        description: The app type, see O(app_type).
        type: str
        choices: [JupyterLab, CodeEditor]
      app_name:
        description: The app name, see O(app_name).
        type: str
      instance_type:
        description: The instance type, see O(instance_type).
        type: str
      lifecycle_config:
        description: The lifecycle configuration ARN the app runs at start, see O(lifecycle_config).
        type: str
      image:
        description: The custom SageMaker image the app runs, see O(image).
        type: str
      image_version:
        description: The version of O(image), see O(image_version).
        type: int
      tags:
        description: Tags of this app, merged over the top-level O(tags).
        type: dict
  app_type:
    description: The app type. It must be the app type of the space.
    type: str
    choices: [JupyterLab, CodeEditor]
    default: JupyterLab
  app_name:
    description: The app name. Studio names the app of a space C(default).
    type: str
    default: default
  instance_type:
    description:
      - The instance type the app runs on, for example C(ml.t3.medium) or C(ml.m5.large).
      - An app is started on C(ml.t3.medium) when this is unset. A running app is restarted on this
        instance type when it runs on another; it is left alone when this is unset.
    type: str
  lifecycle_config:
    description:
      - The ARN of the Studio lifecycle configuration a new app runs at start (C(ResourceSpec.LifecycleConfigArn)
        of CreateApp); unset or empty, none. JupyterLab apps only.
      - AWS runs it only if it is attached to the space owner's user profile or to the domain (their
        C(LifecycleConfigArns)), see M(hackathon.studio.studio_user_profile).
      - A running app is left as it is, whatever it runs; stop it (V(absent)) and start it again to change it.
    type: str
  image:
    description:
      - The custom SageMaker image a new app runs (C(ResourceSpec.SageMakerImageArn) of CreateApp); unset or
        empty, the default image. The image, a version and its app image config must exist (read once per run).
      - AWS runs it only if the space owner's user profile or the domain lists it in C(CustomImages).
        JupyterLab apps only. A running app is left as it is.
    type: str
  image_version:
    description: The version of O(image) (C(SageMakerImageVersionArn)); the latest when unset.
    type: int
  state:
    description: V(present) starts the app (C(InService)); V(absent) stops it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait until each app is C(InService), or stopped with O(state=absent).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait, for the whole batch. An app starts in a few minutes on AWS.
      - When it runs out, each app still on its way is reported failed with its last status.
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
  - Reading or changing tags of a running app costs one ListTags call per app; leave O(tags) unset
    to leave tags alone. An app started again (after a failure or on another instance type) keeps
    the tags of the app it replaces unless O(tags) says otherwise.
  - A running app costs money by the hour; stop apps the event does not use.
"""

EXAMPLES = r"""
- name: Start the JupyterLab app of a space
  hackathon.studio.studio_app:
    domain_id: d-xxxxxxxxxxxx
    space: team-1
    tags:
      hackathon:event: spring-2026

- name: Start the apps of many spaces in one task, one of them on a larger instance
  hackathon.studio.studio_app:
    domain_id: d-xxxxxxxxxxxx
    app_type: CodeEditor
    tags:
      hackathon:event: spring-2026
    apps:
      - space: ada-lovelace-1a2b3c-space
      - space: alan-turing-4d5e6f-space
        instance_type: ml.m5.large

- name: Start the app of a space with the event's lifecycle configuration and custom image
  hackathon.studio.studio_app:
    domain_id: d-xxxxxxxxxxxx
    space: team-1
    lifecycle_config: arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/hackathon-spring-2026-1a2b3c
    image: course-image
    image_version: 2

- name: Stop the app of a space, without waiting
  hackathon.studio.studio_app:
    domain_id: d-xxxxxxxxxxxx
    space: team-1
    state: absent
    wait: false
"""

RETURN = r"""
results:
  description: One entry per app, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The app, as messages name it.
      type: str
      sample: JupyterLab/default of space team-1
    kind:
      description: What the item is, as the key of its list in P(hackathon.studio.studio_resource_info#module)'s result.
      type: str
      sample: apps
    space:
      description: The space of the app.
      type: str
      sample: team-1
    app_type:
      description: The app type.
      type: str
      sample: JupyterLab
    app_name:
      description: The app name.
      type: str
      sample: default
    action:
      description:
        - What was done, or would be in check mode. V(created) starts an app (also one that had
          failed); V(updated) restarts it on another instance type.
      type: str
      sample: created
      choices: [created, updated, deleted, unchanged, failed]
    changed:
      description: Whether this app was started, restarted or stopped.
      type: bool
    status:
      description:
        - Its last known status (C(Deleted) or C(None) once stopped, C(Failed) for a failed app left
          alone, or the status before the run when check mode skipped the call).
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
        - The app as AWS lists it after the run, in snake_case (C(domain_id), C(app_name), C(app_type), C(status),
          C(creation_time)).
      type: dict
      returned: when it exists after the run
    msg:
      description: Why this app failed, or why it was left alone when it was to be removed (also a warning).
      type: str
      returned: when action is failed, or when the app was left alone
summary:
  description: How many apps the run created, updated, left unchanged, deleted and failed (all five keys, always).
  returned: always
  type: dict
  sample: {"created": 4, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
failed_count:
  description: How many apps failed.
  returned: when some failed
  type: int
"""

from ansible_collections.hackathon.studio.plugins.module_utils._studio.apps import Apps
from ansible_collections.hackathon.studio.plugins.module_utils.common import resource_argument_spec, run_resource_module

ITEM_OPTIONS = ("space", "app_type", "app_name", "instance_type", "lifecycle_config", "image", "image_version", "tags")
MATERIAL_OPTIONS = dict(lifecycle_config=dict(type="str"), image=dict(type="str"), image_version=dict(type="int"))
APP_TYPES = ["JupyterLab", "CodeEditor"]


def main():
    argument_spec = resource_argument_spec()
    argument_spec.update(
        space=dict(type="str", aliases=["space_name"]),
        apps=dict(
            type="list",
            elements="dict",
            options=dict(
                space=dict(type="str", required=True),
                app_type=dict(type="str", choices=APP_TYPES),
                app_name=dict(type="str"),
                instance_type=dict(type="str"),
                tags=dict(type="dict"),
                **MATERIAL_OPTIONS,
            ),
        ),
        app_type=dict(type="str", choices=APP_TYPES, default="JupyterLab"),
        app_name=dict(type="str", default="default"),
        instance_type=dict(type="str"),
        **MATERIAL_OPTIONS,
    )
    run_resource_module(argument_spec, "space", "apps", ITEM_OPTIONS, Apps, "apps")


if __name__ == "__main__":
    main()
