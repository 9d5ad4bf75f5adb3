# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's IAM roles, many at once: each with its trust policy, one inline policy and tags.

One task per role through amazon.aws's iam_role and iam_policy took 5 s a team (two module runs) on
this project's 2-core machine, 20 minutes for 250 teams; here one module run handles every role on
a pool of threads, with amazon.aws's own policy comparison (compare_policies) so that equal
documents in another order or spelling are unchanged. A role is the event's only if it carries the
event's tags: a role of that name without them is someone else's and is neither changed nor deleted.
"""

from __future__ import annotations

import json
import urllib.parse

try:
    from botocore.exceptions import ClientError
except ImportError:  # AnsibleAWSModule reports a missing botocore
    ClientError = None

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.hackathon.studio.plugins.module_utils.api import error_code, error_message
from ansible_collections.hackathon.studio.plugins.module_utils.batch import ItemFailure, run_batch
from ansible_collections.hackathon.studio.plugins.module_utils.results import item_result

KIND = "iam_roles"


def _document(value) -> dict:
    """A policy document as IAM returns it (URL-encoded JSON, or already decoded by botocore)."""
    return json.loads(urllib.parse.unquote(value)) if isinstance(value, str) else value


class EventRoles:
    """``api``: a StudioApi over an IAM client. ``tags``: the event's tags, which prove a role the event's."""

    def __init__(self, api, tags: dict, policy_name: str, check_mode: bool) -> None:
        self.api = api
        self.tags = tags
        self.policy_name = policy_name
        self.check_mode = check_mode
        self.existing: set = set()  # the names under the roles' paths (find_existing)

    def find_existing(self, roles: list) -> None:
        """List the roles' paths once: a role not there is created without reading it first. GetRole of a
        role that does not exist cannot be allowed by path (IAM knows no path for it: its refusal names
        "role <name>"), while ListRoles under the event's path can."""
        for path in sorted({role["path"] for role in roles}):
            self.existing.update(self.under_path(path))

    def _get(self, name: str) -> dict | None:
        try:
            role = self.api.call("GetRole", RoleName=name)["Role"]
        except ClientError as exc:  # only NoSuchEntity means absent; anything else goes to the item
            if error_code(exc) == "NoSuchEntity":
                return None
            raise
        role["Tags"] = boto3_tag_list_to_ansible_dict(role.get("Tags", []))
        return role

    def _ours(self, role: dict) -> bool:
        return all(role["Tags"].get(key) == value for key, value in self.tags.items())

    def _inline_policy(self, name: str) -> dict | None:
        try:
            found = self.api.call("GetRolePolicy", RoleName=name, PolicyName=self.policy_name)
        except ClientError as exc:
            if error_code(exc) == "NoSuchEntity":
                return None
            raise
        return _document(found["PolicyDocument"])

    def ensure_present(self, role: dict) -> dict:
        """Create ``role`` (name, path, description, trust_policy, policy, tags), or bring it in line."""
        name, tags = role["name"], {**role.get("tags", {}), **self.tags}
        found = self._get(name) if name in self.existing else None
        if found is None:
            if not self.check_mode:
                created = self.api.call(
                    "CreateRole",
                    RoleName=name,
                    Path=role["path"],
                    Description=role["description"],
                    AssumeRolePolicyDocument=json.dumps(role["trust_policy"]),
                    Tags=ansible_dict_to_boto3_tag_list(tags),
                )["Role"]
                self.api.call(
                    "PutRolePolicy",
                    RoleName=name,
                    PolicyName=self.policy_name,
                    PolicyDocument=json.dumps(role["policy"]),
                )
                return item_result(name, KIND, "created", arn=created["Arn"], tags=tags)
            return item_result(name, KIND, "created", tags=tags)
        if not self._ours(found):
            raise ItemFailure(f"role {name} exists and does not carry the event's tags: it is not the event's")
        if found["Path"] != role["path"]:
            raise ItemFailure(f"role {name} is under the path {found['Path']}, not {role['path']}")
        changes = self._changes(found, role, tags)
        for operation, params in changes:
            if not self.check_mode:
                self.api.call(operation, RoleName=name, **params)
        return item_result(name, KIND, "updated" if changes else "unchanged", arn=found["Arn"], tags=tags)

    def _changes(self, found: dict, role: dict, tags: dict) -> list:
        """The calls that make ``found`` what ``role`` says; tags only added, never removed (not the event's)."""
        changes = []
        if compare_policies(_document(found["AssumeRolePolicyDocument"]), role["trust_policy"]):
            changes.append(("UpdateAssumeRolePolicy", {"PolicyDocument": json.dumps(role["trust_policy"])}))
        if found.get("Description", "") != role["description"]:
            changes.append(("UpdateRole", {"Description": role["description"]}))
        if any(found["Tags"].get(k) != v for k, v in tags.items()):  # all of them: the event's tag proves the call
            changes.append(("TagRole", {"Tags": ansible_dict_to_boto3_tag_list(tags)}))
        current = self._inline_policy(found["RoleName"])
        if current is None or compare_policies(current, role["policy"]):
            changes.append(
                ("PutRolePolicy", {"PolicyName": self.policy_name, "PolicyDocument": json.dumps(role["policy"])})
            )
        return changes

    def under_path(self, path: str) -> list:
        """The names of the roles under ``path`` (ListRoles returns no tags: each is read before deletion)."""
        names, marker = [], None
        while True:
            page = self.api.call("ListRoles", PathPrefix=path, **({"Marker": marker} if marker else {}))
            names += [r["RoleName"] for r in page["Roles"] if r["Path"].startswith(path)]
            marker = page.get("Marker") if page.get("IsTruncated") else None
            if not marker:
                return names

    def ensure_absent(self, name: str) -> dict | None:
        """Delete the role ``name`` if it is the event's, with its inline policies; None if it is not the event's.

        The event attaches no managed policy and no instance profile: one attached by hand makes
        DeleteRole fail with AWS's DeleteConflict, naming it, rather than be removed unseen."""
        found = self._get(name)
        if found is None or not self._ours(found):
            return None
        if not self.check_mode:
            for policy in self.api.call("ListRolePolicies", RoleName=name)["PolicyNames"]:
                self.api.call("DeleteRolePolicy", RoleName=name, PolicyName=policy)
            self.api.call("DeleteRole", RoleName=name)
        return item_result(name, KIND, "deleted", arn=found["Arn"], tags=found["Tags"])


def converge(roles: EventRoles, items: list, present: bool, concurrency: int) -> list:
    """``results`` for every role: made present (``items``: the roles) or absent (``items``: names)."""
    if present:
        roles.find_existing(items)
    function = roles.ensure_present if present else roles.ensure_absent
    results = []
    for outcome in run_batch(items, function, concurrency):
        name = outcome.item["name"] if present else outcome.item
        if outcome.error is not None:
            results.append(item_result(name, KIND, "failed", msg=error_message(outcome.error)))
        elif outcome.value is not None:
            results.append(outcome.value)
    return results
