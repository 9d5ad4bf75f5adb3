#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_domain_info
short_description: Describe a SageMaker Studio domain and check it can host an event
version_added: 0.1.0
description:
  - Returns the domain's description, and C(problems) naming whatever keeps it from hosting an
    event run by this collection, that is a status other than C(InService), or an authentication mode
    other than C(IAM) (presigned URLs need IAM).
  - Fails with a clear message when the domain does not exist in the region.
  - With O(isolation), also what team isolation needs of the domain (docs/ISOLATION.md), as problems
    (strict isolation without the user profile's name as source identity) or warnings.
options:
  isolation:
    description: The event's C(studio_isolation).
    type: str
    choices: [none, team, strict]
    default: none
extends_documentation_fragment:
  - hackathon.studio.domain
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Check the domain
  hackathon.studio.studio_domain_info:
    domain_id: d-xxxxxxxxxxxx
  register: domain
  failed_when: domain.problems | length > 0
"""

RETURN = r"""
domain:
  description: The domain as DescribeDomain returns it, in snake_case.
  returned: always
  type: dict
  sample: {"domain_id": "d-xxxxxxxxxxxx", "domain_name": "studio", "status": "InService", "auth_mode": "IAM"}
msg:
  description: The domain's id, name, status and authentication, in one line, for display.
  returned: always
  type: str
  sample: "d-xxxxxxxxxxxx (studio): InService, IAM authentication"
problems:
  description: Why the domain cannot host an event; C([]) when it can.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import camel_dict_to_snake_dict
from ansible_collections.hackathon.studio.plugins.module_utils.common import common_argument_spec, connect
from ansible_collections.hackathon.studio.plugins.module_utils.isolation import MODES, domain_problems


def main():
    argument_spec = dict(common_argument_spec(), isolation=dict(type="str", choices=list(MODES), default="none"))
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    domain = connect(module).describe()
    problems = []
    if domain.get("Status") != "InService":
        problems.append(f"domain {domain['DomainId']} is {domain.get('Status')}, not InService")
    if domain.get("AuthMode") != "IAM":
        problems.append(
            f"domain {domain['DomainId']} uses {domain.get('AuthMode')} authentication; presigned URLs need IAM"
        )
    isolation_problems, warnings = domain_problems(domain, module.params["isolation"])
    problems += isolation_problems
    for warning in warnings:
        module.warn(warning)
    domain.pop("ResponseMetadata", None)
    status, auth = domain.get("Status"), domain.get("AuthMode")
    shown = f"{domain['DomainId']} ({domain.get('DomainName')}): {status}, {auth} authentication"
    module.exit_json(changed=False, domain=camel_dict_to_snake_dict(domain), problems=problems, msg=shown)


if __name__ == "__main__":
    main()
