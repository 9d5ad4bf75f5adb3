# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's Studio lifecycle configurations (account-wide, named ``hackathon-<event>-<hash>``).

A configuration cannot change (botocore's model has no UpdateStudioLifecycleConfig): a changed script
is a new one (module_utils/lifecycle.py names it by its content), and the old ones are deleted once
nothing names them. Only a configuration with the event's tags is the event's: its name proves nothing.
AWS refuses to delete one "while apps use it", and while it is "in UserSettings" of a domain or user
profile (DeleteStudioLifecycleConfig, botocore's model): such a one is left, with a warning.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import encoded
from ansible_collections.hackathon.studio.plugins.module_utils.results import item_result
from ansible_collections.hackathon.studio.plugins.module_utils.scope import carries

KIND = "lifecycle_configs"


class LifecycleConfigs:
    def __init__(self, domain):
        self.domain = domain
        self.api = domain.api

    def arn(self, name: str) -> str:
        """Its ARN, as AWS builds it (the domain's ARN gives partition, region and account)."""
        prefix = self.domain.describe()["DomainArn"].rsplit(":", 1)[0]
        return f"{prefix}:studio-lifecycle-config/{name}"

    def named(self, prefix: str) -> dict:
        """name -> ListStudioLifecycleConfigs summary, for the names ``<prefix>-...``."""
        found = self.api.list_all("ListStudioLifecycleConfigs", "StudioLifecycleConfigs", NameContains=prefix)
        return {
            c["StudioLifecycleConfigName"]: c for c in found if c["StudioLifecycleConfigName"].startswith(f"{prefix}-")
        }

    def ensure_present(self, name: str, script: str, app_type: str, tags: dict) -> dict:
        """Create the configuration unless it exists with the event's tags (then its content is the
        same: the name carries the content's hash); one without them is someone else's, refused."""
        content = encoded(script)
        arn = self.arn(name)
        existing = self.named(name.rsplit("-", 1)[0]).get(name)
        if existing is not None:
            current = self.domain.read_tags(existing["StudioLifecycleConfigArn"])
            if not carries(current, tags):
                return item_result(
                    name,
                    KIND,
                    "failed",
                    arn=existing["StudioLifecycleConfigArn"],
                    msg=f"lifecycle configuration {name} exists without the tags {tags}: it is someone else's, "
                    "so it is left as it is",
                )
            return item_result(name, KIND, "unchanged", arn=existing["StudioLifecycleConfigArn"], tags=current)
        if not self.domain.check_mode:
            created = self.api.call(
                "CreateStudioLifecycleConfig",
                StudioLifecycleConfigName=name,
                StudioLifecycleConfigContent=content,
                StudioLifecycleConfigAppType=app_type,
                Tags=ansible_dict_to_boto3_tag_list(tags),
            )
            arn = created["StudioLifecycleConfigArn"]
        return item_result(name, KIND, "created", arn=arn, tags=tags)

    def ensure_absent(self, prefix: str, tags: dict, keep=()) -> list:
        """Delete the event's configurations (``<prefix>-...`` with ``tags``) but those in ``keep``; one
        still in use is left, with the reason as its message."""
        results = []
        for name, summary in sorted(self.named(prefix).items()):
            arn = summary["StudioLifecycleConfigArn"]
            if name in keep or not carries(self.domain.read_tags(arn), tags):
                continue  # the one in use, or not the event's: never touched
            result = item_result(name, KIND, "deleted", arn=arn)
            if not self.domain.check_mode:
                try:
                    self.api.call("DeleteStudioLifecycleConfig", StudioLifecycleConfigName=name)
                except is_boto3_error_code("ResourceInUse") as exc:
                    result = item_result(
                        name,
                        KIND,
                        "unchanged",
                        arn=arn,
                        msg=f"lifecycle configuration {name} is still in use, so it is left for a later run "
                        f"(teardown deletes it after the user profiles): {exc}",
                    )
                except is_boto3_error_code("ResourceNotFound"):  # deleted meanwhile
                    continue
            results.append(result)
        return results
