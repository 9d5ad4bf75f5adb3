# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: app_instance_types
short_description: The instance types Studio apps run on, from botocore's SageMaker model
version_added: 0.1.0
description:
  - The C(ml.*) values of the model's C(AppInstanceType), the list SageMaker checks C(CreateApp) against,
    read on the controller (no module run). A botocore newer than the controller's may know newer types.
requirements:
  - botocore on the controller
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Refuse an instance type apps cannot run on, before creating anything
  ansible.builtin.assert:
    that: studio_instance_type in lookup('hackathon.studio.app_instance_types', wantlist=true)
"""

RETURN = r"""
_raw:
  description: The instance types, in the model's order.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

try:
    import botocore.session
except ImportError:
    botocore = None


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if botocore is None:
            raise AnsibleLookupError("app_instance_types needs botocore on the controller")
        shape = botocore.session.get_session().get_service_model("sagemaker").shape_for("AppInstanceType")
        return [value for value in shape.enum if value.startswith("ml.")]
