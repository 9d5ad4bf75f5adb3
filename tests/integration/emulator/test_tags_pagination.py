"""Tags on every ARN kind, and pagination of every list to its last page with nothing missing or duplicated."""

from __future__ import annotations

import pytest

DOMAIN_ID = "d-hackathon0001"
ARN = "arn:aws:sagemaker:us-east-1:123456789012:"
TAGS = [{"Key": "hackathon:event", "Value": "spring-2025"}, {"Key": "team", "Value": "red"}]


def as_dict(tags: list[dict]) -> dict:
    return {t["Key"]: t["Value"] for t in tags}


def make_domain(sagemaker, studio, tags):
    domain = sagemaker.create_domain(
        DomainName="tagged",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/r"},
        SubnetIds=["subnet-0abc"],
        VpcId="vpc-0abc",
        Tags=tags,
    )
    studio.wait_status(lambda: sagemaker.describe_domain(DomainId=domain["DomainId"])["Status"], "InService")
    return domain["DomainArn"], "domains"


def make_profile(sagemaker, studio, tags):
    return studio.profile("alice", Tags=tags), "user_profiles"


def make_space(sagemaker, studio, tags):
    return studio.space("team-red", Tags=tags), "spaces"


def make_app(sagemaker, studio, tags):
    studio.space("team-red")
    return studio.app("team-red", Tags=tags), "apps"


@pytest.mark.parametrize("make", [make_domain, make_profile, make_space, make_app], ids=lambda f: f.__name__[5:])
def test_tag_round_trip(sagemaker, studio, emulator, fast, make):
    arn, kind = make(sagemaker, studio, TAGS)
    assert arn.startswith(ARN)
    assert as_dict(sagemaker.list_tags(ResourceArn=arn)["Tags"]) == as_dict(TAGS)

    added = [{"Key": "team", "Value": "blue"}, {"Key": "owner", "Value": "alice"}]
    assert sagemaker.add_tags(ResourceArn=arn, Tags=added)["Tags"] == added
    expected = {"hackathon:event": "spring-2025", "team": "blue", "owner": "alice"}
    assert as_dict(sagemaker.list_tags(ResourceArn=arn)["Tags"]) == expected

    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team", "not-there"])
    expected.pop("team")
    assert as_dict(sagemaker.list_tags(ResourceArn=arn)["Tags"]) == expected
    [item] = [r for r in emulator.state()[kind] if r["arn"] == arn]
    assert item["tags"] == expected


def test_tags_on_the_pre_created_domain(sagemaker, emulator):
    arn = sagemaker.describe_domain(DomainId=DOMAIN_ID)["DomainArn"]
    assert arn == f"{ARN}domain/{DOMAIN_ID}"
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []
    sagemaker.add_tags(ResourceArn=arn, Tags=TAGS)
    assert as_dict(sagemaker.list_tags(ResourceArn=arn)["Tags"]) == as_dict(TAGS)
    assert emulator.state()["domains"][0]["tags"] == as_dict(TAGS)


def test_arn_kinds(sagemaker, studio, fast):
    assert studio.profile("alice") == f"{ARN}user-profile/{DOMAIN_ID}/alice"
    assert studio.space("team-red") == f"{ARN}space/{DOMAIN_ID}/team-red"
    assert studio.app("team-red", wait=None) == f"{ARN}app/{DOMAIN_ID}/team-red/jupyterlab/default"


def test_unknown_arn_is_resource_not_found(sagemaker, expect_error):
    arn = f"{ARN}user-profile/{DOMAIN_ID}/nobody"
    expect_error("ResourceNotFound", sagemaker.list_tags, ResourceArn=arn)
    expect_error("ResourceNotFound", sagemaker.add_tags, ResourceArn=arn, Tags=TAGS)
    expect_error("ResourceNotFound", sagemaker.delete_tags, ResourceArn=arn, TagKeys=["team"])


def test_tags_of_a_deleted_resource_are_gone(sagemaker, studio, fast, expect_error):
    arn = studio.profile("alice", Tags=TAGS)
    sagemaker.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName="alice")
    studio.wait_status(lambda: studio.profile_status("alice"), None)
    expect_error("ResourceNotFound", sagemaker.list_tags, ResourceArn=arn)


def test_reserved_aws_prefix_is_refused(sagemaker, studio, expect_error):
    arn = studio.profile("alice")
    expect_error("ValidationException", sagemaker.add_tags, ResourceArn=arn, Tags=[{"Key": "aws:owner", "Value": "x"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []


def test_at_most_50_tags(sagemaker, studio, expect_error):
    arn = studio.profile("alice", Tags=[{"Key": f"k{i:02}", "Value": str(i)} for i in range(50)])
    message = expect_error(
        "ValidationException", sagemaker.add_tags, ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "x"}]
    )
    assert "50" in message
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "k00", "Value": "overwritten"}])  # replacing is fine
    assert len(sagemaker.list_tags(ResourceArn=arn)["Tags"]) == 50


def test_list_tags_pagination(sagemaker, studio, raw_sagemaker, expect_error):
    tags = [{"Key": f"k{i:02}", "Value": str(i)} for i in range(50)]
    arn = studio.profile("alice", Tags=tags)
    page = sagemaker.list_tags(ResourceArn=arn, MaxResults=50)
    assert "NextToken" not in page  # the last page has no token
    assert page["Tags"] == tags
    # ListTags pages hold at least 50 tags, the most a resource can have: page through with botocore's paginator,
    # which cuts pages client-side below that and resumes with its own token.
    paginator = sagemaker.get_paginator("list_tags")
    first = paginator.paginate(ResourceArn=arn, PaginationConfig={"MaxItems": 20}).build_full_result()
    assert len(first["Tags"]) == 20
    rest = paginator.paginate(ResourceArn=arn, PaginationConfig={"StartingToken": first["NextToken"]})
    assert first["Tags"] + rest.build_full_result()["Tags"] == tags
    expect_error("ValidationException", raw_sagemaker.list_tags, ResourceArn=arn, MaxResults=10)


# ----- pagination ---------------------------------------------------------------------------------------
@pytest.fixture
def profiles_250(sagemaker):
    names = [f"participant-{i:03}" for i in range(250)]
    for name in names:
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)
    return names


def test_250_profiles_in_pages_of_100(sagemaker, profiles_250):
    pages, token = [], None
    while True:
        page = sagemaker.list_user_profiles(
            MaxResults=100, SortOrder="Descending", **({"NextToken": token} if token else {})
        )
        pages.append([p["UserProfileName"] for p in page["UserProfiles"]])
        token = page.get("NextToken")
        if not token:
            break
    assert [len(p) for p in pages] == [100, 100, 50]
    seen = [name for page in pages for name in page]
    assert len(set(seen)) == 250
    assert seen == sorted(profiles_250, reverse=True)  # newest first, nothing missing or duplicated


def test_paginator_in_both_orders(sagemaker, profiles_250):
    paginator = sagemaker.get_paginator("list_user_profiles")
    for order, expected in (("Ascending", profiles_250), ("Descending", profiles_250[::-1])):
        pages = list(paginator.paginate(SortOrder=order, PaginationConfig={"PageSize": 7}))
        assert len(pages) == 36  # 35 pages of 7 and one of 5
        assert [p["UserProfileName"] for page in pages for p in page["UserProfiles"]] == expected


def test_paginator_with_filters(sagemaker, profiles_250):
    paginator = sagemaker.get_paginator("list_user_profiles")
    found = paginator.paginate(
        DomainIdEquals=DOMAIN_ID, UserProfileNameContains="participant-1", PaginationConfig={"PageSize": 9}
    ).build_full_result()["UserProfiles"]
    assert sorted(p["UserProfileName"] for p in found) == [f"participant-{i}" for i in range(100, 200)]


def test_pages_stay_consistent_while_profiles_are_created(sagemaker, profiles_250):
    first = sagemaker.list_user_profiles(MaxResults=100, SortOrder="Descending")
    for i in range(5):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"late-{i}")
    seen = [p["UserProfileName"] for p in first["UserProfiles"]]
    token = first["NextToken"]
    while token:
        page = sagemaker.list_user_profiles(MaxResults=100, SortOrder="Descending", NextToken=token)
        seen += [p["UserProfileName"] for p in page["UserProfiles"]]
        token = page.get("NextToken")
    assert seen == profiles_250[::-1]  # newer profiles sort before the first page: none leaks into later ones


def test_exactly_one_full_page_has_no_token(sagemaker):
    for i in range(10):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"p{i}")
    page = sagemaker.list_user_profiles(MaxResults=10)
    assert len(page["UserProfiles"]) == 10
    assert "NextToken" not in page
    default = sagemaker.list_user_profiles()  # the default page holds 10
    assert [p["UserProfileName"] for p in default["UserProfiles"]] == [
        p["UserProfileName"] for p in page["UserProfiles"]
    ]
    assert "NextToken" not in default


def test_default_page_size_and_token(sagemaker):
    for i in range(11):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"p{i}")
    page = sagemaker.list_user_profiles()
    assert len(page["UserProfiles"]) == 10
    last = sagemaker.list_user_profiles(NextToken=page["NextToken"])
    assert [p["UserProfileName"] for p in last["UserProfiles"]] == ["p10"]  # Ascending, the model's default
    assert "NextToken" not in last


def test_invalid_token_is_a_validation_error(sagemaker, expect_error):
    expect_error("ValidationException", sagemaker.list_user_profiles, NextToken="not-a-token")


def test_spaces_paginate_to_the_last_page(sagemaker):
    names = [f"space-{i:02}" for i in range(25)]
    for name in names:
        sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName=name)
    pages = list(sagemaker.get_paginator("list_spaces").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["Spaces"]) for p in pages] == [10, 10, 5]
    assert "NextToken" not in pages[-1]
    assert sorted(s["SpaceName"] for p in pages for s in p["Spaces"]) == names


def test_apps_paginate_to_the_last_page(sagemaker, studio, fast):
    for i in range(12):
        studio.space(f"space-{i:02}", wait=False)
    for i in range(12):
        studio.wait_status(lambda i=i: studio.space_status(f"space-{i:02}"), "InService")
        studio.app(f"space-{i:02}", wait=None)
    pages = list(sagemaker.get_paginator("list_apps").paginate(PaginationConfig={"PageSize": 5}))
    assert [len(p["Apps"]) for p in pages] == [5, 5, 2]
    assert sorted(a["SpaceName"] for p in pages for a in p["Apps"]) == [f"space-{i:02}" for i in range(12)]


def test_domains_paginate_to_the_last_page(sagemaker, fast):
    created = [
        sagemaker.create_domain(
            DomainName=f"domain-{i}",
            AuthMode="IAM",
            DefaultUserSettings={"ExecutionRole": "arn:aws:iam::123456789012:role/r"},
            SubnetIds=["subnet-0abc"],
            VpcId="vpc-0abc",
        )["DomainId"]
        for i in range(4)
    ]
    pages = list(sagemaker.get_paginator("list_domains").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["Domains"]) for p in pages] == [2, 2, 1]
    assert sorted(d["DomainId"] for p in pages for d in p["Domains"]) == sorted([DOMAIN_ID, *created])
