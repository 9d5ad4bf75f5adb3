# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Studio's quotas as Service Quotas lists them (service code ``sagemaker``), by the names AWS gives
them in Service Quotas and in CreateApp's ResourceLimitExceeded ("Studio JupyterLab Apps running on
ml.g5.xlarge instances", aws/amazon-sagemaker-feedback#157). QuotaCodes are opaque and differ between
quotas of the same family, so quotas are found by name."""

from __future__ import annotations

ACCOUNT_QUOTA_NAMES = {
    "user_profiles": "Maximum number of Studio user profiles allowed per account",
    "spaces": "Maximum number of Studio spaces allowed per account",
}


def quota_names(app_type: str, instance_type: str) -> dict:
    """kind -> the name of the quota the event's resources of that kind count against."""
    return dict(ACCOUNT_QUOTA_NAMES, apps=f"Studio {app_type} Apps running on {instance_type} instances")


def event_quotas(listed, names: dict, chosen: dict) -> dict:
    """kind -> {name, value, source, code}: the organizer's ``chosen`` value where set (``set``), else the
    value Service Quotas ``listed`` (``aws``), else None (``unknown``: not listed, or not readable); and
    the quota's code where Service Quotas listed it (None otherwise), to ask for an increase."""
    listed_by_name = {quota.get("QuotaName"): quota for quota in listed or []}
    quotas = {}
    for kind, name in names.items():
        found = listed_by_name.get(name, {})
        quota = {"name": name, "value": None, "source": "unknown", "code": found.get("QuotaCode")}
        if chosen.get(kind) is not None:
            quota.update(value=int(chosen[kind]), source="set")
        elif found.get("Value") is not None:
            quota.update(value=int(found["Value"]), source="aws")
        quotas[kind] = quota
    return quotas


def increase_request(code, needed: int, region: str) -> str:
    """What the organizer does about a quota short of ``needed``: the ready-to-run request when the
    quota's code is known, else where to ask."""
    if not code:
        return "Ask for an increase in Service Quotas first."
    return (
        "Ask for an increase first: aws service-quotas request-service-quota-increase --service-code sagemaker "
        f"--quota-code {code} --desired-value {needed} --region {region}"
    )
