# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.idle import idle_problems

DOCUMENTATION = r"""
name: idle_problems
short_description: What keeps the event's idle timeout from a Studio domain's spaces
version_added: 0.1.0
description:
  - One line per problem, C([]) when there is none, for preflight; the logic is module_utils/idle.py.
  - A space's idle timeout works only where the domain enables idle shutdown for the app type
    (C(LifecycleManagement) V(ENABLED)) and within its C(Min/MaxIdleTimeoutInMinutes); shared spaces
    take them from the domain's C(DefaultSpaceSettings), private ones from its C(DefaultUserSettings).
positional: app_type, timeout, private
options:
  _input:
    description: The domain, as P(hackathon.studio.studio_domain_info#module) returns it (C(domain)).
    type: dict
    required: true
  app_type:
    description: The spaces' app type.
    type: str
    required: true
  timeout:
    description: The idle timeout in minutes; null or 0 has no problem.
    type: int
  private:
    description: Whether the event also has private spaces.
    type: bool
    default: false
  shared:
    description: Whether the event has shared (team) spaces; not with strict isolation.
    type: bool
    default: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
problems: "{{ domain_info.domain | hackathon.studio.idle_problems('JupyterLab', 60) }}"
"""

RETURN = r"""
_value:
  description: What to set on the domain, one line each.
  type: list
  elements: str
"""


def filter_idle_problems(domain, app_type, timeout, private=False, shared=True):
    sharings = ("shared",) * bool(shared) + ("private",) * bool(private)
    return idle_problems(domain, app_type, timeout, sharings)


class FilterModule:
    def filters(self):
        return {"idle_problems": filter_idle_problems}
