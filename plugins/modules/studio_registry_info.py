#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_registry_info
short_description: Read a hackathon's registry from DynamoDB
version_added: 0.1.0
description:
  - Returns the event's configuration and participants from the registry table that
    M(hackathon.studio.studio_registry) writes, and the participant portal's logins from its audit trail.
options:
  domain_id:
    description: Only this domain's configuration and participants, for an event spread over several domains.
    type: str
extends_documentation_fragment:
  - hackathon.studio.registry.table
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Read the registry
  hackathon.studio.studio_registry_info:
    table: hackathon-studio-registry
    event: spring-2026
  register: registry
"""

RETURN = r"""
exists:
  description: Whether the table exists.
  returned: always
  type: bool
config:
  description: The event's configuration, C({}) when none was recorded.
  returned: always
  type: dict
participants:
  description: The event's participants, sorted by email; C([]) when none.
  returned: always
  type: list
  elements: dict
  contains:
    email:
      description: The participant's email.
      type: str
    team:
      description: The team as written in the roster.
      type: str
    user_profile:
      description: The user profile name.
      type: str
    space:
      description: The team space name.
      type: str
    domain_id:
      description: The Studio domain.
      type: str
msg:
  description: How many participants the event has registered, or that there is no table yet, in one line, for display.
  returned: always
  type: str
  sample: 12 participants registered
logins:
  description:
    - The participant portal's logins per lower-case email, from its audit trail (every attempt of
      the whole event, whatever the domain); C({}) when nobody has tried to log in.
    - Each has C(last_login) (UTC, ISO 8601, null until a login succeeds), C(logins) (how many
      succeeded) and C(failed_logins) (how many attempts did not).
  returned: always
  type: dict
  sample: {"ada@example.org": {"last_login": "2026-11-26T09:00:00.000000Z", "logins": 2, "failed_logins": 1}}
recorded:
  description:
    - The identity of each resource the event created, by kind (C(user_profiles), C(spaces)), as lists of
      C(name) and C(creation_time), as O(hackathon.studio.studio_resource_info#module:recorded) takes them,
      and for a space the C(settings) the event last set on it.
  returned: always
  type: dict
  sample:
    user_profiles: [{"name": "spring-organizer", "creation_time": "2026-11-26T09:00:00.000000+00:00"}]
    spaces: []
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import AUDIT_PREFIX
from ansible_collections.hackathon.studio.plugins.module_utils.common import (
    access_key_argument_spec,
    read_registry,
    registry_table_options,
)
from ansible_collections.hackathon.studio.plugins.module_utils.status import login_activity


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            access_key_argument_spec(),
            **registry_table_options(),
            domain_id=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    # The portal's audit trail is read beside the event's items, not after them.
    registry = read_registry(module, params["table"], params["event"], params["domain_id"], partition=AUDIT_PREFIX)
    count = len(registry["participants"])
    module.exit_json(
        changed=False,
        msg=f"{count} participants registered" if registry["exists"] else "no registry table yet",
        logins=login_activity(registry.pop("items")),
        **registry,
    )


if __name__ == "__main__":
    main()
