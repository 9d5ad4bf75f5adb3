"""The Resource Groups Tagging API's GetResources, as AWS documents it, against the live emulator."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

DOMAIN_ID = "d-hackathon0001"
PREFIX = f"arn:aws:sagemaker:us-east-1:123456789012:user-profile/{DOMAIN_ID}/"
EVENT = "hackathon:event"


@pytest.fixture
def tagging(emulator):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("resourcegroupstaggingapi", config=config, **emulator.client_kwargs())


@pytest.fixture
def raw_tagging(emulator):
    """Sends what it is given (no client-side validation), never retries."""
    config = Config(parameter_validation=False, retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("resourcegroupstaggingapi", config=config, **emulator.client_kwargs())


@pytest.fixture
def instant(emulator):
    """A tagging index that learns of every change at once, for tests of the filters and pages."""
    emulator.config(tagging_lag_seconds=0)
    return emulator


def tags(**pairs) -> list[dict]:
    return [{"Key": k.replace("_", ":"), "Value": v} for k, v in pairs.items()]


def listed(client, **params) -> dict[str, dict]:
    """Every page of GetResources: ARN -> tags (as a dict)."""
    found = {}
    for page in client.get_paginator("get_resources").paginate(**params):
        for item in page["ResourceTagMappingList"]:
            assert item["ResourceARN"] not in found, "an ARN on two pages"
            found[item["ResourceARN"]] = {t["Key"]: t["Value"] for t in item["Tags"]}
    return found


def names(found: dict) -> list[str]:
    return sorted(arn.removeprefix(PREFIX) for arn in found)


def test_tag_filters_and_across_filters_or_across_values(sagemaker, tagging, instant):
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="a", Tags=tags(hackathon_event="e1", team="red"))
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="b", Tags=tags(hackathon_event="e1", team="blue"))
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="c", Tags=tags(hackathon_event="e2"))
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="d", Tags=tags(team="red"))
    sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="untagged")

    assert names(listed(tagging, TagFilters=[{"Key": EVENT, "Values": ["e1"]}])) == ["a", "b"]
    assert names(listed(tagging, TagFilters=[{"Key": EVENT, "Values": ["e1", "e2"]}])) == ["a", "b", "c"]
    both = [{"Key": EVENT, "Values": ["e1"]}, {"Key": "team", "Values": ["red"]}]
    assert names(listed(tagging, TagFilters=both)) == ["a"]
    assert names(listed(tagging, TagFilters=[{"Key": "team"}])) == ["a", "b", "d"]  # any value of the key
    assert names(listed(tagging, TagFilters=[{"Key": "team", "Values": []}])) == ["a", "b", "d"]
    assert names(listed(tagging, TagFilters=[{"Key": "Team"}])) == []  # keys are case-sensitive
    everything = listed(tagging)
    assert names(everything) == ["a", "b", "c", "d"]  # untagged resources never, nor the untagged domain
    assert everything[PREFIX + "a"] == {EVENT: "e1", "team": "red"}  # all of a resource's tags


def test_type_filters_and_arns_are_those_of_sagemaker(sagemaker, studio, tagging, instant, fast):
    event = tags(hackathon_event="e1")
    domain_arn = sagemaker.describe_domain(DomainId=DOMAIN_ID)["DomainArn"]
    sagemaker.add_tags(ResourceArn=domain_arn, Tags=event)
    profile = studio.profile("alice", Tags=event)
    space = studio.space("team-red", owner="alice", Tags=event)
    app = studio.app("team-red", Tags=event)
    for arn in (domain_arn, profile, space, app):
        assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == event  # the ARNs ListTags takes

    def kinds(*filters):
        return set(listed(tagging, ResourceTypeFilters=list(filters), TagFilters=[{"Key": EVENT}]))

    assert kinds("sagemaker") == {domain_arn, profile, space, app}
    assert kinds("sagemaker:user-profile") == {profile}
    assert kinds("sagemaker:space") == {space}
    assert kinds("sagemaker:app") == {app}
    assert kinds("sagemaker:domain") == {domain_arn}
    assert kinds("sagemaker:user-profile", "sagemaker:space") == {profile, space}
    assert kinds("ec2:instance") == set()
    assert kinds("sagemaker:endpoint") == set()


def test_pages_over_more_than_a_hundred_resources(sagemaker, tagging, instant):
    created = {
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"p{i:03}", Tags=tags(hackathon_event="e1"))[
            "UserProfileArn"
        ]
        for i in range(130)
    }
    event = [{"Key": EVENT, "Values": ["e1"]}]

    first = tagging.get_resources(TagFilters=event, ResourcesPerPage=100)
    assert len(first["ResourceTagMappingList"]) == 100
    assert first["PaginationToken"]
    last = tagging.get_resources(TagFilters=event, ResourcesPerPage=100, PaginationToken=first["PaginationToken"])
    assert len(last["ResourceTagMappingList"]) == 30
    assert last["PaginationToken"] == ""  # not absent: AWS ends with an empty string
    pages = [first, last]
    assert {m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]} == created

    unset = tagging.get_resources(TagFilters=event)  # AWS's default page size is undocumented: 50 here
    assert len(unset["ResourceTagMappingList"]) == 50
    assert set(listed(tagging, TagFilters=event, ResourcesPerPage=7)) == created
    assert set(listed(tagging, PaginationToken="", TagFilters=event)) == created  # "" starts at the beginning

    # TagsPerPage: a page never splits a resource's tags; two tags each, so 50 resources in 100 tags.
    for arn in list(created)[:60]:
        sagemaker.add_tags(ResourceArn=arn, Tags=tags(team="red"))
    page = tagging.get_resources(TagFilters=[{"Key": "team"}], TagsPerPage=100)
    assert len(page["ResourceTagMappingList"]) == 50
    assert page["PaginationToken"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ResourcesPerPage": 101}, "ResourcesPerPage must be between 1 and 100"),
        ({"ResourcesPerPage": 0}, "ResourcesPerPage must be between 1 and 100"),
        ({"TagsPerPage": 99}, "TagsPerPage must be between 100 and 500"),
        ({"TagsPerPage": 501}, "TagsPerPage must be between 100 and 500"),
        ({"ResourceARNList": [PREFIX + "a"], "TagFilters": [{"Key": EVENT}]}, "cannot be specified with TagFilters"),
        ({"ResourceARNList": [PREFIX + "a"], "ResourceTypeFilters": ["sagemaker"]}, "ResourceTypeFilters"),
        ({"ResourceARNList": [PREFIX + "a"], "ResourcesPerPage": 5}, "ResourcesPerPage"),
        ({"ResourceARNList": [PREFIX + "a"], "PaginationToken": ""}, "PaginationToken"),
        ({"ResourceARNList": ["user-profile/alice"]}, "not a valid AmazonResourceName"),
        ({"ResourceARNList": [PREFIX.replace("arn:aws:", "arn:aws-cn:") + "a"]}, "partition"),
        ({"ResourceARNList": []}, "Member must have length greater than or equal to 1"),
        ({"TagFilters": [{"Key": f"k{i}"} for i in range(51)]}, "Member must have length less than or equal to 50"),
        ({"TagFilters": [{"Key": "k", "Values": [str(i) for i in range(21)]}]}, "less than or equal to 20"),
        ({"TagFilters": [{"Values": ["v"]}]}, "Each TagFilter must contain a Key"),
        ({"ResourceTypeFilters": ["sagemaker"] * 101}, "at most 100"),
        ({"ResourceTypeFilters": ["Sage Maker"]}, "is not service[:resourceType]"),
        ({"ExcludeCompliantResources": True}, "only with IncludeComplianceDetails"),
        ({"IncludeComplianceDetails": True}, "tag policy"),
        ({"PaginationToken": "not-a-token"}, "not a token GetResources issued"),
        ({"ResourcesPerPage": "ten"}, "Member must be an integer"),
    ],
)
def test_bad_input_is_refused(raw_tagging, emulator, expect_error, params, message):
    assert message in expect_error("InvalidParameterException", raw_tagging.get_resources, **params)
    assert emulator.calls()["failed"] == {"Tagging.GetResources": 1}


def test_a_token_serves_only_its_own_query(sagemaker, tagging, instant, expect_error):
    for name in ("a", "b"):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name, Tags=tags(hackathon_event="e1"))
    token = tagging.get_resources(ResourcesPerPage=1)["PaginationToken"]
    other = expect_error(
        "InvalidParameterException", tagging.get_resources, PaginationToken=token, TagFilters=[{"Key": EVENT}]
    )
    assert "other TagFilters" in other
    rest = tagging.get_resources(PaginationToken=token)
    assert ([m["ResourceARN"] for m in rest["ResourceTagMappingList"]], rest["PaginationToken"]) == ([PREFIX + "b"], "")


def test_resource_arn_list_leaves_out_what_it_does_not_know(sagemaker, tagging, instant):
    tagged = sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="a", Tags=tags(hackathon_event="e1"))[
        "UserProfileArn"
    ]
    untagged = sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="b")["UserProfileArn"]
    other_region = tagged.replace("us-east-1", "eu-west-1")
    answer = tagging.get_resources(ResourceARNList=[untagged, tagged, PREFIX + "nobody", other_region, tagged])
    assert answer["ResourceTagMappingList"] == [{"ResourceARN": tagged, "Tags": tags(hackathon_event="e1")}]


def test_the_index_learns_of_a_new_resource_and_of_a_tag_change_after_the_lag(sagemaker, tagging, emulator, wait_for):
    emulator.config(tagging_lag_seconds=100)  # 1 s at the tests' time scale of 0.01
    arn = sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName="a", Tags=tags(hackathon_event="e1"))[
        "UserProfileArn"
    ]
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == tags(hackathon_event="e1")  # SageMaker knows at once
    assert listed(tagging) == {}  # the tagging index does not, yet
    assert tagging.get_resources(ResourceARNList=[arn])["ResourceTagMappingList"] == []
    wait_for(lambda: listed(tagging) == {arn: {EVENT: "e1"}}, timeout=5)

    sagemaker.add_tags(ResourceArn=arn, Tags=tags(hackathon_event="e2"))
    assert listed(tagging) == {arn: {EVENT: "e1"}}  # the old value, for the lag
    wait_for(lambda: listed(tagging) == {arn: {EVENT: "e2"}}, timeout=5)

    # Tagged once and no longer: listed with no tags when no tag filter is given (AWS's documentation).
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=[EVENT])
    wait_for(lambda: listed(tagging) == {arn: {}}, timeout=5)
    assert listed(tagging, TagFilters=[{"Key": EVENT}]) == {}


def test_a_deleted_resource_stays_listed_with_its_old_tags_for_the_lag(sagemaker, studio, tagging, emulator, wait_for):
    emulator.config(tagging_lag_seconds=0)
    arn = studio.profile("gone", Tags=tags(hackathon_event="e1"))
    assert listed(tagging) == {arn: {EVENT: "e1"}}
    emulator.config(tagging_lag_seconds=100)
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="gone")
    studio.wait_status(lambda: studio.profile_status("gone"), None)  # SageMaker: ResourceNotFound
    deleted_at = time.monotonic()
    assert listed(tagging, TagFilters=[{"Key": EVENT, "Values": ["e1"]}]) == {arn: {EVENT: "e1"}}
    assert tagging.get_resources(ResourceARNList=[arn])["ResourceTagMappingList"] != []
    wait_for(lambda: listed(tagging) == {}, timeout=5)
    assert time.monotonic() - deleted_at > 0.5  # listed for about the lag (1 s), not dropped at once


def test_a_resource_never_tagged_is_never_listed(sagemaker, studio, tagging, emulator):
    emulator.config(tagging_lag_seconds=0)
    arn = studio.profile("plain")
    sagemaker.update_user_profile(DomainId=DOMAIN_ID, UserProfileName="plain", UserSettings={})
    assert listed(tagging) == {}
    assert tagging.get_resources(ResourceARNList=[arn])["ResourceTagMappingList"] == []


def test_denied_get_resources_answers_access_denied(tagging, sagemaker, emulator, expect_error, control):
    emulator.faults(deny_actions=["tag:GetResources"])
    message = expect_error("AccessDeniedException", tagging.get_resources, TagFilters=[{"Key": EVENT}])
    assert message == (
        "User: arn:aws:sts::123456789012:assumed-role/studio-organizer/studio-emulator is not authorized to "
        "perform: tag:GetResources on resource: * because no identity-based policy allows the tag:GetResources action"
    )
    sagemaker.list_user_profiles()  # SageMaker is not denied
    assert control("GET", "faults")[1]["deny_actions"] == ["tag:GetResources"]
    assert emulator.calls()["failed"] == {"Tagging.GetResources": 1}
    status, answer = control("POST", "faults", b'{"deny_actions": ["GetResources"]}')  # a bare name is SageMaker's
    assert (status, answer) == (400, {"error": "deny_actions: sagemaker has no action 'GetResources'"})


def test_get_resources_is_throttled_and_recorded_like_other_actions(tagging, emulator, expect_error):
    emulator.faults(throttle={"rps": 0.01, "burst": 2, "actions": ["GetResources"]})
    tagging.get_resources()
    tagging.get_resources()
    assert expect_error("ThrottledException", tagging.get_resources) == "Rate exceeded"  # the model's error
    assert emulator.calls() == {
        "received": {"Tagging.GetResources": 3},
        "throttled": {"Tagging.GetResources": 1},
        "failed": {},
    }


def test_throttling_is_ridden_out_by_standard_retries(emulator):
    emulator.faults(throttle={"rps": 20, "burst": 1, "actions": None})
    client = boto3.client(
        "resourcegroupstaggingapi", config=Config(retries={"mode": "standard"}), **emulator.client_kwargs()
    )
    attempts = sum(client.get_resources()["ResponseMetadata"]["RetryAttempts"] for _ in range(3))
    assert attempts >= 1
    assert emulator.calls()["throttled"]["Tagging.GetResources"] == attempts


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("get_tag_keys", {}),
        ("get_tag_values", {"Key": EVENT}),
        ("tag_resources", {"ResourceARNList": [PREFIX + "a"], "Tags": {"k": "v"}}),
    ],
)
def test_other_operations_answer_as_unimplemented(tagging, emulator, expect_error, operation, params):
    message = expect_error("UnknownOperationException", getattr(tagging, operation), **params)
    action = tagging.meta.method_to_api_mapping[operation]
    assert message == f"Tagging.{action} is not implemented by studio-emulator"
    assert emulator.calls()["failed"] == {f"Tagging.{action}": 1}


@pytest.mark.parametrize("service", ["tagging", "sagemaker"])
def test_a_request_scoped_to_a_served_service_without_its_target_answers_400(emulator, service):
    """Another protocol (e.g. rpc-v2-cbor's path, no X-Amz-Target) names no JSON 1.1 action: a 4xx, never a 500."""
    request = AWSRequest(
        method="POST", url=emulator.url + "/", data=b"{}", headers={"Content-Type": "application/x-amz-json-1.1"}
    )
    SigV4Auth(Credentials("testing", "testing"), service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(raw, timeout=10)
    assert info.value.code == 400
    error = json.loads(info.value.read())
    assert error["__type"] == "UnknownOperationException"
    assert "in JSON 1.1 only: no X-Amz-Target" in error["message"]
