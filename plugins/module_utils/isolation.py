# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Team isolation (``studio_isolation``): an IAM execution role per team, and what it allows.

Why a role per team and not one role with attribute-based conditions: SageMaker assumes a user
profile's execution role with no session tags, only the profile's name as source identity (the
domain's ``ExecutionRoleIdentityConfig: USER_PROFILE_NAME``), so nothing in the request says which
team the caller is in; and an app being created has no tags of its own (the Service Authorization
Reference gives CreateApp no ``aws:ResourceTag`` key), so its space's ``hackathon:team`` tag cannot be
matched either. What does identify a team's space is the app's ARN, which carries the space's name:
``arn:aws:sagemaker:<region>:<account>:app/<domain>/<space>/<type>/<name>``. So each team's role
names its own space, and each member's own profile (and, with ``strict``, own private space) is
allowed only when the source identity is that member.

Roles live under the event's IAM path (``studio_iam_path``, ``/hackathon-studio/<event>/``: the
organizer's policy grants IAM actions there only), are tagged with the event and the team, and are
named ``<event>-<space>`` (role names are unique in an account whatever their path; 64 characters at
most).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from ansible_collections.hackathon.studio.plugins.module_utils.iam_policy import (
    DOMAIN_ID_PATTERN,
    EVENT_PATTERN,
    EVENT_TAG,
    REGION_PATTERN,
    _check,
    partition,
)

MODES = ("none", "team", "strict")
TEAM_TAG = "hackathon:team"
ROLE_NAME_MAX = 64
# AWS's limit on the inline policies of one role, together, in characters without whitespace (IAM
# User Guide, "IAM and AWS STS quotas": "Role policy size cannot exceed 10,240 characters").
ROLE_POLICY_MAX = 10240
SAGEMAKER = "sagemaker.amazonaws.com"
# What a participant's session does to an app: start it, open it, stop it (the Studio UI's calls).
APP_ACTIONS = ["sagemaker:CreateApp", "sagemaker:DeleteApp", "sagemaker:DescribeApp"]
# The Studio UI lists the domain's spaces, apps and profiles: List actions take no resource in the
# Service Authorization Reference, so a participant sees every space's name (docs/ISOLATION.md).
LIST_ACTIONS = ["sagemaker:ListApps", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles"]


# IAM's pattern for a path (CreateRole's Path in botocore's model), with the event's own segment.
PATH_PATTERN = re.compile(r"^/(?:[\x21-\x7e]+/)?$")


def role_name(event: str, space: str) -> str:
    """``<event>-<space>``; when longer than IAM's 64 characters, cut and ended with a hash of the whole."""
    name = f"{event}-{space}"
    if len(name) <= ROLE_NAME_MAX:
        return name
    digest = base64.b32encode(hashlib.sha256(name.encode()).digest()[:5]).decode().lower()
    return f"{name[: ROLE_NAME_MAX - len(digest) - 1].rstrip('-')}-{digest}"


def trust_policy() -> dict:
    """SageMaker may assume the role, and set the user profile's name as source identity."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": SAGEMAKER},
                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            }
        ],
    }


def domain_problems(domain: dict, mode: str) -> tuple[list, list]:
    """(problems, warnings) of a domain (DescribeDomain's answer) for isolation ``mode``.

    The per-member statements match the source identity SageMaker sets only with the domain's
    ``ExecutionRoleIdentityConfig: USER_PROFILE_NAME`` (DISABLED when unset): strict isolation cannot
    work without it, team isolation loses each member's own profile. The domain is not the event's
    to change: the organizer is told how. Code in a shared space runs as the domain's default space
    role (a space has no role of its own in the API), which team isolation cannot narrow.
    """
    if mode == "none":
        return [], []
    domain_id = domain.get("DomainId")
    identity = (domain.get("DomainSettings") or {}).get("ExecutionRoleIdentityConfig", "DISABLED")
    problems, warnings = [], []
    if identity != "USER_PROFILE_NAME":
        lost = "reach their own spaces" if mode == "strict" else "open their own profiles"
        missing = (
            f"domain {domain_id} does not give its execution roles the user profile's name as source identity "
            f"(ExecutionRoleIdentityConfig is {identity}), so participants cannot {lost}; with no app running, "
            f"run: aws sagemaker update-domain --domain-id {domain_id} "
            "--domain-settings-for-update ExecutionRoleIdentityConfig=USER_PROFILE_NAME"
        )
        (problems if mode == "strict" else warnings).append(missing)
    if mode == "team":
        role = (domain.get("DefaultSpaceSettings") or {}).get("ExecutionRole", "(none set)")
        warnings.append(
            f"code in every team space runs as domain {domain_id}'s default space role {role}: give it no "
            "SageMaker permission on the domain's spaces, apps or profiles (docs/ISOLATION.md)"
        )
    return problems, warnings


def _statement(sid: str, actions, resources, condition=None) -> dict:
    statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def team_policy(team: dict, domain: dict, mode: str, instance_types=(), account: str = "*") -> dict:
    """The identity policy of one team's role.

    ``team``: ``space`` (the team space's name) and ``members``: each with ``user_profile`` and, in
    ``strict``, ``personal_space``. ``domain``: ``region`` and ``domain_id``. ``instance_types``: the
    allow-list for the apps participants start (empty: any the domain takes).
    """
    region = _check(domain.get("region"), REGION_PATTERN, "region")
    domain_id = _check(domain.get("domain_id"), DOMAIN_ID_PATTERN, "Studio domain id")
    prefix = f"arn:{partition(region)}:sagemaker:{region}:{account}"
    own_apps = [f"{prefix}:app/{domain_id}/{team['space']}/*"]
    spaces = [f"{prefix}:space/{domain_id}/{team['space']}"]
    if mode == "strict":  # no team space: each member only in their own private space (below)
        own_apps, spaces = [], []
    statements = [
        _statement("ReadTheDomain", ["sagemaker:DescribeDomain"], [f"{prefix}:domain/{domain_id}"]),
        _statement("ListTheDomainsStudioResources", LIST_ACTIONS, "*"),
    ]
    if own_apps:
        statements += [
            _statement("TheTeamSpace", ["sagemaker:DescribeSpace"], spaces),
            *_app_statements("TheTeamSpacesApps", own_apps, instance_types),
        ]
    for number, member in enumerate(team["members"], 1):
        # The source identity is the user profile's name (ExecutionRoleIdentityConfig): each member
        # reaches their own profile, and in strict mode their own private space, and no teammate's.
        yourself = {"StringEquals": {"aws:SourceIdentity": member["user_profile"]}}
        statements.append(
            _statement(
                f"Member{number}OwnProfile",
                ["sagemaker:DescribeUserProfile", "sagemaker:CreatePresignedDomainUrl"],
                [f"{prefix}:user-profile/{domain_id}/{member['user_profile']}"],
                yourself,
            )
        )
        if mode == "strict":
            statements += [
                _statement(
                    f"Member{number}OwnSpace",
                    ["sagemaker:DescribeSpace"],
                    [f"{prefix}:space/{domain_id}/{member['personal_space']}"],
                    yourself,
                ),
                *_app_statements(
                    f"Member{number}OwnSpacesApps",
                    [f"{prefix}:app/{domain_id}/{member['personal_space']}/*"],
                    instance_types,
                    yourself,
                ),
            ]
    policy = {"Version": "2012-10-17", "Statement": statements}
    size = len(json.dumps(policy, separators=(",", ":")))
    if size > ROLE_POLICY_MAX:
        raise ValueError(
            f"the policy of team space {team['space']} would be {size} characters, over IAM's {ROLE_POLICY_MAX}: "
            f"the team has {len(team['members'])} members, too many for one role"
        )
    return policy


def _app_statements(sid: str, apps: list, instance_types, condition=None) -> list:
    """Open and stop apps in ``apps``; start them too, on an allowed instance type only."""
    starting = dict(condition or {})
    if instance_types:
        starting["ForAllValues:StringEquals"] = {"sagemaker:InstanceTypes": sorted(instance_types)}
    return [
        _statement(f"{sid}Start", ["sagemaker:CreateApp"], apps, starting),
        _statement(f"{sid}OpenAndStop", ["sagemaker:DescribeApp", "sagemaker:DeleteApp"], apps, condition),
    ]


def team_roles(event: str, path: str, participants, domain: dict, mode: str, instance_types=(), account="*") -> list:
    """One role per team of ``participants`` (the roster's: ``team``, ``space``, ``user_profile``, and in
    strict mode ``team_space`` and ``personal_space``), under the IAM ``path``: ``role`` (as studio_iam_role
    takes it: ``name``, ``path``, ``description``, ``trust_policy``, ``policy``, ``tags``), its ``arn``,
    the team's ``space``, and ``profiles`` (each member's user profile with the role as ``execution_role``,
    as studio_user_profile takes them)."""
    _check(event, EVENT_PATTERN, "event name")
    _check(path, PATH_PATTERN, "IAM path")
    if mode not in MODES[1:]:
        raise ValueError(f"studio_isolation must be one of {', '.join(MODES)}, got {mode!r}")
    teams: dict = {}
    for participant in participants:  # in strict mode, "space" is the participant's own
        space = participant.get("team_space") or participant["space"]
        team = teams.setdefault(space, {"team": participant["team"], "members": []})
        team["members"].append(participant)
    roles = []
    for space, team in sorted(teams.items()):
        name = role_name(event, space)
        arn = f"arn:{partition(domain['region'])}:iam::{account}:role{path}{name}"
        role = {
            "name": name,
            "path": path,
            "description": f"Studio execution role of team space {space} of event {event}",
            "trust_policy": trust_policy(),
            "policy": team_policy({"space": space, **team}, domain, mode, instance_types, account),
            "tags": {EVENT_TAG: event, TEAM_TAG: space},
        }
        profiles = [{"name": m["user_profile"], "execution_role": arn} for m in team["members"]]
        roles.append({"role": role, "arn": arn, "space": space, "profiles": profiles})
    return roles
