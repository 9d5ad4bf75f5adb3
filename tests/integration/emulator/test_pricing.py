"""The Price List API's GetProducts and DescribeServices for Studio's instances, with the prices of the
collection's snapshot. Driven with plain boto3, read as a Price List client reads it."""

from __future__ import annotations

import json

import boto3
import pytest

from hackathon_studio.emulator.pricing import price_snapshot

prices = price_snapshot()  # the collection's prices.py, as the emulator loads it


@pytest.fixture
def pricing(emulator):
    return boto3.client("pricing", **emulator.client_kwargs())


def products(client, region, instance_type) -> list:
    pages = client.get_paginator("get_products").paginate(
        ServiceCode="AmazonSageMaker", Filters=prices.product_filters(region, instance_type)
    )
    return [entry for page in pages for entry in page["PriceList"]]


def test_the_snapshots_prices_are_listed_as_the_price_list_writes_them(emulator, pricing):
    listed = products(pricing, "us-east-1", "ml.t3.medium")
    assert all(isinstance(entry, str) for entry in listed)  # JSON strings, as AWS sends them
    usages = sorted(json.loads(entry)["product"]["attributes"]["usagetype"] for entry in listed)
    assert usages == [
        "USE1-Studio:CodeEditor-ml.t3.medium",
        "USE1-Studio:JupyterLab-ml.t3.medium",
        "USE1-Studio:KernelGateway-ml.t3.medium",
    ]
    for instance_type, price in prices.SNAPSHOT.items():
        assert (
            prices.price_from_products(products(pricing, "us-east-1", instance_type), "JupyterLab", instance_type)
            == price
        )
    assert products(pricing, "us-east-1", "ml.p5.48xlarge") == []  # not in the snapshot: no product
    assert products(pricing, "ap-south-1", "ml.t3.medium") == []  # neither the emulator's region nor the snapshot's


def test_filters_of_every_type_and_pages(pricing):
    def count(*filters, **params):
        return len(pricing.get_products(ServiceCode="AmazonSageMaker", Filters=list(filters), **params)["PriceList"])

    every = len(prices.SNAPSHOT) * 3
    assert count() == every
    assert count({"Type": "CONTAINS", "Field": "usagetype", "Value": "JupyterLab-ml.t3"}) == 3
    assert count({"Type": "ANY_OF", "Field": "instanceName", "Value": "ml.t3.medium, ml.m5.large"}) == 6
    assert count({"Type": "NONE_OF", "Field": "instanceName", "Value": "ml.t3.medium"}) == every - 3
    assert count({"Type": "TERM_MATCH", "Field": "ServiceCode", "Value": "AmazonSageMaker"}) == every
    first = pricing.get_products(ServiceCode="AmazonSageMaker", MaxResults=5)
    second = pricing.get_products(ServiceCode="AmazonSageMaker", MaxResults=5, NextToken=first["NextToken"])
    assert len(first["PriceList"]) == 5 and not set(first["PriceList"]) & set(second["PriceList"])


def test_bad_requests_are_refused_as_aws_refuses_them(pricing, expect_error):
    bad_field = [{"Type": "TERM_MATCH", "Field": "instanceSize", "Value": "ml.t3.medium"}]
    expect_error("InvalidParameterException", pricing.get_products, ServiceCode="AmazonSageMaker", Filters=bad_field)
    bad_type = [{"Type": "LIKE", "Field": "instanceName", "Value": "ml.t3.medium"}]
    expect_error("InvalidParameterException", pricing.get_products, ServiceCode="AmazonSageMaker", Filters=bad_type)
    expect_error("InvalidParameterException", pricing.get_products, ServiceCode="AmazonSageMaker", MaxResults=101)
    expect_error("InvalidParameterException", pricing.get_products, ServiceCode="AmazonSageMaker", FormatVersion="v2")
    expect_error("InvalidNextTokenException", pricing.get_products, ServiceCode="AmazonSageMaker", NextToken="Zm9vOjM=")
    expect_error("NotFoundException", pricing.get_products, ServiceCode="AmazonEC2")


def test_describe_services_names_the_attributes_a_filter_may_use(pricing):
    [service] = pricing.describe_services(ServiceCode="AmazonSageMaker")["Services"]
    assert service["ServiceCode"] == "AmazonSageMaker"
    assert {"regionCode", "instanceName", "usagetype"} <= set(service["AttributeNames"])
