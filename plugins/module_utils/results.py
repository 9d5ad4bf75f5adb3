# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one result shape of every module that acts, built here and nowhere else.

``results`` holds one entry per item: ``name``, ``kind`` (what it is, as the key of
studio_resource_info's list of that kind: ``user_profiles``, ``spaces``, ``apps``; or ``urls``,
``registry``), ``action`` (one of ACTIONS), and, where there are some, ``arn``, ``tags``, ``msg`` and
``resource`` (the resource as AWS lists it, in snake_case). ``summary`` counts the entries per action,
always with the five keys. The ``studio`` CLI renders any module from these keys alone.
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.transformation import camel_dict_to_snake_dict
from ansible_collections.hackathon.studio.plugins.module_utils.api import denial_in
from ansible_collections.hackathon.studio.plugins.module_utils.scope import creation_time

ACTIONS = ("created", "updated", "unchanged", "deleted", "failed")
CHANGING_ACTIONS = ("created", "updated", "deleted")


def item_result(name, kind: str, action: str, msg=None, arn=None, tags=None, resource=None, **fields) -> dict:
    """One entry of ``results``; the optional keys only when they have something to say."""
    result = {"name": name, "kind": kind, **fields, "action": action}
    optional = {"arn": arn, "tags": tags or None, "msg": msg, "resource": resource}
    result.update({key: value for key, value in optional.items() if value is not None})
    return result


def summarize(results) -> dict:
    """action -> how many entries of ``results`` had it; all five actions, zero or not."""
    summary = dict.fromkeys(ACTIONS, 0)
    for result in results:
        summary[result["action"]] += 1
    return summary


def snake_resource(description: dict) -> dict:
    """A resource as AWS describes or lists it, in snake_case as amazon.aws returns it (tags kept as they are)."""
    return camel_dict_to_snake_dict(
        {k: v for k, v in description.items() if k != "ResponseMetadata"}, ignore_list=["Tags"]
    )


def first_denial(messages) -> tuple:
    """(msg prefix, fail_json keys) naming the permission of the first item refused for a missing one.

    The others are likely refused alike: the permission comes first, where a reader looks.
    """
    denied = next((d for d in map(denial_in, messages) if d), None)
    return (f"Missing permission {denied['missing_permission']}: ", denied) if denied else ("", {})


def plan_result(plan, manager, kind: str, present: bool) -> dict:
    """A manager's plan as a ``results`` entry, with the fields that name it and its last known status."""
    listed = manager.seen.get(plan.key)  # as AWS last listed it
    exists = bool(listed) and plan.status not in (None, "Deleted") and plan.action != "deleted"
    after = plan.after or {}
    fields = manager.fields(plan.key)
    # The tags as the run left them: set or read when it compared them, else the ones asked for.
    tags = after.get("tags", plan.item.get("tags")) if present and plan.action != "failed" else None
    result = item_result(
        fields.pop("name", manager.label(plan.key)),
        kind,
        plan.action,
        msg=plan.error or plan.warning or getattr(plan, "note", None),
        # its identity: what the registry records, so that only this very resource is ever the event's
        arn=manager.domain.arn(manager.arn_kind, manager.arn_path(plan.key)) if exists else None,
        tags=tags,
        resource=snake_resource(listed) if exists else None,
        **fields,
    )
    result.update(changed=plan.action in CHANGING_ACTIONS, status=plan.status)
    if exists:
        result["creation_time"] = creation_time(listed.get("CreationTime"))
        # What the run set (or found set) on it, for the registry: only after a run that did not fail it.
        recorded_settings = getattr(manager, "recorded_settings", None)
        settings = recorded_settings(plan) if recorded_settings and present and plan.action != "failed" else None
        if settings:
            result["settings"] = settings
    return result


def exit_with_plans(module, plans, manager, kind: str, state=None, **returned) -> None:
    """Report every item (and ``returned``); fail the task, naming each failed item, if any failed.

    ``state``: what the items were made, when the module has no state option."""
    present = (state or module.params["state"]) == "present"
    results = [plan_result(plan, manager, kind, present) for plan in plans]
    for plan in plans:
        if plan.warning:
            module.warn(plan.warning)
    changed = any(r["changed"] for r in results)
    extra = {"results": results, "summary": summarize(results), **returned}
    if module._diff:
        touched = [p for p in plans if p.action in CHANGING_ACTIONS]
        extra["diff"] = {
            "before": {manager.label(p.key): p.before or {} for p in touched},
            "after": {manager.label(p.key): p.after or {} for p in touched},
        }
    failed = [p for p in plans if p.action == "failed"]
    if failed:
        missing, denied = first_denial(p.error for p in failed)
        module.fail_json(
            msg=f"{missing}{len(failed)} of {len(plans)} failed: " + "; ".join(p.error for p in failed),
            changed=changed,
            failed_count=len(failed),
            **denied,
            **extra,
        )
    module.exit_json(changed=changed, **extra)
