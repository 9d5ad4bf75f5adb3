# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.plan import teardown_targets

DOCUMENTATION = r"""
name: teardown_targets
short_description: What teardown removes, and what each removal waits for
version_added: 0.3.0
description:
  - From the listing of everything provably the event's (M(hackathon.studio.studio_resource_info) with
    O(hackathon.studio.studio_resource_info#module:owned)), the items of each removal - the live apps in
    spaces, the spaces once their apps are gone (not the private spaces of the event's profiles, which
    go with their owner), the user profiles that own none of those spaces at once, and their owners
    once the spaces are gone - and a listing of what goes for the person running it.
  - It only orders and selects; what is the event's was decided by the listing.
options:
  _input:
    description: The listing.
    type: dict
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
apps: "{{ (teardown_found | hackathon.studio.teardown_targets).apps }}"
"""

RETURN = r"""
_value:
  description:
    - C(apps) (items with C(space), C(app_type), C(app_name)); C(spaces), C(user_profiles) (all of them),
      C(free_user_profiles) (those that own none of C(spaces)) and C(owners) (the others), items with
      C(name); and C(lines), three lines naming what goes.
  type: dict
"""


class FilterModule:
    def filters(self):
        return {"teardown_targets": teardown_targets}
