"""Preflight's idle check (module_utils/idle.py): what keeps a timeout from the event's spaces."""

from __future__ import annotations

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils.idle import idle_problems


def domain(space_idle=None, user_idle=None, app="jupyter_lab_app_settings") -> dict:
    def settings(idle):
        return {} if idle is None else {app: {"app_lifecycle_management": {"idle_settings": idle}}}

    return {
        "domain_id": "d-abc",
        "default_space_settings": settings(space_idle),
        "default_user_settings": settings(user_idle),
    }


ENABLED = {"lifecycle_management": "ENABLED"}


@pytest.mark.parametrize("timeout", [None, 0])
def test_no_timeout_has_no_problem(timeout):
    assert idle_problems(domain(), "JupyterLab", timeout) == []


def test_a_domain_that_enables_idle_shutdown_takes_any_timeout_in_aws_range():
    assert idle_problems(domain(ENABLED), "JupyterLab", 60) == []
    assert idle_problems(domain(ENABLED), "JupyterLab", 525600) == []


@pytest.mark.parametrize("timeout", [59, 525601])
def test_a_timeout_outside_aws_range_is_named(timeout):
    assert idle_problems(domain(ENABLED), "JupyterLab", timeout) == [
        f"studio_idle_timeout {timeout} is outside AWS's range of 60 to 525600 minutes"
    ]


@pytest.mark.parametrize("setting", [None, {"lifecycle_management": "DISABLED"}, {"idle_timeout_in_minutes": 60}])
def test_without_lifecycle_management_enabled_it_says_what_to_set(setting):
    [problem] = idle_problems(domain(setting), "JupyterLab", 60)
    assert problem == (
        "studio_idle_timeout needs idle shutdown enabled for JupyterLab on domain d-abc: the domain's administrator "
        "sets DefaultSpaceSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement "
        "to ENABLED (or set studio_idle_timeout to null)"
    )


@pytest.mark.parametrize(("timeout", "fits"), [(89, False), (90, True), (120, True), (121, False)])
def test_the_domain_min_and_max_bound_the_timeout(timeout, fits):
    idle = {**ENABLED, "min_idle_timeout_in_minutes": 90, "max_idle_timeout_in_minutes": 120}
    problems = idle_problems(domain(idle), "JupyterLab", timeout)
    assert problems == (
        []
        if fits
        else [
            f"studio_idle_timeout {timeout} is outside what domain d-abc allows for shared spaces "
            "(DefaultSpaceSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings: Min 90, Max 120 minutes)"
        ]
    )


def test_private_spaces_are_checked_against_the_user_defaults_per_app_type():
    code_editor = domain(user_idle=ENABLED, app="code_editor_app_settings")
    assert idle_problems(code_editor, "CodeEditor", 60, ("private",)) == []
    [problem] = idle_problems(code_editor, "JupyterLab", 60, ("shared", "private"))[1:]
    assert "DefaultUserSettings.JupyterLabAppSettings" in problem
    assert len(idle_problems(domain(ENABLED), "JupyterLab", 60, ("shared", "private"))) == 1  # the private side
