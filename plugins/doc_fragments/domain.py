# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of module_utils.common.common_argument_spec(), shared by the Studio modules.
    DOCUMENTATION = r"""
options:
  domain_id:
    description: The Studio domain, for example C(d-xxxxxxxxxxxx).
    type: str
    required: true
  concurrency:
    description: How many API calls run at once.
    type: int
    default: 10
"""
