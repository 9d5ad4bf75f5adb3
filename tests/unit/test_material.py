"""The event's material as pure logic: the lifecycle script and its name and limits (lifecycle.py), the
URL checks, and how spaces and user profiles compare and build their JupyterLab settings (spaces.py,
profiles.py) over what is already there."""

from __future__ import annotations

import base64
import time

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils._studio.base import ItemError
from ansible_collections.hackathon.studio.plugins.module_utils._studio.domain import Domain
from ansible_collections.hackathon.studio.plugins.module_utils._studio.profiles import UserProfiles, jupyterlab_settings
from ansible_collections.hackathon.studio.plugins.module_utils._studio.spaces import Spaces
from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import (
    MAX_CONTENT,
    MaterialError,
    build_script,
    check_repository_urls,
    config_name,
    encoded,
    material_problems,
)

CONFIG = "arn:aws:sagemaker:eu-west-1:123456789012:studio-lifecycle-config/hackathon-spring-0123456789"
NEW_CONFIG = CONFIG.replace("0123456789", "abcdefabcd")
IMAGE = "arn:aws:sagemaker:eu-west-1:123456789012:image/course"


def test_the_name_carries_the_event_and_the_scripts_hash_within_the_models_63_characters():
    name = config_name("spring", "echo a")
    assert name.startswith("hackathon-spring-") and name == config_name("spring", "echo a")
    assert name != config_name("spring", "echo b")
    long = config_name("e" * 63, "echo a")
    assert len(long) == 63 and long.endswith(name[-10:])


def test_the_script_runs_the_auto_stop_in_the_background_then_the_organizers_script():
    script = build_script("print('auto-stop')", 90, "echo organizer\nexit 0\n", "on-start.sh")
    assert script.startswith("#!/bin/bash\n")
    assert script.index("auto_stop.py --idle-minutes 90") < script.index("bash /var/tmp/hackathon-studio/organizer.sh")
    assert "nohup" in script and "&\n" in script  # in the background: the start is not held up
    assert build_script(None, None, None) == ""
    assert "auto_stop" not in build_script(None, None, "echo x")
    with pytest.raises(MaterialError, match="studio_auto_stop needs studio_idle_timeout"):
        build_script("print()", 0, None)
    with pytest.raises(
        MaterialError, match="studio_lifecycle_script on-start.sh has a line HACKATHON_STUDIO_ORGANIZER"
    ):
        build_script(None, None, "cat <<EOF\nHACKATHON_STUDIO_ORGANIZER_SCRIPT\n", "on-start.sh")


def test_the_limit_counts_the_base64_text_as_the_model_does():
    fits = "x" * (MAX_CONTENT * 3 // 4)
    assert len(encoded(fits)) == MAX_CONTENT and base64.b64decode(encoded(fits)).decode() == fits
    with pytest.raises(MaterialError, match="AWS takes at most 16384"):
        encoded(fits + "xyz")


def test_repository_urls_as_the_model_checks_them_and_fast_on_a_long_bad_one():
    good = ["https://github.com/org/repo.git", "https://gitlab.com/a/b/c", "https://abc"]
    assert check_repository_urls(good) == []
    bad = ["http://github.com/org/repo", "https://github.com//x", "https://ab", "https://git hub.com/x", 7]
    assert len(check_repository_urls(bad)) == len(bad)
    assert "at most 10" in check_repository_urls([good[0]] * 11)[0]
    assert check_repository_urls("https://github.com/org/repo") != []
    started = time.monotonic()
    assert check_repository_urls(["https://" + "a" * 1000 + "!"]) != []  # the model's pattern would backtrack
    assert time.monotonic() - started < 0.5


def test_material_is_jupyterlabs_only():
    assert material_problems("JupyterLab", ["https://github.com/a/b"], "s.sh", True, "course") == []
    [problem] = material_problems("CodeEditor", ["https://github.com/a/b"], "", False, "")
    assert problem.startswith("studio_git_repositories: for JupyterLab spaces only")
    assert material_problems("CodeEditor", [], "", False, "") == []
    assert "needs name" in material_problems("JupyterLab", [], "", False, {"version": 2})[0]


class FakeApi:
    """DescribeSpace/DescribeUserProfile/DescribeImage* answers, every call recorded."""

    def __init__(self, space_settings=None, user_settings=None):
        self.space_settings = space_settings or {}
        self.user_settings = user_settings or {}
        self.calls = []

    def call(self, operation, **params):
        self.calls.append(operation)
        if operation == "DescribeSpace":
            return {"SpaceSettings": self.space_settings}
        if operation == "DescribeUserProfile":
            return {"UserSettings": self.user_settings}
        if operation == "DescribeImage":
            return {"ImageArn": IMAGE}
        if operation == "DescribeImageVersion":
            return {"ImageVersionArn": f"{IMAGE}-version/{params.get('Version', 1)}", "Version": 1}
        return {}


SUMMARY = {"SpaceName": "team-1", "SpaceSettingsSummary": {"AppType": "JupyterLab"}, "Status": "InService"}


def test_a_space_update_sends_its_jupyterlab_settings_whole_keeping_what_the_event_does_not_set():
    idle = {"IdleSettings": {"IdleTimeoutInMinutes": 60}}
    current = {"AppLifecycleManagement": idle, "DefaultResourceSpec": {"InstanceType": "ml.t3.large"}}
    api = FakeApi({"JupyterLabAppSettings": current})
    spaces = Spaces(Domain(api, "d-1"))
    item = {
        "name": "team-1",
        "code_repositories": ["https://github.com/a/b"],
        "lifecycle_config": CONFIG,
        "image": "course",
    }
    before, after, update = spaces.compare(item, SUMMARY)
    assert before == {"code_repositories": [], "lifecycle_config": "", "image": ""}
    assert after == {"code_repositories": ["https://github.com/a/b"], "lifecycle_config": CONFIG, "image": IMAGE}
    assert update["SpaceSettings"] == {
        "JupyterLabAppSettings": {
            "AppLifecycleManagement": idle,
            "CodeRepositories": [{"RepositoryUrl": "https://github.com/a/b"}],
            "DefaultResourceSpec": {
                "InstanceType": "ml.t3.large",
                "LifecycleConfigArn": CONFIG,
                "SageMakerImageArn": IMAGE,
            },
        }
    }
    api.space_settings = update["SpaceSettings"]
    assert spaces.compare(item, SUMMARY)[2] is None  # nothing differs: no update
    assert api.calls.count("DescribeImage") == 1  # the image is read once per run


def test_a_space_drops_the_material_and_clears_an_image_version_as_aws_wants():
    spec = {"LifecycleConfigArn": CONFIG, "SageMakerImageArn": IMAGE, "SageMakerImageVersionArn": f"{IMAGE}-version/2"}
    block = {"CodeRepositories": [{"RepositoryUrl": "https://github.com/a/b"}], "DefaultResourceSpec": spec}
    api = FakeApi({"JupyterLabAppSettings": block})
    spaces = Spaces(Domain(api, "d-1"))
    gone = {"name": "team-1", "code_repositories": [], "lifecycle_config": "", "image": ""}
    _, after, update = spaces.compare(gone, SUMMARY)
    # "To clear the value set for SageMakerImageVersionArn, pass None as the value" (botocore's model)
    assert update["SpaceSettings"]["JupyterLabAppSettings"] == {
        "CodeRepositories": [],
        "DefaultResourceSpec": {"SageMakerImageVersionArn": "None"},
    }
    assert after == {"code_repositories": [], "lifecycle_config": "", "image": ""}
    api.space_settings = update["SpaceSettings"]
    assert spaces.compare(gone, SUMMARY)[2] is None


def test_a_code_editor_space_takes_no_material_and_bad_urls_fail_before_any_call():
    api = FakeApi()
    spaces = Spaces(Domain(api, "d-1"))
    with pytest.raises(ItemError, match="code_repositories are for JupyterLab spaces, not CodeEditor"):
        spaces.settings({"name": "me", "app_type": "CodeEditor", "code_repositories": ["https://github.com/a/b"]})
    assert spaces.settings(
        {"name": "me", "app_type": "CodeEditor", "code_repositories": [], "lifecycle_config": ""}
    ) == {"AppType": "CodeEditor"}
    with pytest.raises(ItemError, match="space team-1: studio_git_repositories: 'http://x.org/a' is not a URL"):
        spaces.settings({"name": "team-1", "app_type": "JupyterLab", "code_repositories": ["http://x.org/a"]})
    assert api.calls == []


def test_a_profile_gets_the_configuration_attached_and_as_default_and_the_image_keeping_the_rest():
    current = {"ExecutionRole": "arn:aws:iam::1:role/r", "JupyterLabAppSettings": {"AppLifecycleManagement": {"x": 1}}}
    api = FakeApi(user_settings=current)
    profiles = UserProfiles(Domain(api, "d-1"))
    item = {"name": "ada", "lifecycle_config": CONFIG, "image": "course", "image_version": 2}
    before, after, update = profiles.compare(item, {})
    assert (before, after) == (
        {"lifecycle_config": "", "image": ""},
        {"lifecycle_config": CONFIG, "image": "course"},
    )
    assert update["UserSettings"] == {
        "JupyterLabAppSettings": {
            "AppLifecycleManagement": {"x": 1},
            "LifecycleConfigArns": [CONFIG],
            "DefaultResourceSpec": {"LifecycleConfigArn": CONFIG},
            "CustomImages": [{"ImageName": "course", "AppImageConfigName": "course", "ImageVersionNumber": 2}],
        }
    }
    api.user_settings = {**current, **update["UserSettings"]}
    assert profiles.compare(item, {})[2] is None
    changed = profiles.compare(dict(item, lifecycle_config=NEW_CONFIG), {})[2]
    assert changed["UserSettings"]["JupyterLabAppSettings"]["LifecycleConfigArns"] == [NEW_CONFIG]


def test_detaching_sets_an_empty_list_as_the_model_asks():
    attached = {"LifecycleConfigArns": [CONFIG], "DefaultResourceSpec": {"LifecycleConfigArn": CONFIG}}
    # "To remove a lifecycle config, you must set LifecycleConfigArns to an empty list" (botocore's model)
    assert jupyterlab_settings({"lifecycle_config": ""}, attached) == {"LifecycleConfigArns": []}
    assert jupyterlab_settings({"lifecycle_config": "", "image": ""}, {}) == {}
