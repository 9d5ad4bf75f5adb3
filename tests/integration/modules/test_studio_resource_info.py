"""studio_resource_info against the live emulator: one read of a shared domain, filtered by the event tag."""

from __future__ import annotations

import time

DOMAIN_ID = "d-hackathon0001"
EVENT = {"hackathon:event": "spring"}
EVENT_TAGS = [{"Key": "hackathon:event", "Value": "spring"}]


def info_task(**args):
    return {"hackathon.studio.studio_resource_info": args, "register": "out", "ignore_errors": True}


def wait_until(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the emulator did not settle in time"
        time.sleep(0.02)


def shared_domain(sagemaker, emulator):
    """The event's ada and bob beside a foreign profile, each with a space and an app; ada's old app Deleted."""
    for name, tags in (("ada", EVENT_TAGS), ("bob", EVENT_TAGS), ("foreign", [])):
        sagemaker.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name, Tags=tags)
    wait_until(lambda: all(p["status"] == "InService" for p in emulator.state()["user_profiles"]))
    for space, owner, sharing, app_type, tags in (
        ("ada-space", "ada", "Private", "JupyterLab", EVENT_TAGS),
        ("ada-code", "ada", "Private", "CodeEditor", EVENT_TAGS),
        ("foreign-space", "foreign", "Shared", "JupyterLab", []),
    ):
        sagemaker.create_space(
            DomainId=DOMAIN_ID,
            SpaceName=space,
            SpaceSettings={"AppType": app_type},
            Tags=tags,
            OwnershipSettings={"OwnerUserProfileName": owner},
            SpaceSharingSettings={"SharingType": sharing},
        )
    wait_until(lambda: all(s["status"] == "InService" for s in emulator.state()["spaces"]))
    for space, app_type, instance_type, tags in (
        ("ada-space", "JupyterLab", "ml.t3.large", EVENT_TAGS),
        ("ada-code", "CodeEditor", "ml.t3.medium", EVENT_TAGS),
        ("foreign-space", "JupyterLab", "ml.t3.medium", []),
    ):
        sagemaker.create_app(
            DomainId=DOMAIN_ID,
            SpaceName=space,
            AppType=app_type,
            AppName="default",
            Tags=tags,
            ResourceSpec={"InstanceType": instance_type},
        )
    sagemaker.delete_app(DomainId=DOMAIN_ID, SpaceName="ada-code", AppType="CodeEditor", AppName="default")
    wait_until(lambda: any(a["status"] == "Deleted" for a in emulator.state()["apps"]))


def names(items) -> list:
    return [item["name"] for item in items]


def test_event_filter_deleted_apps_and_no_match(playbook, sagemaker, emulator):
    shared_domain(sagemaker, emulator)
    before = emulator.calls()["received"]
    run = playbook(
        [
            info_task(tags=EVENT),
            info_task(),
            info_task(include_deleted_apps=True),
            {**info_task(tags={"hackathon:event": "autumn"}), "check_mode": True},
            info_task(domain_id="d-nosuchdomain"),
        ]
    )
    event, everything, with_deleted, nothing, missing = run.results

    assert not event["changed"] and not event.get("failed")
    assert names(event["user_profiles"]) == ["ada", "bob"]
    assert names(event["spaces"]) == ["ada-code", "ada-space"]
    [app] = event["apps"]  # the Deleted app and the foreign one are left out
    assert (app["name"], app["space"], app["user_profile"], app["app_type"], app["instance_type"], app["tags"]) == (
        "default",
        "ada-space",
        None,
        "JupyterLab",
        "ml.t3.large",
        EVENT,
    )
    assert app["status"] in ("Pending", "InService") and app["resource_spec"] == {"instance_type": "ml.t3.large"}
    space = event["spaces"][1]
    assert (space["owner"], space["sharing"], space["app_type"], space["status"], space["tags"]) == (
        "ada",
        "private",
        "JupyterLab",
        "InService",
        EVENT,
    )
    assert space["space_sharing_settings_summary"] == {"sharing_type": "Private"}  # snake_case, as AWS lists it
    assert event["user_profiles"][0]["tags"] == EVENT and event["user_profiles"][0]["status"] == "InService"

    assert names(everything["user_profiles"]) == ["ada", "bob", "foreign"]
    assert everything["user_profiles"][2]["tags"] == {}
    assert [(a["space"], a["status"] != "Deleted") for a in everything["apps"]] == [
        ("ada-space", True),
        ("foreign-space", True),
    ]
    foreign = everything["spaces"][2]
    assert (foreign["name"], foreign["owner"], foreign["sharing"], foreign["tags"]) == (
        "foreign-space",
        "foreign",
        "shared",
        {},
    )

    deleted = [a for a in with_deleted["apps"] if a["status"] == "Deleted"]
    assert [(a["space"], a["app_type"], a["tags"]) for a in deleted] == [("ada-code", "CodeEditor", {})]

    assert not nothing.get("failed")
    assert (nothing["user_profiles"], nothing["spaces"], nothing["apps"]) == ([], [], [])
    assert missing["failed"] and "d-nosuchdomain not found" in missing["msg"]

    after = emulator.calls()["received"]
    delta = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    assert not [action for action in delta if not action.startswith(("List", "Describe"))]  # it only reads
    # one ListTags per resource that is not a Deleted app: 3 profiles, 3 spaces, 2 apps, for each of 4 runs
    assert delta["ListTags"] == 4 * 8


def test_kinds_lists_only_those(playbook, sagemaker, emulator):
    shared_domain(sagemaker, emulator)
    before = emulator.calls()["received"]
    [apps_only] = playbook([info_task(kinds=["apps"], read_tags=False)]).results
    after = emulator.calls()["received"]
    assert set(apps_only) >= {"apps"} and not {"user_profiles", "spaces"} & set(apps_only)
    assert len(apps_only["apps"]) == 2  # ada's live app and the foreign one; not the Deleted one
    listed = {k: after[k] - before.get(k, 0) for k in after if k.startswith("List") and after[k] != before.get(k, 0)}
    assert listed == {"ListApps": 1}


def test_an_app_that_stops_between_the_listing_and_its_tags_is_left_out(playbook, sagemaker, emulator):
    """AWS refuses ListTags of a Deleted app (ValidationException, no message): that app is gone, not an error."""
    shared_domain(sagemaker, emulator)
    wait_until(lambda: all(a["status"] in ("InService", "Deleted") for a in emulator.state()["apps"]))
    emulator.faults(stop_apps_after_next_lists=1)  # every app ListApps lists is Deleted once it has answered
    [event] = playbook([info_task(tags=EVENT)]).results
    assert not event.get("failed"), event.get("msg")
    assert names(event["user_profiles"]) == ["ada", "bob"] and names(event["spaces"]) == ["ada-code", "ada-space"]
    assert event["apps"] == []
    assert {a["status"] for a in emulator.state()["apps"]} == {"Deleted"}


def test_empty_pages_that_carry_a_next_token_lose_nothing(playbook, sagemaker, emulator):
    """SageMaker's List* calls have answered empty pages with a NextToken (aws/aws-sdk#486)."""
    shared_domain(sagemaker, emulator)
    [whole] = playbook([info_task(tags=EVENT)]).results
    lists = ("ListUserProfiles", "ListSpaces", "ListApps")
    before = sum(emulator.calls()["received"].get(op, 0) for op in lists)
    emulator.faults(empty_pages_rate=0.9)
    [paged] = playbook([info_task(tags=EVENT)]).results
    assert sum(emulator.calls()["received"].get(op, 0) for op in lists) - before > 3  # empty pages were met
    assert {kind: paged[kind] for kind in ("user_profiles", "spaces", "apps")} == {
        kind: whole[kind] for kind in ("user_profiles", "spaces", "apps")
    }


def test_registry_is_read_in_the_same_run_and_its_records_and_names_added(playbook, sagemaker, emulator):
    """With ``registry``, what the table holds of the domain joins ``recorded``: a record (with the tag)
    proves ada the event's, a participant's name only warns about the foreign profile; before the
    table exists, nothing is added."""
    shared_domain(sagemaker, emulator)
    registry = {"table": "hackathon-studio-registry", "event": "spring"}
    look = {"tags": EVENT, "registry": registry, "kinds": ["user_profiles"]}
    foreign = {"email": "x@example.org", "team": "1", "user_profile": "foreign", "space": "foreign-space"}
    ada = "{{ (before.user_profiles | selectattr('name', 'eq', 'ada') | first).creation_time }}"
    run = playbook(
        [
            {**info_task(**look), "register": "before"},
            {
                "hackathon.studio.studio_registry": {
                    **registry,
                    "participants": [foreign],
                    "resources": [{"kind": "user_profiles", "name": "ada", "creation_time": ada}],
                    "domain_id": DOMAIN_ID,
                }
            },
            info_task(**look),
        ]
    )
    before, _, after = run.results
    assert [(p["name"], p["proof"]) for p in before["user_profiles"]] == [("ada", "tag"), ("bob", "tag")]
    assert not before.get("warnings")
    assert [(p["name"], p["proof"]) for p in after["user_profiles"]] == [("ada", "registry"), ("bob", "tag")]
    assert [w for w in after["warnings"] if "user profile foreign " in w and "left alone" in w], after["warnings"]
