"""The emulator's tagging index and GetResources paging, as pure logic (clock passed in)."""

from __future__ import annotations

import pytest

from hackathon_studio.emulator.errors import ApiError
from hackathon_studio.emulator.tagging import TagIndex, get_resources

ARN = "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-hackathon0001/"


def test_a_token_is_valid_for_15_minutes():
    index = {ARN + "a": {"k": "v"}, ARN + "b": {"k": "v"}}
    token = get_resources(index, {"ResourcesPerPage": 1}, now=1000.0)["PaginationToken"]
    page = get_resources(index, {"PaginationToken": token}, now=1000.0 + 899)
    assert [m["ResourceARN"] for m in page["ResourceTagMappingList"]] == [ARN + "b"]
    with pytest.raises(ApiError) as info:
        get_resources(index, {"PaginationToken": token}, now=1000.0 + 901)
    assert info.value.code == "PaginationTokenExpiredException"


def test_a_change_never_overtakes_an_earlier_one():
    """Shortening the lag between two changes must not show the second before the first."""
    index = TagIndex()
    index.record(ARN + "a", {"k": "1"}, visible_from=100.0, now=0.0)
    index.record(ARN + "a", {"k": "2"}, visible_from=10.0, now=1.0)
    assert index.view(50.0) == {}
    assert index.view(100.0) == {ARN + "a": {"k": "2"}}


def test_a_deleted_resource_is_forgotten_once_its_deletion_shows():
    index = TagIndex()
    index.record(ARN + "a", {"k": "v"}, visible_from=0.0, now=0.0)
    index.record(ARN + "a", None, visible_from=5.0, now=1.0)
    assert index.view(4.0) == {ARN + "a": {"k": "v"}}
    assert index.view(5.0) == {}
    assert index.history == {}
    index.record(ARN + "a", {}, visible_from=6.0, now=6.0)  # re-created untagged: never indexed
    assert index.view(7.0) == {}
