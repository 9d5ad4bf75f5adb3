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
  recorded:
    description:
      - The resources the event's registry recorded when the event created them, by name and creation
        time; for M(hackathon.studio.studio_app), the spaces (or user profiles) whose apps they are. A
        resource whose name and C(CreationTime) match one of them is the event's; its tags are not read
        again, which saves one C(ListTags) call per resource on a re-run, and it is never checked against
        O(adopt). A resource that only has a recorded name is not vouched for, since a name proves nothing.
      - With O(state=absent), once O(recorded) or O(tags) is given, only resources that match a record
        or carry every one of O(tags) are deleted; any other resource of that name is left alone, with a
        warning. What such a resource owns (its private spaces and apps) goes with it.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The resource's name.
        type: str
        required: true
      creation_time:
        description: Its C(CreationTime), as the modules' results and M(hackathon.studio.studio_resource_info) give it.
        type: str
      settings:
        description:
          - For M(hackathon.studio.studio_space), the C(settings) its result gave when the event last set the
            space's app settings (each in short). When they include what the item asks for, the space is not
            described again (C(DescribeSpace), one call per space on every re-run).
        type: str
"""
