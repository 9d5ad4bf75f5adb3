# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The hourly price of a Studio app's instance: from the AWS Price List API when it answers, else
from the snapshot below.

The Price List API (``pricing:GetProducts``, service code ``AmazonSageMaker``; endpoints in us-east-1,
ap-south-1 and eu-central-1 only) lists a Studio app's instance as a product whose ``usagetype`` is
``<region prefix>-Studio:<AppType>-<instance type>`` (``USE1-Studio:JupyterLab-ml.t3.medium``, as
AWS's bills and Cost Explorer name it), with ``regionCode`` and ``instanceName`` attributes. The
lookup asks for the region's products of the instance type (two TERM_MATCH filters, which every
service's products have) and keeps the one whose usage type is the app type's Studio usage, so that
the prefix of each region need not be known. Its on-demand price is in
``terms.OnDemand.<offer>.priceDimensions.<rate>.pricePerUnit.USD``, per ``Hrs``.

The snapshot: what this project could read of AWS's us-east-1 on-demand list prices for Studio
instances, and it could NOT read them from AWS itself (neither the Price List nor the pricing page
is among its sources). The figures are as public code and documentation quote AWS's: ml.t3.medium
0.05, ml.m5.large 0.115, ml.c5.xlarge 0.204 (JHUAPL-DTC-TA2/wiki, docs/sagemaker_instances.md, Studio
Classic); ml.t3.medium 0.05, ml.g4dn.xlarge 0.7364, ml.g5.xlarge 1.41 (a metering Lambda quoting the
Price List's ``USE1-Studio:JupyterLab-<instance>`` prices "pulled on 2026-08-24"); ml.t3.large 0.10,
ml.t3.xlarge 0.20, ml.m5.xlarge 0.23, ml.c5.large 0.102 (price tables in public code, undated).
Check them with ``aws pricing get-products --region us-east-1 --service-code AmazonSageMaker
--filters Type=TERM_MATCH,Field=regionCode,Value=us-east-1 Type=TERM_MATCH,Field=instanceName,Value=ml.t3.medium``.
The same figures are used for every Studio app type and, with a warning, for other regions (whose
prices differ). The emulator serves them as its Price List (src/hackathon_studio/emulator/pricing.py).
"""

from __future__ import annotations

import json
import re

SERVICE_CODE = "AmazonSageMaker"
# The Price List API's endpoints; a client in another region cannot reach it.
PRICE_LIST_REGIONS = ("us-east-1", "ap-south-1", "eu-central-1")
CURRENCY = "USD"
SNAPSHOT_REGION = "us-east-1"
SNAPSHOT_DATE = "2026-08-24"
SNAPSHOT_SOURCE = (
    "AWS's us-east-1 on-demand prices for Studio instances as public code quotes them (see "
    "plugins/module_utils/prices.py), not read from AWS by this project"
)
# USD per instance-hour, us-east-1, on demand.
SNAPSHOT = {
    "ml.t3.medium": 0.05,
    "ml.t3.large": 0.10,
    "ml.t3.xlarge": 0.20,
    "ml.m5.large": 0.115,
    "ml.m5.xlarge": 0.23,
    "ml.c5.large": 0.102,
    "ml.c5.xlarge": 0.204,
    "ml.g4dn.xlarge": 0.7364,
    "ml.g5.xlarge": 1.41,
}
# The region prefixes of the usage types the emulator writes (AWS's, as its bills show them).
USAGE_PREFIXES = {"us-east-1": "USE1", "us-east-2": "USE2", "us-west-2": "USW2", "eu-west-1": "EU"}


def product_filters(region: str, instance_type: str) -> list:
    """GetProducts' filters for ``instance_type``'s SageMaker products in ``region``."""
    return [
        {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region},
        {"Type": "TERM_MATCH", "Field": "instanceName", "Value": instance_type},
    ]


def studio_usage(app_type: str, instance_type: str) -> str:
    """The usage type of a Studio app, without its region prefix: ``Studio:JupyterLab-ml.t3.medium``."""
    return f"Studio:{app_type}-{instance_type}"


def on_demand_price(item: dict) -> float | None:
    """The hourly USD price of a Price List product (a parsed PriceList entry), or None if it has none."""
    for offer in (item.get("terms") or {}).get("OnDemand", {}).values():
        for dimension in offer.get("priceDimensions", {}).values():
            usd = dimension.get("pricePerUnit", {}).get(CURRENCY)
            if usd is not None and dimension.get("unit") == "Hrs":
                return float(usd)
    return None


def price_from_products(price_list, app_type: str, instance_type: str) -> float | None:
    """The hourly price of ``app_type`` on ``instance_type`` among GetProducts' PriceList (JSON strings)."""
    wanted = re.compile(r"(^|-)" + re.escape(studio_usage(app_type, instance_type)) + "$")
    for entry in price_list:
        item = json.loads(entry) if isinstance(entry, str) else entry
        usage = ((item.get("product") or {}).get("attributes") or {}).get("usagetype", "")
        if wanted.search(usage):
            price = on_demand_price(item)
            if price is not None:
                return price
    return None


def snapshot_price(instance_type: str, region: str) -> dict:
    """The snapshot's price of ``instance_type`` (None if it has none), saying where it comes from."""
    note = "" if region == SNAPSHOT_REGION else f"; {SNAPSHOT_REGION}'s price, {region}'s differs"
    return {
        "price": SNAPSHOT.get(instance_type),
        "currency": CURRENCY,
        "source": "snapshot",
        "date": SNAPSHOT_DATE,
        "detail": SNAPSHOT_SOURCE + note,
    }


def price_list_item(region: str, app_type: str, instance_type: str, price: float) -> str:
    """One PriceList entry as the Price List API writes it (a JSON string): what the emulator serves."""
    usage = f"{USAGE_PREFIXES.get(region, region.upper())}-{studio_usage(app_type, instance_type)}"
    sku = "".join(c for c in usage.upper() if c.isalnum())[:16]
    offer = f"{sku}.JRTCKXETXF"
    dimension = {
        "unit": "Hrs",
        "endRange": "Inf",
        "description": f"${price} per hour for {app_type} on {instance_type} in Studio",
        "appliesTo": [],
        "rateCode": f"{offer}.6YS6EN2CT7",
        "beginRange": "0",
        "pricePerUnit": {CURRENCY: f"{price:.10f}"},
    }
    item = {
        "product": {
            "productFamily": "ML Instance",
            "attributes": {
                "regionCode": region,
                "servicecode": SERVICE_CODE,
                "usagetype": usage,
                "instanceName": instance_type,
                "operation": "RunInstance",
                "servicename": "Amazon SageMaker",
            },
            "sku": sku,
        },
        "serviceCode": SERVICE_CODE,
        "terms": {
            "OnDemand": {
                offer: {
                    "priceDimensions": {dimension["rateCode"]: dimension},
                    "sku": sku,
                    "effectiveDate": f"{SNAPSHOT_DATE}T00:00:00Z",
                    "offerTermCode": "JRTCKXETXF",
                    "termAttributes": {},
                }
            }
        },
        "version": SNAPSHOT_DATE.replace("-", "") + "000000",
        "publicationDate": f"{SNAPSHOT_DATE}T00:00:00Z",
    }
    return json.dumps(item)
