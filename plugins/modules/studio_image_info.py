#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_image_info
short_description: Check a custom SageMaker image for Studio spaces
version_added: 0.1.0
description:
  - Reads a custom SageMaker image, its version and its app image config, and fails with a message naming
    what is missing when one of them does not exist.
options:
  name:
    description: The SageMaker image name.
    type: str
    required: true
  version:
    description: The image version; the latest when unset.
    type: int
  app_image_config:
    description: The app image config the image runs with; the image's name when unset.
    type: str
extends_documentation_fragment:
  - hackathon.studio.domain
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode; it changes nothing.
"""

EXAMPLES = r"""
- name: Check the event's image before creating anything
  hackathon.studio.studio_image_info:
    domain_id: d-xxxxxxxxxxxx
    name: hackathon-image
"""

RETURN = r"""
image:
  description: The image as AWS describes it.
  returned: always
  type: dict
  contains:
    image_arn:
      description: The image's ARN.
      type: str
    image_version_arn:
      description: The version's ARN, when O(version) is set.
      type: str
    version:
      description: The version number found.
      type: int
    app_image_config:
      description: The app image config's name.
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError
from ansible_collections.hackathon.studio.plugins.module_utils._studio.images import describe_image
from ansible_collections.hackathon.studio.plugins.module_utils.common import aws_errors, common_argument_spec, connect


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        name=dict(type="str", required=True),
        version=dict(type="int"),
        app_image_config=dict(type="str"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    domain = connect(module)
    with aws_errors(module, f"read SageMaker image {params['name']}"):
        try:
            image = describe_image(domain.api, params["name"], params["version"], params["app_image_config"])
        except ItemError as exc:
            module.fail_json(msg=f"{exc} in region {module.region}")
    module.exit_json(changed=False, image=image)


if __name__ == "__main__":
    main()
