#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_quota_info
short_description: Read the Studio quotas an event counts against, from Service Quotas
version_added: 0.1.0
description:
  - Returns, for the event's user profiles, spaces and apps, the quota they count against, by the name
    AWS gives it (for apps, C(Studio JupyterLab Apps running on ml.g5.xlarge instances)) and its value
    in this account and region, read with Service Quotas' C(ListServiceQuotas).
  - A value the organizer chose (O(chosen)) wins over the listed one; a quota Service Quotas does not list,
    or that cannot be read (a warning says so), has the value C(None).
  - With O(count), also what the domain holds that counts against them (C(found)), listed while the
    quotas are read, so that preflight reads both in one module run before anything is created.
  - Returns the domain's description too (C(domain)), read to check the domain exists, for the checks
    that need its settings (the idle shutdown's).
  - With O(registry), also returns the event's registry (C(registry)), read beside the quotas, so that preflight
    reads both in one module run.
options:
  domain_id:
    description:
      - The Studio domain whose resources O(count) lists. Quotas are per account and region.
    type: str
    required: true
  concurrency:
    description: The SageMaker client's connection pool, for O(count)'s listing.
    type: int
    default: 10
  count:
    description:
      - The kinds (C(user_profiles), C(spaces), C(apps)) to list in the domain, as
        M(hackathon.studio.studio_resource_info) lists them without tags; only those whose quota is known
        are returned (C(found)).
    type: list
    elements: str
    choices: [user_profiles, spaces, apps]
    default: []
  app_type:
    description: The app type of the event's apps.
    type: str
    default: JupyterLab
    choices: [JupyterLab, CodeEditor]
  instance_type:
    description: The instance type of the event's apps.
    type: str
    required: true
  chosen:
    description:
      - Quotas the organizer sets (C(user_profiles), C(spaces), C(apps)); each one set wins over AWS's.
    type: dict
    default: {}
  other_instance_types:
    description:
      - More instance types whose app quota to read too, from the same listing (C(app_quotas)), for
        example the participants' allow-list.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - hackathon.studio.registry
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Read the quotas of a GPU event
  hackathon.studio.studio_quota_info:
    domain_id: d-xxxxxxxxxxxx
    instance_type: ml.g5.xlarge
  register: quotas

- name: Refuse an instance type the account has no quota for
  ansible.builtin.assert:
    that: quotas.quotas.apps.value != 0
    fail_msg: "{{ quotas.quotas.apps.name }} is 0 in this account"
"""

RETURN = r"""
quotas:
  description: Per kind (C(user_profiles), C(spaces), C(apps)), the quota it counts against.
  returned: always
  type: dict
  contains:
    name:
      description: The quota's name, as Service Quotas and CreateApp's errors give it.
      type: str
      sample: Studio JupyterLab Apps running on ml.g5.xlarge instances
    value:
      description: Its value (an integer), or C(None) when unknown.
      type: int
      sample: 0
    source:
      description: V(set) (O(chosen)), V(aws) (Service Quotas) or V(unknown).
      type: str
      sample: aws
    code:
      description: The quota's code in Service Quotas, to ask for an increase; C(None) when it was not listed.
      type: str
      sample: L-12345678
app_quotas:
  description:
    - Per instance type of O(other_instance_types), its app quota for O(app_type), as C(quotas) gives
      each (C(name), C(value), C(source) and C(code)); O(chosen) does not apply to them.
  returned: always
  type: dict
  sample:
    ml.g5.xlarge:
      name: Studio JupyterLab Apps running on ml.g5.xlarge instances
      value: 0
      source: aws
      code: L-12345678
quota_values:
  description: Per kind, the quota's value alone (C(None) when unknown), as the quota_needs filter takes it.
  returned: always
  type: dict
  sample: {"user_profiles": 4000, "spaces": 4000, "apps": 0}
quota_codes:
  description: Per kind, the quota's code alone (C(None) when not listed), as the quota_needs filter takes it.
  returned: always
  type: dict
found:
  description:
    - Per kind of O(count) whose quota is known, what the domain holds, as
      M(hackathon.studio.studio_resource_info) returns it (tags not read); the quota_needs filter takes it.
  returned: always
  type: dict
  sample: {"user_profiles": [{"name": "ada", "status": "InService"}]}
domain:
  description: The domain as DescribeDomain returns it, in snake_case (as M(hackathon.studio.studio_domain_info)).
  returned: always
  type: dict
  sample: {"domain_id": "d-xxxxxxxxxxxx", "domain_name": "studio", "status": "InService", "auth_mode": "IAM"}
registry:
  description:
    - With O(registry), the event's registry of this domain as M(hackathon.studio.studio_registry_info)
      returns it (C(exists), C(config), C(participants), C(recorded)), without the portal's logins.
  returned: when O(registry) is set
  type: dict
  sample: {"exists": true, "config": {}, "participants": [], "recorded": {"user_profiles": [], "spaces": []}}
msg:
  description: The quotas, in one line, for display.
  returned: always
  type: str
  sample: "apps 0 (aws), spaces 4000 (aws), user_profiles 4000 (aws)"
"""

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import camel_dict_to_snake_dict
from ansible_collections.hackathon.studio.plugins.module_utils.api import (
    ACCESS_DENIED_CODES,
    StudioApi,
    client_config,
    error_code,
)
from ansible_collections.hackathon.studio.plugins.module_utils.common import (
    aws_errors,
    common_argument_spec,
    connect,
    fail_aws,
    read_registry,
    registry_argument_spec,
)
from ansible_collections.hackathon.studio.plugins.module_utils.inventory import Inventory
from ansible_collections.hackathon.studio.plugins.module_utils.plan import APP_TYPES
from ansible_collections.hackathon.studio.plugins.module_utils.quotas import event_quotas, quota_names

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore


def list_sagemaker_quotas(module: AnsibleAWSModule) -> list:
    """Every SageMaker quota Service Quotas lists; [] with a warning if it may not be read."""
    api = StudioApi(module.client("service-quotas", config=client_config(1)))
    try:
        return api.list_all("ListServiceQuotas", "Quotas", ServiceCode="sagemaker")
    except botocore.exceptions.ClientError as e:
        if error_code(e) not in ACCESS_DENIED_CODES:
            fail_aws(module, e, "list the SageMaker quotas", service="servicequotas")
        module.warn(
            "Permission denied listing the SageMaker quotas (servicequotas:ListServiceQuotas): they are unknown"
        )
        return []
    except botocore.exceptions.BotoCoreError as e:
        fail_aws(module, e, "list the SageMaker quotas", service="servicequotas")


def main():
    argument_spec = dict(
        common_argument_spec(),
        app_type=dict(type="str", default="JupyterLab", choices=list(APP_TYPES)),
        instance_type=dict(type="str", required=True),
        chosen=dict(type="dict", default={}),
        other_instance_types=dict(type="list", elements="str", default=[]),
        count=dict(type="list", elements="str", choices=["user_profiles", "spaces", "apps"], default=[]),
        registry=registry_argument_spec(),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    names = quota_names(module.params["app_type"], module.params["instance_type"])
    unknown = set(module.params["chosen"]) - set(names)
    if unknown:
        module.fail_json(msg=f"chosen: unknown quota kinds {sorted(unknown)}; known are {sorted(names)}")
    chosen = module.params["chosen"]
    others = {t: quota_names(module.params["app_type"], t)["apps"] for t in module.params["other_instance_types"]}
    needed = bool(others) or any(chosen.get(kind) is None for kind in names)
    kinds = module.params["count"]
    # The domain's listing runs meanwhile (it raises, not fails, in its thread); it is not needed for a
    # quota that turns out unknown, which is rare enough not to wait for.
    domain = connect(module)  # describes it, failing clearly if it does not exist
    registry = module.params["registry"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = pool.submit(Inventory(domain).collect, read_tags=False, kinds=kinds) if kinds else None
        if registry:
            registered = read_registry(module, registry["table"], registry["event"], module.params["domain_id"])
        listed = list_sagemaker_quotas(module) if needed else []
        quotas = event_quotas(listed, names, chosen)
        with aws_errors(module, f"list the resources of Studio domain {module.params['domain_id']}"):
            existing = counting.result() if counting else {}
    found = {kind: existing[kind] for kind in kinds if quotas[kind]["value"] is not None}
    shown = ", ".join(f"{kind} {q['value']} ({q['source']})" for kind, q in sorted(quotas.items()))
    values = {kind: quota["value"] for kind, quota in quotas.items()}
    codes = {kind: quota["code"] for kind, quota in quotas.items()}
    app_quotas = event_quotas(listed, others, {})
    module.exit_json(
        changed=False,
        quotas=quotas,
        quota_values=values,
        quota_codes=codes,
        app_quotas=app_quotas,
        found=found,
        domain=camel_dict_to_snake_dict({k: v for k, v in domain.describe().items() if k != "ResponseMetadata"}),
        msg=shown,
        **({"registry": registered} if registry else {}),
    )


if __name__ == "__main__":
    main()
