# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's app runs, kept in its registry: apps vanish from ListApps some time after they are
deleted, so what they cost must be written down while they are seen.

One item per app run (``usage#<domain id>#<space>#<app type>#<app name>#<creation time>``) with
the app's ARN, team, space, instance type, ``creation_time`` and ``ended`` (cost.py says when an app
counts as ended). A run that lists the event's apps adds what is new and ends what is gone; the
items go with the event's other items at teardown (Registry.remove_event).
"""

from __future__ import annotations

from ansible_collections.hackathon.studio.plugins.module_utils.cost import merge_usage
from ansible_collections.hackathon.studio.plugins.module_utils.registry import read_partition

USAGE_PREFIX = "usage#"
RECORD_FIELDS = ("arn", "team", "space", "app_type", "app_name", "instance_type", "creation_time", "ended")


def _prefix(registry) -> str:
    return f"{USAGE_PREFIX}{registry.domain_id or ''}#"


def read_usage(registry) -> dict:
    """key -> record of every app run the registry holds for this event (and domain)."""
    prefix = _prefix(registry)
    records = {}
    for item in read_partition(registry, prefix):
        key = item["item"][len(prefix) :]
        records[key] = dict({field: item.get(field) for field in RECORD_FIELDS}, key=key)
    return records


def record_usage(registry, apps, teams: dict, now, arn_of=None) -> tuple:
    """(every record, the keys added or ended by this run) after merging ``apps`` as seen ``now``;
    (None, []) when the registry has no table. Nothing is written in check mode."""
    if registry.describe_table() is None:
        return None, []
    records = read_usage(registry)
    changed = merge_usage(records, apps, teams, now, arn_of)
    if changed and not registry.check_mode:
        prefix = _prefix(registry)
        puts = []
        for key in changed:
            item = {field: records[key][field] for field in RECORD_FIELDS}
            if registry.domain_id:
                item["domain_id"] = registry.domain_id  # so that the domain's teardown removes it
            puts.append(registry._put(prefix + key, item))
        registry._write(puts)
    return sorted(records.values(), key=lambda r: (r["creation_time"], r["key"])), changed
