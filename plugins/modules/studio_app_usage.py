#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_app_usage
short_description: Record a hackathon's app runs in its registry and price their instances
version_added: 0.1.0
description:
  - Records each app of O(apps) (as M(hackathon.studio.studio_resource_info) lists them, with
    C(include_deleted_apps=true)) in the event's registry, one item per app run (its ARN, team, space,
    app type, instance type and C(CreationTime)), and marks the recorded runs that are now C(Deleted),
    C(Failed) or no longer listed as ended now. Apps vanish from C(ListApps) after they stop, so their
    hours must be written down while they are seen.
  - Prices each instance type of the recorded runs with the AWS Price List API (C(pricing:GetProducts),
    service code C(AmazonSageMaker)), else from the snapshot shipped with the collection, which states its
    date and source; a warning says when the snapshot is used.
  - Writes only new or ended runs; a second run that sees the same apps changes nothing.
options:
  domain_id:
    description: The Studio domain the apps are in, for their ARNs and their registry items.
    type: str
    required: true
  apps:
    description: The event's apps, as M(hackathon.studio.studio_resource_info) returns them.
    type: list
    elements: dict
    default: []
  participants:
    description: The registry's participants, whose C(space) and C(team) name the team of an app's space.
    type: list
    elements: dict
    default: []
  price_list:
    description:
      - Ask the Price List API for the prices. With V(false), or when it cannot be reached or read, the
        prices are the snapshot's.
      - Its endpoints are in us-east-1, ap-south-1 and eu-central-1; a domain elsewhere is priced through
        us-east-1 (with O(endpoint_url) set, through that endpoint in O(region)).
    type: bool
    default: true
extends_documentation_fragment:
  - hackathon.studio.registry.table
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode (then nothing is written to the registry).
"""

EXAMPLES = r"""
- name: Record the event's app runs and price them
  hackathon.studio.studio_app_usage:
    table: hackathon-studio-registry
    event: spring-2026
    domain_id: d-xxxxxxxxxxxx
    apps: "{{ found.apps }}"
    participants: "{{ registry_info.participants }}"
  register: usage
"""

RETURN = r"""
usage:
  description: Every app run the registry holds for the event (and domain), oldest first; C(None) without a registry.
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The app's ARN.
      type: str
    team:
      description: The team of its space (C((personal)) for a space no team uses).
      type: str
    space:
      description: Its space (or user profile).
      type: str
    app_type:
      description: Its app type.
      type: str
    app_name:
      description: Its name.
      type: str
    instance_type:
      description: Its instance type.
      type: str
    creation_time:
      description: When it was created (UTC, ISO 8601).
      type: str
    ended:
      description: When a run first saw it Deleted, Failed or gone (UTC, ISO 8601); C(None) while it runs.
      type: str
prices:
  description: Per instance type of the runs, its hourly price and where it comes from.
  returned: always
  type: dict
  sample: {"ml.t3.medium": {"price": 0.05, "currency": "USD", "source": "price list", "date": "2026-11-26"}}
recorded:
  description: How many runs were added or ended by this run (or would be, in check mode).
  returned: always
  type: int
msg:
  description: What was recorded and priced, in one line, for display.
  returned: always
  type: str
"""

import datetime

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils._studio.domain import Domain
from ansible_collections.hackathon.studio.plugins.module_utils.api import StudioApi, client_config
from ansible_collections.hackathon.studio.plugins.module_utils.common import (
    access_key_argument_spec,
    aws_errors,
    registry_table_options,
)
from ansible_collections.hackathon.studio.plugins.module_utils.prices import (
    CURRENCY,
    PRICE_LIST_REGIONS,
    SERVICE_CODE,
    price_from_products,
    product_filters,
    snapshot_price,
)
from ansible_collections.hackathon.studio.plugins.module_utils.registry import Registry, RegistryError, registry_client
from ansible_collections.hackathon.studio.plugins.module_utils.usage import record_usage

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore


def price_list_client(module):
    """A Price List client: in one of its regions, or the given endpoint's."""
    region = module.region
    if not module.params.get("endpoint_url") and region not in PRICE_LIST_REGIONS:
        region = PRICE_LIST_REGIONS[0]
    return StudioApi(module.client("pricing", region=region, config=client_config(1)))


def instance_prices(module, runs, now) -> dict:
    """instance type -> its price from the Price List (or the snapshot, with a warning saying why)."""
    wanted = {r["instance_type"]: r["app_type"] for r in runs if r.get("instance_type")}
    found, why = {}, "not asked (price_list=false)"
    if wanted and module.params["price_list"]:
        try:
            api = price_list_client(module)
            for instance_type, app_type in sorted(wanted.items()):
                listed = api.list_all(
                    "GetProducts",
                    "PriceList",
                    ServiceCode=SERVICE_CODE,
                    Filters=product_filters(module.region, instance_type),
                )
                price = price_from_products(listed, app_type, instance_type)
                if price is not None:
                    found[instance_type] = {"price": price, "currency": CURRENCY, "source": "price list", "date": now}
            why = "not in the Price List"
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            why = f"the Price List could not be read ({e})"
    prices = {t: found.get(t) or snapshot_price(t, module.region) for t in sorted(wanted)}
    from_snapshot = sorted(t for t in prices if t not in found)
    if from_snapshot:
        module.warn(
            f"Prices of {', '.join(from_snapshot)} from the snapshot of {prices[from_snapshot[0]]['date']}: {why}"
        )
    return prices


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            access_key_argument_spec(),
            **registry_table_options(),
            domain_id=dict(type="str", required=True),
            apps=dict(type="list", elements="dict", default=[]),
            participants=dict(type="list", elements="dict", default=[]),
            price_list=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    now = datetime.datetime.now(datetime.UTC)
    registry = Registry(registry_client(module), p["table"], p["event"], p["domain_id"], module.check_mode)
    domain = Domain(StudioApi(module.client("sagemaker", config=client_config(1))), p["domain_id"])
    teams = {person["space"]: person.get("team") for person in p["participants"] if person.get("space")}

    def arn_of(app):
        owner = app.get("space") or app.get("user_profile")
        return domain.arn("app", f"{owner}/{app['app_type'].lower()}/{app.get('app_name') or app['name']}")

    try:
        with aws_errors(module, f"record the event's app runs in the registry table {p['table']}"):
            runs, changed = record_usage(registry, p["apps"], teams, now, arn_of)
    except RegistryError as e:
        module.fail_json(msg=f"Could not record the event's app runs in {p['table']}: {e}")
    if runs is None:
        module.warn(f"No registry table {p['table']}: the event's app runs are not recorded")
    prices = instance_prices(module, runs or [], now.date().isoformat())
    msg = f"{len(runs or [])} app runs recorded ({len(changed)} new or ended); prices of {', '.join(prices) or 'none'}"
    module.exit_json(changed=bool(changed), usage=runs, prices=prices, recorded=len(changed), msg=msg)


if __name__ == "__main__":
    main()
