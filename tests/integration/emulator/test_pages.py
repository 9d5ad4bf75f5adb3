"""List* pages as SageMaker answers them: empty pages that still carry a NextToken (empty_pages_rate,
aws/aws-sdk#486), tokens good only for the call and sort order that issued them, and the model's
default order, Ascending."""

from __future__ import annotations

DOMAIN_ID = "d-hackathon0001"


def profiles(sagemaker, count: int) -> list[str]:
    names = [f"user-{i:02}" for i in range(count)]
    for name in names:
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)
    return names


def test_empty_pages_still_carry_a_token_and_the_paginator_gets_everything(sagemaker, emulator):
    names = profiles(sagemaker, 25)
    emulator.faults(empty_pages_rate=1)
    first = sagemaker.list_user_profiles(MaxResults=10)
    assert first["UserProfiles"] == [] and first["NextToken"]
    second = sagemaker.list_user_profiles(MaxResults=10, NextToken=first["NextToken"])
    assert [p["UserProfileName"] for p in second["UserProfiles"]] == names[:10]  # never two empty in a row
    pages = list(sagemaker.get_paginator("list_user_profiles").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["UserProfiles"]) for p in pages] == [0, 10, 0, 10, 0, 5]
    assert [p["UserProfileName"] for page in pages for p in page["UserProfiles"]] == names


def test_empty_pages_reach_spaces_and_apps_too(sagemaker, studio, emulator, fast):
    studio.space("team-red")
    studio.app("team-red")
    emulator.faults(empty_pages_rate=1)
    assert sagemaker.list_spaces()["Spaces"] == []
    assert sagemaker.list_apps()["Apps"] == []
    emulator.faults(empty_pages_rate=0)
    assert len(sagemaker.list_apps()["Apps"]) == 1


def test_a_listing_with_nothing_left_ends_without_a_token(sagemaker, emulator):
    emulator.faults(empty_pages_rate=1)
    page = sagemaker.list_user_profiles()
    assert page["UserProfiles"] == [] and "NextToken" not in page


def test_a_token_is_refused_by_another_operation(sagemaker, expect_error):
    profiles(sagemaker, 12)
    for i in range(12):
        sagemaker.create_space(DomainId=DOMAIN_ID, SpaceName=f"space-{i:02}")
    token = sagemaker.list_user_profiles()["NextToken"]
    message = expect_error("ValidationException", sagemaker.list_spaces, NextToken=token)
    assert "NextToken" in message
    expect_error("ValidationException", sagemaker.list_apps, NextToken=token)


def test_a_token_is_refused_with_another_sort_order(sagemaker, expect_error):
    profiles(sagemaker, 12)
    token = sagemaker.list_user_profiles(SortOrder="Descending")["NextToken"]
    expect_error("ValidationException", sagemaker.list_user_profiles, SortOrder="Ascending", NextToken=token)
    expect_error("ValidationException", sagemaker.list_user_profiles, NextToken=token)  # the default: Ascending
    expect_error("ValidationException", sagemaker.list_user_profiles, SortBy="LastModifiedTime", NextToken=token)
    last = sagemaker.list_user_profiles(SortOrder="Descending", NextToken=token)
    assert [p["UserProfileName"] for p in last["UserProfiles"]] == ["user-01", "user-00"]


def test_list_tags_refuses_a_listing_token(sagemaker, expect_error):
    arn = profiles(sagemaker, 12) and sagemaker.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName="user-00")
    token = sagemaker.list_user_profiles()["NextToken"]
    expect_error("ValidationException", sagemaker.list_tags, ResourceArn=arn["UserProfileArn"], NextToken=token)


def test_spaces_and_apps_list_oldest_first_by_default(sagemaker, studio, fast):
    for name in ("first", "second", "third"):
        studio.space(name)
    assert [s["SpaceName"] for s in sagemaker.list_spaces()["Spaces"]] == ["first", "second", "third"]
    for name in ("first", "second", "third"):
        studio.app(name, wait=None)
    assert [a["SpaceName"] for a in sagemaker.list_apps()["Apps"]] == ["first", "second", "third"]
