"""Every module that acts returns the same shape, ``results`` and ``summary``, which the studio CLI renders alone."""

from __future__ import annotations

ACTIONS = ("created", "updated", "unchanged", "deleted", "failed")
EVENT = {"hackathon:event": "spring"}
TABLE = "hackathon-studio-registry"


def task(module: str, **args) -> dict:
    return {f"hackathon.studio.{module}": args, "register": "out", "ignore_errors": True}


def assert_shape(result: dict, kind: str) -> list:
    """The shape's rules: each entry names itself, its kind and one of the five actions; the summary counts them."""
    entries = result["results"]
    assert entries and all(isinstance(entry["name"], str) and entry["kind"] == kind for entry in entries), entries
    assert all(entry["action"] in ACTIONS for entry in entries), entries
    assert result["summary"] == {action: [e["action"] for e in entries].count(action) for action in ACTIONS}
    return entries


def test_acting_modules_return_results_and_summary_and_info_modules_say_what_they_found(playbook, tmp_path):
    people = [{"email": "ada@example.org", "team": "1", "user_profile": "ada", "space": "team-1"}]
    run = playbook(
        [
            task("studio_user_profile", name="ada", tags=EVENT),
            task("studio_space", name="team-1", tags=EVENT),
            task("studio_app", space="team-1", tags=EVENT),
            task("studio_registry", table=TABLE, event="spring", participants=people),
            task("studio_presigned_url", user_profiles=[{"user_profile": "ada"}], dest=str(tmp_path / "urls.csv")),
            task("studio_resource_info", tags=EVENT, owned=True),
            task("studio_app", space="team-1", state="absent", tags=EVENT),
            task("studio_registry", table=TABLE, event="spring", state="absent", delete_table=True),
        ]
    )
    profile, space, app, registry, urls, found, stopped, removed = run.results
    [entry] = assert_shape(profile, "user_profiles")
    assert (entry["name"], entry["action"], entry["tags"]) == ("ada", "created", EVENT)
    assert entry["arn"].endswith(":user-profile/d-hackathon0001/ada")
    assert entry["resource"]["user_profile_name"] == "ada" and entry["resource"]["status"] == "InService"
    assert profile["summary"]["created"] == 1
    [entry] = assert_shape(space, "spaces")
    assert entry["resource"]["space_name"] == "team-1" and entry["tags"] == EVENT
    [entry] = assert_shape(app, "apps")
    assert entry["name"] == "JupyterLab/default of space team-1" and entry["resource"]["app_type"] == "JupyterLab"

    [entry] = assert_shape(registry, "registry")
    assert (entry["name"], entry["action"]) == ("ada@example.org", "created")
    assert registry["added"] == ["ada@example.org"] and registry["msg"] == "table created"

    [entry] = assert_shape(urls, "urls")
    assert (entry["name"], entry["action"]) == ("ada", "created") and "url" not in entry
    assert urls["count"] == 1 and "written to" in urls["msg"] and "http" not in urls["msg"]

    assert found["msg"] == "1 user profiles, 1 spaces, 1 running apps"
    assert [a["live"] for a in found["apps"]] == [True]
    assert found["removal"] == {"apps": ["team-1"], "spaces": ["team-1"], "user_profiles": ["ada"]}

    [entry] = assert_shape(stopped, "apps")
    assert entry["action"] == "deleted" and "arn" not in entry and "tags" not in entry
    entries = assert_shape(removed, "registry")
    assert removed["summary"]["deleted"] == removed["items_deleted"] == len(entries) >= 1
    assert removed["msg"] == "table deleted"


def test_info_modules_without_tags_and_owned_return_no_removal(playbook):
    [found] = playbook([task("studio_resource_info", owned=True)]).results
    assert "removal" not in found and found["msg"] == "nothing found"
