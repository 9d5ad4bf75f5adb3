"""Service Quotas' ListServiceQuotas for SageMaker, answered from the emulator's own quota table.

AWS publishes Studio's quotas through Service Quotas (service code ``sagemaker``), named as CreateApp's
ResourceLimitExceeded names them: "Studio JupyterLab Apps running on ml.g5.xlarge instances"
(aws/amazon-sagemaker-feedback#157), "Maximum number of Studio user profiles allowed per account". The
emulator lists one quota per app type and instance type (botocore's AppInstanceType enum), and the two
account quotas, with the values CreateUserProfile, CreateSpace and CreateApp enforce.

What botocore's model says and the emulator enforces: ServiceCode is required; an unknown one is
NoSuchResourceException; MaxResults 1-100; a NextToken from another listing is
InvalidPaginationTokenException. The default page size is undocumented: 50 here, so that a client that
does not paginate misses quotas (the stricter choice). QuotaCodes are AWS's opaque ``L-`` codes, made
up here: a client must find a quota by its name.
"""

from __future__ import annotations

import base64
import hashlib

from . import model, profiles
from .errors import ApiError

TARGET_PREFIX = "ServiceQuotasV20190624."
SIGNING_NAME = "servicequotas"
BOTOCORE_NAME = "service-quotas"
DEFAULT_PAGE = 50
# Studio's app types with a quota per instance type (Studio Classic's KernelGateway too).
APP_TYPES = ("CodeEditor", "JupyterLab", "KernelGateway")
ACCOUNT_QUOTA_NAMES = {
    "user_profiles": "Maximum number of Studio user profiles allowed per account",
    "spaces": "Maximum number of Studio spaces allowed per account",
}


def app_quota_name(app_type: str, instance_type: str) -> str:
    return f"Studio {app_type} Apps running on {instance_type} instances"


def _quota(name: str, value: int, region: str, account: str) -> dict:
    code = "L-" + hashlib.sha256(name.encode()).hexdigest()[:8].upper()
    return {
        "ServiceCode": "sagemaker",
        "ServiceName": "Amazon SageMaker",
        "QuotaArn": f"arn:aws:servicequotas:{region}:{account}:sagemaker/{code}",
        "QuotaCode": code,
        "QuotaName": name,
        "Value": float(value),
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    }


def sagemaker_quotas(quotas: dict, region: str, account: str) -> list:
    """Every SageMaker Studio quota of the emulator's table, sorted by name."""
    listed = [_quota(ACCOUNT_QUOTA_NAMES[kind], quotas[kind], region, account) for kind in ACCOUNT_QUOTA_NAMES]
    instance_types = model.service_model("sagemaker").shape_for("AppInstanceType").enum
    for app_type in APP_TYPES:
        for instance_type in instance_types:
            value = profiles.app_quota(quotas["apps"], app_type, instance_type)
            listed.append(_quota(app_quota_name(app_type, instance_type), value, region, account))
    return sorted(listed, key=lambda quota: quota["QuotaName"])


def list_service_quotas(quotas: dict, params: dict, region: str, account: str) -> dict:
    if params["ServiceCode"] != "sagemaker":
        # The emulator serves SageMaker's quotas only; AWS knows other services, so this is not
        # AWS's answer for them, but it never invents a quota.
        raise ApiError(
            "NoSuchResourceException",
            f"The request failed because the specified service {params['ServiceCode']} does not exist.",
        )
    listed = sagemaker_quotas(quotas, region, account)
    start = 0
    if params.get("NextToken"):
        try:
            service, offset = base64.b64decode(params["NextToken"]).decode().split(":")
            start = int(offset)
        except ValueError:
            service, start = "", -1
        if service != "sagemaker" or not 0 < start < len(listed):
            raise ApiError("InvalidPaginationTokenException", "Invalid pagination token")
    end = start + params.get("MaxResults", DEFAULT_PAGE)
    page = {"Quotas": listed[start:end]}
    if end < len(listed):
        page["NextToken"] = base64.b64encode(f"sagemaker:{end}".encode()).decode()
    return page
