# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every hackathon.studio module shares: common options, the connection, the error path and the
resource modules' runner. Their results are built in results.py."""

from __future__ import annotations

import contextlib
import re

from ansible.module_utils.basic import env_fallback
from ansible_collections.amazon.aws.plugins.module_utils.botocore import gather_sdk_versions, is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.transformation import camel_dict_to_snake_dict
from ansible_collections.hackathon.studio.plugins.module_utils._studio.domain import Domain
from ansible_collections.hackathon.studio.plugins.module_utils.api import StudioApi, client_config, denial
from ansible_collections.hackathon.studio.plugins.module_utils.batch import run_batch, values
from ansible_collections.hackathon.studio.plugins.module_utils.registry import (
    Registry,
    RegistryError,
    read_partition,
    registry_client,
)
from ansible_collections.hackathon.studio.plugins.module_utils.results import exit_with_plans
from ansible_collections.hackathon.studio.plugins.module_utils.scope import Records

try:
    import botocore.exceptions
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore

DOMAIN_ID_PATTERN = r"^d-(-*[a-z0-9]){1,61}$"


def access_key_argument_spec() -> dict:
    """amazon.aws's access_key, censored: the event's keys may come from the vault, and -vvv shows module args."""
    return dict(
        access_key=dict(
            aliases=["aws_access_key_id", "aws_access_key"],
            fallback=(env_fallback, ["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"]),
            no_log=True,
        )
    )


def common_argument_spec() -> dict:
    return dict(
        access_key_argument_spec(),
        domain_id=dict(type="str", required=True),
        concurrency=dict(type="int", default=10),
    )


def resource_argument_spec() -> dict:
    return dict(
        common_argument_spec(),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        adopt=dict(type="bool", default=True),
        recorded=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                name=dict(type="str", required=True), creation_time=dict(type="str"), settings=dict(type="str")
            ),
        ),
    )


def connect(module: AnsibleAWSModule) -> Domain:
    """Check the options every module shares and the domain, then return the managers' Domain."""
    params = module.params
    if not re.match(DOMAIN_ID_PATTERN, params["domain_id"]):
        module.fail_json(
            msg=f"domain_id {params['domain_id']!r} is not a domain id (d- and 1-61 lower-case letters or digits)"
        )
    if not 1 <= params["concurrency"] <= 100:
        module.fail_json(msg=f"concurrency must be between 1 and 100, got {params['concurrency']}")
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
        module.fail_json(msg=f"wait_timeout must be at least 1 second, got {params['wait_timeout']}")
    client = module.client("sagemaker", config=client_config(params["concurrency"]))
    domain = Domain(
        StudioApi(client),
        params["domain_id"],
        check_mode=module.check_mode,
        concurrency=params["concurrency"],
        wait=params.get("wait", True),
        wait_timeout=params.get("wait_timeout") or 900,
    )
    domain.tagging_client = lambda: StudioApi(
        module.client("resourcegroupstaggingapi", config=client_config(params["concurrency"]))
    )
    try:
        domain.describe()
    except is_boto3_error_code(["ResourceNotFound", "ValidationException"]):
        module.fail_json(msg=f"Studio domain {params['domain_id']} not found in region {module.region}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        fail_aws(module, e, f"read Studio domain {params['domain_id']}")
    return domain


def fail_aws(module: AnsibleAWSModule, error, doing: str, service: str = "sagemaker"):
    """Fail the module on an AWS error: the call and what it was for, and a denied call's missing permission.

    ``doing`` completes "could not ...", naming the resources; AWS's own message, appended, names the
    call and, when access is denied, the action and the resource's ARN. The result is fail_json_aws's
    without its traceback, which Ansible before 2.19 prints at -vvv: an AWS error is not a bug.
    An error that never reached AWS (no endpoint, no credentials) has no AWS code: ``error_code`` names
    its botocore class instead, so that a caller can tell it apart without reading the message.
    """
    denied = denial(error, service)
    operation = getattr(error, "operation_name", None)
    if denied:
        msg, extra = f"Missing permission {denied['missing_permission']}: could not {doing}", denied
    else:
        msg, extra = f"Could not {doing}", ({"operation": operation} if operation else {})
    if not isinstance(error, botocore.exceptions.ClientError):
        extra = dict(extra, error_code=type(error).__name__)
    response = getattr(error, "response", None)
    details = camel_dict_to_snake_dict(response) if isinstance(response, dict) else {}
    module.fail_json(msg=f"{msg}: {error}", **extra, **details, **gather_sdk_versions())


@contextlib.contextmanager
def aws_errors(module: AnsibleAWSModule, doing: str, service: str = "sagemaker"):
    """The modules' one error path for AWS calls: a botocore error in the block ends in ``fail_aws``."""
    try:
        yield
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        fail_aws(module, e, doing, service)


def registry_table_options() -> dict:
    """The registry's O(table) and O(event), as the modules that work on the registry take them."""
    return dict(table=dict(type="str", required=True), event=dict(type="str", required=True))


def registry_argument_spec() -> dict:
    """A module's O(registry): the event's registry, read in the same module run as its first look."""
    return dict(type="dict", options=registry_table_options())


def read_registry(module: AnsibleAWSModule, table: str, event: str, domain_id=None, partition=None) -> dict:
    """The event's registry (this domain's, with ``domain_id``) as studio_registry_info returns it:
    ``exists``, ``config``, ``participants`` (by email), ``recorded``; and with ``partition`` (a key
    prefix) that partition's items too (``items``), read meanwhile. Fails the module naming the table."""
    registry = Registry(registry_client(module), table, event, domain_id)
    config, participants, items = None, {}, []
    try:
        with aws_errors(module, f"read the registry table {table}", service="dynamodb"):
            found = registry.describe_table()
            if found:  # the partition beside the event's items, not after them
                reads = [lambda: registry.read(found)]
                if partition:
                    reads.append(lambda: read_partition(registry, partition))
                read = values(run_batch(reads, lambda each: each(), len(reads)))
                config, participants = read[0]
                items = read[1] if partition else []
    except RegistryError as e:
        module.fail_json(msg=f"Could not read the registry table {table}: {e}")
    registered = {
        "exists": found is not None,
        "config": config or {},
        "participants": [participants[email] for email in sorted(participants)],
        "recorded": registry.recorded(),
    }
    return dict(registered, items=items) if partition else registered


def names(manager, items, shown: int = 3) -> str:
    """``the space team-1``, ``the spaces team-1, team-2, team-3 and 7 more``: a run's items, for a message."""
    labels = [manager.label(manager.key(item)) for item in items]
    more = f" and {len(labels) - shown} more" if len(labels) > shown else ""
    return f"the {manager.kind}{'s' if len(labels) > 1 else ''} {', '.join(labels[:shown])}{more}"


def batch_items(module: AnsibleAWSModule, list_option: str, item_options) -> list:
    """The items of a run: the one named by the top-level options, or each of the list option's.

    An item inherits every top-level option it does not set itself; tags merge, the item's winning.
    """
    params = module.params
    tag_rules = {"purge_tags": params.get("purge_tags", True), "adopt": params.get("adopt", True)}
    shared = {k: params.get(k) for k in item_options if k != "name"}
    if params.get(list_option) is None:
        return [dict({k: params.get(k) for k in item_options}, **tag_rules)]
    items = []
    for entry in params[list_option]:
        item = dict(shared, **tag_rules)
        item.update({k: v for k, v in entry.items() if v is not None})
        if params.get("tags") is not None or entry.get("tags") is not None:
            item["tags"] = {**(params.get("tags") or {}), **(entry.get("tags") or {})}
        items.append(item)
    return items


def run_resource_module(
    argument_spec: dict, single_option: str, list_option: str, item_options, manager_class, kind: str
):
    """All of a resource module after its argument spec: one item or a batch, made present or absent.

    ``kind`` names its items in ``results`` (see results.py)."""
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_one_of=[(single_option, list_option)],
        mutually_exclusive=[(single_option, list_option)],
        supports_check_mode=True,
    )
    items = batch_items(module, list_option, item_options)
    domain = connect(module)
    domain.recorded = Records(module.params["recorded"])
    domain.scope_tags = module.params.get("tags") or {}
    if module.params["recorded"] and not domain.scope_tags:
        module.fail_json(msg="recorded needs tags: a record vouches for a resource only with the tagging index's word")
    manager = manager_class(domain)
    present = module.params["state"] == "present"
    doing = f"{'set up' if present else 'remove'} {names(manager, items)} in domain {module.params['domain_id']}"
    with aws_errors(module, doing):  # the reads, waits and blockers outside the batch runner
        if present:
            plans = manager.ensure_present(items)
        else:
            plans = manager.ensure_absent(items, cascade=module.params.get("cascade", False))
        exit_with_plans(module, plans, manager, kind)
