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
    """kind -> {name, value, source}: the organizer's ``chosen`` value where set (``set``), else the
    value Service Quotas ``listed`` (``aws``), else None (``unknown``: not listed, or not readable)."""
    values = {quota.get("QuotaName"): quota.get("Value") for quota in listed or []}
    quotas = {}
    for kind, name in names.items():
        if chosen.get(kind) is not None:
            quotas[kind] = {"name": name, "value": int(chosen[kind]), "source": "set"}
        elif values.get(name) is not None:
            quotas[kind] = {"name": name, "value": int(values[name]), "source": "aws"}
        else:
            quotas[kind] = {"name": name, "value": None, "source": "unknown"}
    return quotas
