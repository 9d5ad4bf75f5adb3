"""The AWS Price List API's GetProducts and DescribeServices for SageMaker's Studio instances, answered
from the collection's price snapshot (plugins/module_utils/prices.py: the one place of the prices).

The emulator lists one product per Studio app type and instance type of the snapshot, in its own
region and in us-east-1 (the snapshot's, the same figures), as the Price List writes them: PriceList
is a list of JSON strings (``FormatVersion`` ``aws_v1``), a product's ``usagetype`` is
``USE1-Studio:JupyterLab-ml.t3.medium``.

What botocore's model says and the emulator enforces: ServiceCode is required (on GetProducts);
MaxResults 1-100; a filter's Type is one of the model's enum, its Field and Value 1-1024 characters.
What AWS documents besides: the only FormatVersion is ``aws_v1``; a NextToken from elsewhere is
InvalidNextTokenException. Stricter than what is on record: AWS's answer to a filter on an attribute
the service's products do not have is not documented; the emulator refuses it with
InvalidParameterException, so that a misspelt field fails here rather than matching nothing. Field
names match without regard to case (AWS's own examples write ``ServiceCode`` and ``location`` alike).
A service code other than AmazonSageMaker is NotFoundException: the emulator prices nothing else.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from functools import cache
from pathlib import Path

from .errors import ApiError

TARGET_PREFIX = "AWSPriceListService."
SIGNING_NAME = "pricing"
BOTOCORE_NAME = "pricing"
FORMAT_VERSION = "aws_v1"
DEFAULT_PAGE = 100
APP_TYPES = ("CodeEditor", "JupyterLab", "KernelGateway")
# The collection's prices.py, beside the emulator in a checkout (src/hackathon_studio/emulator/ -> root).
PRICES_FILE = Path(__file__).resolve().parents[3] / "plugins" / "module_utils" / "prices.py"


@cache
def price_snapshot():
    """The collection's prices module, loaded from its file: it is plain Python, no Ansible needed."""
    spec = importlib.util.spec_from_file_location("hackathon_studio_prices", PRICES_FILE)
    if spec is None or not PRICES_FILE.is_file():
        raise ApiError("InternalErrorException", f"studio-emulator has no price snapshot: {PRICES_FILE} is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _products(region: str) -> tuple:
    """(attributes, PriceList entry) of every product the emulator lists, by region, app type, instance type."""
    prices = price_snapshot()
    products = []
    for product_region in sorted({prices.SNAPSHOT_REGION, region}):
        for app_type in APP_TYPES:
            for instance_type, price in sorted(prices.SNAPSHOT.items()):
                entry = prices.price_list_item(product_region, app_type, instance_type, price)
                products.append((json.loads(entry)["product"]["attributes"], entry))
    return tuple(products)


def _matches(attributes: dict, kind: str, value: str) -> bool:
    if attributes is None:
        return kind == "NONE_OF"
    if kind in ("TERM_MATCH", "EQUALS"):
        return attributes == value
    if kind == "CONTAINS":
        return value in attributes
    listed = {v.strip() for v in value.split(",")}
    return (attributes in listed) == (kind == "ANY_OF")


def _check_service(params: dict) -> None:
    if params.get("FormatVersion", FORMAT_VERSION) != FORMAT_VERSION:
        raise ApiError(
            "InvalidParameterException", f"Input Parameters are invalid. FormatVersion must be {FORMAT_VERSION}"
        )
    if params.get("ServiceCode", price_snapshot().SERVICE_CODE) != price_snapshot().SERVICE_CODE:
        raise ApiError("NotFoundException", f"Service {params['ServiceCode']} not found")


def _page(items: list, params: dict, what: str) -> tuple:
    """(the page of ``items``, the next token or None)."""
    start = 0
    if params.get("NextToken"):
        try:
            kind, offset = base64.b64decode(params["NextToken"], validate=True).decode().split(":")
            start = int(offset)
        except ValueError:
            kind, start = "", -1
        if kind != what or not 0 < start < len(items):
            raise ApiError(
                "InvalidNextTokenException", "The pagination token is invalid. Try again without a pagination token."
            )
    end = start + params.get("MaxResults", DEFAULT_PAGE)
    token = base64.b64encode(f"{what}:{end}".encode()).decode() if end < len(items) else None
    return items[start:end], token


def get_products(params: dict, region: str) -> dict:
    _check_service(params)
    products = _products(region)
    fields = {name.lower(): name for attributes, _ in products for name in attributes}
    chosen = list(products)
    for condition in params.get("Filters") or []:
        field = fields.get(condition["Field"].lower())
        if field is None and condition["Field"].lower() != "servicecode":
            raise ApiError(
                "InvalidParameterException",
                f"Input Parameters are invalid. Filter field {condition['Field']} is not an attribute of "
                f"{price_snapshot().SERVICE_CODE}",
            )
        field = field or "servicecode"
        chosen = [(a, e) for a, e in chosen if _matches(a.get(field), condition["Type"], condition["Value"])]
    page, token = _page([entry for _, entry in chosen], params, "products")
    answer = {"FormatVersion": FORMAT_VERSION, "PriceList": page}
    if token:
        answer["NextToken"] = token
    return answer


def describe_services(params: dict, region: str) -> dict:
    _check_service(params)
    names = sorted({name for attributes, _ in _products(region) for name in attributes})
    page, token = _page([{"ServiceCode": price_snapshot().SERVICE_CODE, "AttributeNames": names}], params, "services")
    answer = {"FormatVersion": FORMAT_VERSION, "Services": page}
    if token:
        answer["NextToken"] = token
    return answer


ACTIONS = {"GetProducts": get_products, "DescribeServices": describe_services}
