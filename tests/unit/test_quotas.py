"""Studio's quotas by the names AWS gives them, and which value wins (module_utils/quotas.py)."""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.quotas import event_quotas, quota_names

LISTED = [
    {"QuotaName": "Maximum number of Studio user profiles allowed per account", "Value": 4000.0},
    {"QuotaName": "Studio JupyterLab Apps running on ml.g5.xlarge instances", "Value": 0.0, "QuotaCode": "L-0A1B2C3D"},
    {"QuotaName": "Studio CodeEditor Apps running on ml.g5.xlarge instances", "Value": 8.0},
]


def test_the_app_quota_is_the_one_of_the_app_type_and_instance_type():
    assert (
        quota_names("JupyterLab", "ml.g5.xlarge")["apps"] == "Studio JupyterLab Apps running on ml.g5.xlarge instances"
    )


def test_a_chosen_value_wins_a_listed_one_is_read_and_an_unlisted_one_is_unknown():
    quotas = event_quotas(LISTED, quota_names("JupyterLab", "ml.g5.xlarge"), {"user_profiles": 50})
    assert quotas["user_profiles"] == {
        "name": "Maximum number of Studio user profiles allowed per account",
        "value": 50,
        "source": "set",
        "code": None,
    }
    assert (quotas["apps"]["value"], quotas["apps"]["source"]) == (0, "aws")  # 0 is a value, not unknown
    assert quotas["apps"]["code"] == "L-0A1B2C3D"  # for the increase request
    assert (quotas["spaces"]["value"], quotas["spaces"]["source"]) == (None, "unknown")


def test_nothing_readable_leaves_every_quota_not_chosen_unknown():
    quotas = event_quotas([], quota_names("CodeEditor", "ml.t3.medium"), {"apps": 0})
    assert {kind: (q["value"], q["source"]) for kind, q in quotas.items()} == {
        "user_profiles": (None, "unknown"),
        "spaces": (None, "unknown"),
        "apps": (0, "set"),
    }
