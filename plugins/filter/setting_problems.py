# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.readiness import setting_problems

DOCUMENTATION = r"""
name: setting_problems
short_description: What is wrong with the event's app type, instance type and instance-type allow-list
version_added: 0.1.0
description:
  - Per setting, one line per problem, C([]) when there is none; preflight stops on them and the
    checklist reports them. The logic is module_utils/readiness.py.
  - An instance type Studio apps do not run on (as the controller's botocore lists them), an allow-list
    with such a type or without the instance type setup starts, an app type team (shared) spaces do not run.
positional: instance_type, allowed, known
options:
  _input:
    description: The event's app type (C(studio_app_type)).
    type: str
    required: true
  instance_type:
    description: The instance type of the apps setup starts (C(studio_instance_type)).
    type: str
    required: true
  allowed:
    description: The instance types participants may start (C(studio_allowed_instance_types)); empty, any.
    type: list
    elements: str
    required: true
  known:
    description: The instance types Studio apps run on (the P(hackathon.studio.app_instance_types#lookup) lookup).
    type: list
    elements: str
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
problems: "{{ 'JupyterLab' | hackathon.studio.setting_problems('ml.t3.medium', [], known_types) }}"
"""

RETURN = r"""
_value:
  description: C(instance_type), C(allowed_instance_types) and C(app_type), each a list of problems.
  type: dict
"""


def filter_setting_problems(app_type, instance_type, allowed, known):
    return setting_problems(app_type, instance_type, allowed, list(known))


class FilterModule:
    def filters(self):
        return {"setting_problems": filter_setting_problems}
