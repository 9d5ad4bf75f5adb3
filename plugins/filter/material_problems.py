# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import material_problems

DOCUMENTATION = r"""
name: material_problems
short_description: What keeps the event's material from its spaces
version_added: 0.1.0
description:
  - One line per problem, C([]) when there is none, for preflight; the logic is module_utils/lifecycle.py.
  - Checks the Git repositories' URLs as botocore's model does (C(RepositoryUrl), at most 10), and that
    the material is used with JupyterLab spaces only.
positional: repositories, script, auto_stop, image
options:
  _input:
    description: The spaces' app type (C(studio_app_type)).
    type: str
    required: true
  repositories:
    description: C(studio_git_repositories).
    type: list
    elements: str
  script:
    description: C(studio_lifecycle_script).
    type: str
  auto_stop:
    description: C(studio_auto_stop).
    type: bool
  image:
    description: C(studio_image).
    type: raw
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
problems: "{{ studio_app_type | hackathon.studio.material_problems(studio_git_repositories, '', false, '') }}"
"""

RETURN = r"""
_value:
  description: What is wrong, one line each.
  type: list
  elements: str
"""


def filter_material_problems(app_type, repositories=None, script="", auto_stop=False, image=""):
    return material_problems(app_type, repositories or [], script or "", bool(auto_stop), image or "")


class FilterModule:
    def filters(self):
        return {"material_problems": filter_material_problems}
