"""What proves a resource the event's: module_utils/scope.py, and the managers' use of it with a stand-in API."""

from __future__ import annotations

import datetime

from ansible_collections.hackathon.studio.plugins.module_utils._studio.domain import Domain
from ansible_collections.hackathon.studio.plugins.module_utils._studio.profiles import UserProfiles
from ansible_collections.hackathon.studio.plugins.module_utils._studio.spaces import Spaces
from ansible_collections.hackathon.studio.plugins.module_utils.scope import Records, carries, creation_time, owned
from botocore.exceptions import ClientError

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012"
EVENT = {"hackathon:event": "spring"}
CREATED = datetime.datetime(2026, 11, 26, 9, 0, 0, 123000, tzinfo=datetime.UTC)
LATER = CREATED + datetime.timedelta(seconds=1)


def test_one_instant_in_any_form_is_one_creation_time():
    paris = datetime.timezone(datetime.timedelta(hours=1))
    forms = [CREATED, CREATED.astimezone(paris), CREATED.isoformat(), "2026-11-26T10:00:00.123000+01:00"]
    assert {creation_time(form) for form in forms} == {"2026-11-26T09:00:00.123000+00:00"}
    assert creation_time(None) is None and creation_time("") is None
    assert creation_time(CREATED) != creation_time(LATER)


def test_a_record_vouches_only_for_the_very_resource_it_recorded():
    records = Records([{"name": "ada", "creation_time": CREATED.isoformat()}, {"name": "spring-organizer"}])
    assert records.vouches("ada", {"CreationTime": CREATED})
    assert not records.vouches("ada", {"CreationTime": LATER})  # re-created under the name: someone else's
    assert not records.vouches("ada", None) and not records.vouches("zed", {"CreationTime": CREATED})
    assert not records.vouches("spring-organizer", {"CreationTime": CREATED})  # a name alone proves nothing
    assert records.expects("spring-organizer") and not records.expects("zed")


def test_tags_are_compared_as_text_and_all_must_match():
    assert carries({"a": "1", "b": "2"}, {"a": 1}) and carries({}, None) and carries(None, {})
    assert not carries({"a": "1"}, {"a": "1", "b": "2"}) and not carries(None, EVENT)


def test_what_the_events_resources_own():
    spaces = [
        {"name": "team-1", "sharing": "shared", "owner": "spring-organizer"},
        {"name": "ada-private", "sharing": "private", "owner": "ada"},
        {"name": "zed-private", "sharing": "private", "owner": "zed"},
        {"name": "shared-by-ada", "sharing": "shared", "owner": "ada"},  # shared: never by ownership
    ]
    apps = [
        {"name": "default", "space": "team-1", "user_profile": None},
        {"name": "default", "space": "ada-private", "user_profile": None},
        {"name": "default", "space": "zed-private", "user_profile": None},
        {"name": "default", "space": None, "user_profile": "ada"},
        {"name": "default", "space": None, "user_profile": "zed"},
    ]
    private, owned_apps = owned({"ada", "spring-organizer"}, {"team-1"}, spaces, apps)
    assert [s["name"] for s in private] == ["ada-private"]
    assert [(a["space"], a["user_profile"]) for a in owned_apps] == [
        ("team-1", None),
        ("ada-private", None),
        (None, "ada"),
    ]


class FakeApi:
    """ListUserProfiles and ListTags from a table, and the Tagging API's GetResources from another."""

    def __init__(self, profiles: dict, tags: dict, indexed=()):
        self.profiles, self.tags, self.indexed = profiles, tags, set(indexed)
        self.calls: list = []
        self.tags_read: list = []

    def call(self, operation, **params):
        self.calls.append(operation)
        if operation == "ListTags":
            self.tags_read.append(params["ResourceArn"].rsplit("/", 1)[1])
        if operation == "DescribeDomain":
            return {"DomainArn": f"{PREFIX}:domain/d-1"}
        if operation == "ListTags":
            if params["ResourceArn"] not in self.tags:
                raise ClientError({"Error": {"Code": "ResourceNotFound", "Message": "gone"}}, "ListTags")
            return {"Tags": [{"Key": k, "Value": v} for k, v in self.tags[params["ResourceArn"]].items()]}
        if operation == "GetResources":
            assert len(params["ResourceARNList"]) <= 100
            found = [arn for arn in params["ResourceARNList"] if arn in self.indexed]
            tags = {arn: [{"Key": k, "Value": v} for k, v in self.tags[arn].items()] for arn in found}
            return {"ResourceTagMappingList": [{"ResourceARN": arn, "Tags": tags[arn]} for arn in found]}
        if operation == "DeleteUserProfile":
            self.profiles.pop(params["UserProfileName"])
            return {}
        raise AssertionError(operation)

    def list_all(self, operation, key, **params):
        self.calls.append(operation)
        if operation == "ListUserProfiles":
            return [{"UserProfileName": n, "Status": "InService", "CreationTime": t} for n, t in self.profiles.items()]
        return []


def domain(api, recorded=()) -> Domain:
    result = Domain(api, "d-1", wait=False)
    result.recorded, result.scope_tags, result.tagging_client = Records(recorded), EVENT, lambda: api
    return result


def test_a_delete_needs_the_record_and_the_tagging_index_or_the_tag():
    ada, forged, zed = (f"{PREFIX}:user-profile/d-1/{name}" for name in ("ada", "forged", "zed"))
    api = FakeApi(
        profiles={"ada": CREATED, "forged": CREATED, "zed": CREATED, "lag": CREATED},
        tags={ada: EVENT, forged: {}, zed: {}, f"{PREFIX}:user-profile/d-1/lag": EVENT},
        indexed=[ada],  # the index does not know "lag" yet
    )
    recorded = [{"name": name, "creation_time": CREATED.isoformat()} for name in ("ada", "forged", "lag")]
    plans = UserProfiles(domain(api, recorded)).ensure_absent([{"name": n, "tags": EVENT} for n in api.profiles])
    actions = {plan.key: plan.action for plan in plans}
    # ada: record and index; lag: record, and its own tag; forged: a record anyone could write, no tag; zed: nothing
    assert actions == {"ada": "deleted", "lag": "deleted", "forged": "unchanged", "zed": "unchanged"}
    assert {plan.key for plan in plans if plan.warning} == {"forged", "zed"}
    assert api.calls.count("GetResources") == 1  # one look at the index for the whole batch
    assert sorted(api.tags_read) == ["forged", "lag", "zed"]  # ada's record was confirmed by the index
    assert sorted(api.profiles) == ["forged", "zed"]


def test_without_records_or_tags_a_module_deletes_what_it_is_asked_to():
    api = FakeApi(profiles={"ada": CREATED}, tags={})
    unguarded = Domain(api, "d-1", wait=False)
    [plan] = UserProfiles(unguarded).ensure_absent([{"name": "ada"}])
    assert plan.action == "deleted" and "ListTags" not in api.calls and "GetResources" not in api.calls


def test_a_record_without_the_index_reads_the_tags_when_setup_checks_a_space():
    api = FakeApi(profiles={}, tags={f"{PREFIX}:space/d-1/team-1": EVENT})
    spaces = Spaces(domain(api, [{"name": "team-1", "creation_time": CREATED.isoformat()}]))
    summary = {"SpaceName": "team-1", "Status": "InService", "CreationTime": CREATED}
    assert not spaces.vouched("team-1", summary)  # not in the (empty) index: the tags are read instead
    assert spaces._tag_steps({"name": "team-1", "tags": EVENT, "adopt": False}, "team-1", summary, {}, {}) == []
    assert "ListTags" in api.calls


def test_the_index_is_asked_100_arns_at_a_time():
    names = [f"p{i:03d}" for i in range(250)]
    api = FakeApi(profiles=dict.fromkeys(names, CREATED), tags={}, indexed=())
    recorded = [{"name": name, "creation_time": CREATED.isoformat()} for name in names]
    UserProfiles(domain(api, recorded)).confirm_records({n: {"CreationTime": CREATED} for n in names})
    assert api.calls.count("GetResources") == 3
