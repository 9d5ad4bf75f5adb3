# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How the resource modules treat an existing resource that lacks the requested tags.
    DOCUMENTATION = r"""
options:
  adopt:
    description:
      - With V(false), an existing resource that lacks any of O(tags) is someone else's, so its item fails,
        naming it, and the resource is left exactly as it is. Use it to keep an event from taking over a
        resource of the same name that it did not create.
      - With V(true), such a resource is tagged and managed like any other.
    type: bool
    default: true
  known:
    description:
      - Names of resources known to carry O(tags) already, for example from the event's registry; for
        M(hackathon.studio.studio_app), the names of the spaces whose apps are known. Their tags are not read
        again, which saves one C(ListTags) call per resource on a re-run.
      - Only list what this automation created and recorded; a resource listed here is never checked
        against O(adopt).
    type: list
    elements: str
    default: []
"""
