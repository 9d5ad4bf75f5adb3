"""Service Quotas' ListServiceQuotas for SageMaker: Studio's quotas as AWS names them, with the values
the emulator enforces. Driven with plain boto3."""

from __future__ import annotations

import boto3
import pytest


@pytest.fixture
def quotas(emulator):
    return boto3.client("service-quotas", **emulator.client_kwargs())


def listed(client) -> dict:
    pages = client.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker")
    return {q["QuotaName"]: q for page in pages for q in page["Quotas"]}


def test_studio_quotas_are_listed_as_aws_names_them_with_what_create_app_enforces(emulator, quotas, sagemaker):
    emulator.config(profile="aws")  # a new account's quotas
    found = listed(quotas)
    assert found["Studio JupyterLab Apps running on ml.g5.xlarge instances"]["Value"] == 0
    assert found["Studio JupyterLab Apps running on ml.t3.medium instances"]["Value"] == 4
    assert found["Maximum number of Studio user profiles allowed per account"]["Value"] == 4000
    code = found["Studio CodeEditor Apps running on ml.g5.xlarge instances"]["QuotaCode"]
    assert code.startswith("L-") and len(code) == 10
    emulator.config(quotas={"apps": {"JupyterLab/ml.g5.xlarge": 2}})
    assert listed(quotas)["Studio JupyterLab Apps running on ml.g5.xlarge instances"]["Value"] == 2


def test_pages_are_at_most_max_results_and_a_foreign_token_is_refused(quotas, expect_error):
    first = quotas.list_service_quotas(ServiceCode="sagemaker", MaxResults=7)
    assert len(first["Quotas"]) == 7 and first["NextToken"]
    second = quotas.list_service_quotas(ServiceCode="sagemaker", MaxResults=7, NextToken=first["NextToken"])
    assert second["Quotas"][0]["QuotaName"] > first["Quotas"][-1]["QuotaName"]
    expect_error(
        "InvalidPaginationTokenException", quotas.list_service_quotas, ServiceCode="sagemaker", NextToken="Zm9vOjM="
    )
    expect_error("IllegalArgumentException", quotas.list_service_quotas, ServiceCode="sagemaker", MaxResults=101)
    expect_error("NoSuchResourceException", quotas.list_service_quotas, ServiceCode="ec2")
