"""studio_quota_info against the live emulator: the event's quotas by AWS's names, a chosen value winning,
and with other_instance_types the app quota of each from the same one listing."""

from __future__ import annotations


def quota_task(**args):
    return {
        "hackathon.studio.studio_quota_info": {"domain_id": "d-hackathon0001", "instance_type": "ml.t3.medium", **args},
        "register": "out",
    }


def test_the_allow_lists_app_quotas_come_from_the_same_listing(playbook, emulator):
    emulator.config(quotas={"apps": {"*/ml.g5.xlarge": 0, "*/ml.t3.medium": 4}})
    run = playbook([quota_task(other_instance_types=["ml.g5.xlarge", "ml.t3.medium"], chosen={"apps": 9})])
    assert run.rc == 0, run.stdout
    result = run[0]
    assert result["changed"] is False
    assert result["quota_values"]["apps"] == 9 and result["quotas"]["apps"]["source"] == "set"
    gpu = result["app_quotas"]["ml.g5.xlarge"]
    assert (gpu["name"], gpu["value"], gpu["source"]) == (
        "Studio JupyterLab Apps running on ml.g5.xlarge instances",
        0,
        "aws",
    )
    assert gpu["code"]
    assert result["app_quotas"]["ml.t3.medium"]["value"] == 4  # chosen applies to the event's own quota only
    listed_once = emulator.calls()["received"]["ServiceQuotas.ListServiceQuotas"]

    alone = playbook([quota_task(other_instance_types=[])])
    assert alone.rc == 0 and alone[0]["app_quotas"] == {}
    assert emulator.calls()["received"]["ServiceQuotas.ListServiceQuotas"] == 2 * listed_once


def test_count_lists_the_kinds_asked_whose_quota_is_known(playbook, emulator, sagemaker):
    sagemaker.create_user_profile(DomainId="d-hackathon0001", UserProfileName="someone-else")
    # An instance type Service Quotas lists no app quota for: the apps' quota is unknown, so not counted.
    run = playbook([quota_task(instance_type="ml.unlisted", count=["user_profiles", "apps"])])
    assert run.rc == 0, run.stdout
    result = run[0]
    assert result["quota_values"]["apps"] is None
    assert list(result["found"]) == ["user_profiles"]
    assert [p["name"] for p in result["found"]["user_profiles"]] == ["someone-else"]
    assert result["found"]["user_profiles"][0]["tags"] is None  # listed only: no tag read
    assert "ListTags" not in emulator.calls()["received"]

    nothing = playbook([quota_task()])  # no count: the domain is not listed
    assert nothing.rc == 0 and nothing[0]["found"] == {}
    assert emulator.calls()["received"]["ListUserProfiles"] == 1
    # The domain it describes anyway, for preflight's idle check, as studio_domain_info returns it.
    described = sagemaker.describe_domain(DomainId="d-hackathon0001")
    domain = nothing[0]["domain"]
    assert (domain["domain_id"], domain["status"], domain["auth_mode"]) == (
        described["DomainId"],
        described["Status"],
        described["AuthMode"],
    )
