# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Whether a domain lets the event's spaces have Studio's idle shutdown, as a pure function.

A space's ``IdleTimeoutInMinutes`` (60-525600, botocore's model) works only where the domain's
administrator enabled idle shutdown for the app type (``LifecycleManagement: ENABLED``) and within
the ``Min/MaxIdleTimeoutInMinutes`` it allows (developer guide, "Idle shutdown"; IdleSettings in the
API reference). Shared spaces take these settings from the domain's DefaultSpaceSettings, private
ones from its DefaultUserSettings. The domain is the organizer's, not the event's to change: preflight
says what to set.
"""

from __future__ import annotations

LOWEST, HIGHEST = 60, 525600  # IdleTimeoutInMinutes's range in botocore's model
SETTINGS = {"CodeEditor": "code_editor_app_settings", "JupyterLab": "jupyter_lab_app_settings"}
CAMEL = {"CodeEditor": "CodeEditorAppSettings", "JupyterLab": "JupyterLabAppSettings"}
DEFAULTS = {
    "shared": ("default_space_settings", "DefaultSpaceSettings"),
    "private": ("default_user_settings", "DefaultUserSettings"),
}


def idle_settings(domain: dict, defaults: str, app_type: str) -> dict:
    """The IdleSettings (snake_case) of the domain's ``defaults`` for ``app_type``, {} if none."""
    settings = (domain.get(defaults) or {}).get(SETTINGS[app_type]) or {}
    return (settings.get("app_lifecycle_management") or {}).get("idle_settings") or {}


def idle_problems(domain: dict, app_type: str, timeout, sharings=("shared",)) -> list:
    """What keeps ``timeout`` minutes of idle shutdown from the event's spaces of ``sharings`` (shared
    and/or private) in ``domain`` (studio_domain_info's ``domain``, snake_case), one line each."""
    if not timeout:
        return []
    if not LOWEST <= int(timeout) <= HIGHEST:
        return [f"studio_idle_timeout {timeout} is outside AWS's range of {LOWEST} to {HIGHEST} minutes"]
    problems = []
    for sharing in sharings:
        defaults, camel = DEFAULTS[sharing]
        where = f"{camel}.{CAMEL[app_type]}.AppLifecycleManagement.IdleSettings"
        idle = idle_settings(domain, defaults, app_type)
        domain_id = domain.get("domain_id")
        if idle.get("lifecycle_management") != "ENABLED":
            problems.append(
                f"studio_idle_timeout needs idle shutdown enabled for {app_type} on domain {domain_id}: the domain's "
                f"administrator sets {where}.LifecycleManagement to ENABLED (or set studio_idle_timeout to null)"
            )
            continue
        low, high = idle.get("min_idle_timeout_in_minutes"), idle.get("max_idle_timeout_in_minutes")
        if (low is not None and int(timeout) < low) or (high is not None and int(timeout) > high):
            problems.append(
                f"studio_idle_timeout {timeout} is outside what domain {domain_id} allows for {sharing} spaces "
                f"({where}: Min {low if low is not None else '-'}, Max {high if high is not None else '-'} minutes)"
            )
    return problems
