"""Apps: Pending -> InService -> Deleting -> Deleted, the InService space, one app per type, quotas, filters."""

from __future__ import annotations

import time

DOMAIN_ID = "d-hackathon0001"
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:app/d-hackathon0001/"


def app_params(space: str = "team-red", name: str = "default", app_type: str = "JupyterLab") -> dict:
    return {"DomainId": DOMAIN_ID, "SpaceName": space, "AppType": app_type, "AppName": name}


def test_lifecycle_at_the_test_time_scale(sagemaker, studio, emulator):
    """At time scale 0.01 an app starts in 1.5 s and deletes in 0.9 s; a deleted app stays listed as Deleted."""
    studio.space("team-red")
    started = time.monotonic()
    arn = sagemaker.create_app(**app_params(), ResourceSpec={"InstanceType": "ml.t3.medium"})["AppArn"]
    assert arn == ARN_PREFIX + "team-red/jupyterlab/default"
    assert studio.app_status("team-red") == "Pending"
    studio.wait_status(lambda: studio.app_status("team-red"), "InService")
    assert 1.0 < time.monotonic() - started < 10  # generous: 1.5 s at this scale
    app = sagemaker.describe_app(**app_params())
    assert app["AppArn"] == arn
    assert app["ResourceSpec"]["InstanceType"] == "ml.t3.medium"
    assert app["SpaceName"] == "team-red"
    assert "LastHealthCheckTimestamp" in app

    sagemaker.delete_app(**app_params())
    assert studio.app_status("team-red") == "Deleting"
    studio.wait_status(lambda: studio.app_status("team-red"), "Deleted")
    [listed] = sagemaker.list_apps(DomainIdEquals=DOMAIN_ID)["Apps"]
    assert (listed["AppName"], listed["Status"]) == ("default", "Deleted")
    [item] = emulator.state()["apps"]
    assert (item["status"], item["space"], item["app_type"], item["instance_type"]) == (
        "Deleted",
        "team-red",
        "JupyterLab",
        "ml.t3.medium",
    )


def test_app_needs_its_space_in_service(sagemaker, studio, emulator, expect_error):
    emulator.config(time_scale=0.05)  # the space is Pending for 0.5 s, then Updating for 0.5 s
    sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName="team-red", SpaceSettings={"AppType": "JupyterLab"})
    message = expect_error("ValidationException", sagemaker.create_app, **app_params())
    assert "Pending" in message
    studio.wait_status(lambda: studio.space_status("team-red"), "InService")
    sagemaker.update_space(DomainId=DOMAIN_ID, SpaceName="team-red", SpaceDisplayName="Red")
    expect_error("ValidationException", sagemaker.create_app, **app_params())
    studio.wait_status(lambda: studio.space_status("team-red"), "InService")
    sagemaker.create_app(**app_params())
    assert emulator.state()["apps"][0]["status"] == "Pending"


def test_app_in_an_unknown_space_is_resource_not_found(sagemaker, expect_error):
    expect_error("ResourceNotFound", sagemaker.create_app, **app_params(space="nowhere"))


def test_unknown_app_is_record_not_found_to_describe(sagemaker, studio, expect_error):
    """terraform-provider-aws's FindAppByName: DescribeApp of no such app is ValidationException RecordNotFound."""
    studio.space("team-red")
    assert expect_error("ValidationException", sagemaker.describe_app, **app_params()) == "RecordNotFound"
    expect_error("ResourceNotFound", sagemaker.delete_app, **app_params())


def test_one_app_per_type_per_space(sagemaker, studio, fast, expect_error):
    studio.space("team-red")
    studio.space("team-blue")
    studio.app("team-red", wait=None)
    expect_error("ResourceInUse", sagemaker.create_app, **app_params())  # the same app again
    expect_error("ResourceInUse", sagemaker.create_app, **app_params(name="second"))  # another of the same type
    studio.app("team-blue")  # another space is independent
    studio.wait_status(lambda: studio.app_status("team-red"), "InService")
    expect_error("ResourceInUse", sagemaker.create_app, **app_params(name="second"))
    studio.delete_app("team-red")
    studio.app("team-red", "second")  # a Deleted app no longer counts
    assert sorted((a["AppName"], a["Status"]) for a in sagemaker.list_apps(SpaceNameEquals="team-red")["Apps"]) == [
        ("default", "Deleted"),
        ("second", "InService"),
    ]


def test_app_type_must_match_the_space(sagemaker, studio, expect_error):
    studio.space("team-red", app_type="JupyterLab")
    expect_error("ValidationException", sagemaker.create_app, **app_params(app_type="CodeEditor"))
    expect_error("ValidationException", sagemaker.create_app, **app_params(app_type="KernelGateway"))


def test_space_and_user_profile_are_exclusive(sagemaker, studio, expect_error):
    studio.profile("alice")
    studio.space("team-red")
    expect_error("ValidationException", sagemaker.create_app, **app_params(), UserProfileName="alice")
    expect_error(
        "ValidationException", sagemaker.create_app, DomainId=DOMAIN_ID, AppType="JupyterLab", AppName="default"
    )


def test_deleting_twice(sagemaker, studio, emulator, expect_error):
    emulator.config(time_scale=0.005)  # starts in 0.75 s, Deleting for 0.45 s
    studio.space("team-red")
    studio.app("team-red")
    sagemaker.delete_app(**app_params())
    expect_error("ResourceInUse", sagemaker.delete_app, **app_params())
    studio.wait_status(lambda: studio.app_status("team-red"), "Deleted")
    assert "has already been deleted" in expect_error("ValidationException", sagemaker.delete_app, **app_params())


def test_tags_of_a_deleted_app_are_refused_while_it_is_listed(sagemaker, studio, fast, expect_error):
    """aws/amazon-sagemaker-feedback#108: ListTags and AddTags on a Deleted app, ValidationException, no message."""
    studio.space("team-red")
    arn = studio.app("team-red", Tags=[{"Key": "team", "Value": "red"}])
    studio.delete_app("team-red")
    assert expect_error("ValidationException", sagemaker.list_tags, ResourceArn=arn) == ""
    assert (
        expect_error("ValidationException", sagemaker.add_tags, ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}])
        == ""
    )
    assert expect_error("ValidationException", sagemaker.delete_tags, ResourceArn=arn, TagKeys=["team"]) == ""
    time.sleep(0.5)  # still listed long after (an hour on AWS), still refused
    assert [a["Status"] for a in sagemaker.list_apps(DomainIdEquals=DOMAIN_ID)["Apps"]] == ["Deleted"]
    expect_error("ValidationException", sagemaker.list_tags, ResourceArn=arn)


def test_a_failed_app_was_deleted_by_aws(sagemaker, studio, emulator, fast, expect_error):
    """DeleteApp of a Failed app is refused as terraform-provider-aws's app delete recognises it; the app stays
    listed as Failed (terraform-provider-aws#27265), its tags can no longer be read, and it blocks nothing."""
    studio.space("team-red")
    emulator.faults(fail_next_apps=1)
    arn = studio.app("team-red", wait="Failed", Tags=[{"Key": "team", "Value": "red"}])
    message = expect_error("ValidationException", sagemaker.delete_app, **app_params())
    assert message == f"App {arn} previously failed and was automatically deleted"
    assert studio.app_status("team-red") == "Failed"
    assert [a["Status"] for a in sagemaker.list_apps(DomainIdEquals=DOMAIN_ID)["Apps"]] == ["Failed"]
    assert expect_error("ValidationException", sagemaker.list_tags, ResourceArn=arn) == ""
    sagemaker.delete_space(DomainId=DOMAIN_ID, SpaceName="team-red")


def test_running_apps_quota_per_instance_type(sagemaker, studio, emulator, fast, expect_error):
    emulator.config(quotas={"apps": {"*/*": 2}})
    for space in ("s1", "s2", "s3", "s4"):
        studio.space(space)
    medium = {"ResourceSpec": {"InstanceType": "ml.t3.medium"}}
    sagemaker.create_app(**app_params("s1"), **medium)
    sagemaker.create_app(**app_params("s2"), **medium)
    message = expect_error("ResourceLimitExceeded", sagemaker.create_app, **app_params("s3"), **medium)
    assert "ml.t3.medium" in message
    sagemaker.create_app(**app_params("s3"), ResourceSpec={"InstanceType": "ml.m5.large"})  # another instance type
    studio.wait_status(lambda: studio.app_status("s1"), "InService")
    studio.delete_app("s1")  # Deleted apps do not run
    sagemaker.create_app(**app_params("s4"), **medium)
    assert sorted(a["instance_type"] for a in emulator.state()["apps"] if a["status"] != "Deleted") == [
        "ml.m5.large",
        "ml.t3.medium",
        "ml.t3.medium",
    ]


def test_list_filters(sagemaker, studio, fast):
    studio.profile("alice")
    studio.space("team-red")
    studio.space("team-blue", owner="alice", app_type="CodeEditor")
    studio.app("team-red", wait=None)
    studio.app("team-blue", app_type="CodeEditor", wait=None)
    sagemaker.create_app(DomainId=DOMAIN_ID, UserProfileName="alice", AppType="JupyterServer", AppName="default")

    def apps(**filters):
        return sorted(
            (a.get("SpaceName") or a.get("UserProfileName"), a["AppType"])
            for a in sagemaker.list_apps(**filters)["Apps"]
        )

    everything = [("alice", "JupyterServer"), ("team-blue", "CodeEditor"), ("team-red", "JupyterLab")]
    assert apps() == everything
    assert apps(DomainIdEquals=DOMAIN_ID) == everything
    assert apps(DomainIdEquals="d-otherdomain1") == []
    assert apps(SpaceNameEquals="team-blue") == [("team-blue", "CodeEditor")]
    assert apps(UserProfileNameEquals="alice") == [("alice", "JupyterServer")]
    assert apps(SpaceNameEquals="alice") == []


def test_default_instance_type(sagemaker, studio, emulator, fast):
    studio.space("team-red")
    studio.app("team-red")
    assert sagemaker.describe_app(**app_params())["ResourceSpec"] == {"InstanceType": "ml.t3.medium"}
    assert emulator.state()["apps"][0]["instance_type"] == "ml.t3.medium"


def test_stop_apps_after_next_lists_fault(sagemaker, studio, emulator, fast, expect_error):
    """The race of an app that finishes stopping between ListApps and ListTags, made deterministic."""
    studio.space("team-red")
    arn = studio.app("team-red")
    emulator.faults(stop_apps_after_next_lists=1)
    [listed] = sagemaker.list_apps(DomainIdEquals=DOMAIN_ID)["Apps"]
    assert listed["Status"] == "InService"  # the listing is answered first
    expect_error("ValidationException", sagemaker.list_tags, ResourceArn=arn)
    assert [a["Status"] for a in sagemaker.list_apps(DomainIdEquals=DOMAIN_ID)["Apps"]] == ["Deleted"]
