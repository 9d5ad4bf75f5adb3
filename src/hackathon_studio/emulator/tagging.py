"""The Resource Groups Tagging API's GetResources, answered from the emulator's own SageMaker resources.

AWS documents that GetResources supports all resource types (Resource Groups Tagging API reference,
"Services that support the Resource Groups Tagging API"). Its answer comes from a tagging index that
lags the services: AWS documents no bound, and users record deleted resources still listed 20 minutes
later (aws/aws-cli#4173) and for hours (boto/boto3#3341). The emulator models that index strictly: a
new resource, a tag change and a deletion each reach it only after ``lag`` seconds (AWS time, scaled
by the time scale), and until then GetResources answers what it knew before.

What AWS documents (botocore's model and API_GetResources) and the emulator enforces:
- Untagged resources are never returned; with no TagFilters, a resource that was tagged and no longer
  is shows with ``"Tags": []``.
- TagFilters: all filters must match; within one, any of its Values; a filter without Values matches
  any value of its Key.
- ResourceTypeFilters ``service[:resourceType]`` as in the ARN, at most 100 of them.
- ResourceARNList excludes TagFilters, ResourceTypeFilters and the pagination parameters
  (InvalidParameterException); ARNs it does not know are left out, not refused.
- ResourcesPerPage 1-100, TagsPerPage 100-500 (documented, not in the model's shapes); ExcludeCompliantResources
  only with IncludeComplianceDetails.
- The last page's PaginationToken is "" (recorded in boto/boto3#2513, aws/aws-sdk-go#4121); a token is
  valid 15 minutes (PaginationTokenExpiredException's documentation).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from .errors import ApiError

TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126."
SIGNING_NAME = "tagging"  # the credential scope's service
BOTOCORE_NAME = "resourcegroupstaggingapi"
# How long a change takes to reach the tagging index, in AWS seconds. AWS documents no bound and has
# been seen taking from minutes to hours (above); 300 s is longer than any documented wait, so a client
# that trusts the index within minutes of a change fails here first.
DEFAULT_LAG_SECONDS = 300.0
# ResourcesPerPage when unset: AWS does not document it. 50 was the documented maximum when the API
# launched (moto still defaults to it); the smaller page makes a client that does not paginate fail sooner.
DEFAULT_RESOURCES_PER_PAGE = 50
TOKEN_LIFETIME = 900.0  # "A PaginationToken is valid for a maximum of 15 minutes"; AWS wall-clock, not scaled
ARN_LIST_EXCLUDES = ("TagFilters", "ResourceTypeFilters", "ResourcesPerPage", "TagsPerPage", "PaginationToken")
# service[:resourceType], as embedded in ARNs (e.g. sagemaker, sagemaker:user-profile). AWS's own check
# is undocumented; anything else is refused as malformed, the stricter choice.
_TYPE_FILTER = re.compile(r"[a-z0-9-]+(:[a-z0-9-]+)?")


def invalid(message: str) -> ApiError:
    """The service's error for a parameter that is missing, malformed or out of range (botocore's model)."""
    return ApiError("InvalidParameterException", message)


class TagIndex:
    """What GetResources sees: each ARN's tags over time, each change visible from its own due time."""

    def __init__(self):
        self.history: dict[str, list[tuple[float, dict | None]]] = {}  # arn -> [(visible from, tags or None)]

    def record(self, arn: str, tags: dict | None, visible_from: float, now: float) -> None:
        """Index ``tags`` (None: the resource is gone) for ``arn`` from ``visible_from`` on."""
        entries = self.history.get(arn)
        if entries is None:
            if not tags:
                return  # never tagged: never indexed
            entries = self.history[arn] = []
        if entries:  # a change never overtakes an earlier one, even if the lag was shortened between them
            visible_from = max(visible_from, entries[-1][0])
        entries.append((visible_from, None if tags is None else dict(tags)))
        while len(entries) > 1 and entries[1][0] <= now:  # superseded by a visible later entry
            entries.pop(0)

    def view(self, now: float) -> dict[str, dict]:
        """arn -> tags, as the index answers at ``now``."""
        seen = {}
        for arn, entries in list(self.history.items()):
            visible = [tags for since, tags in entries if since <= now]
            if not visible:
                continue
            if visible[-1] is None and len(visible) == len(entries):
                del self.history[arn]  # gone and nothing pending: forgotten
            elif visible[-1] is not None:
                seen[arn] = visible[-1]
        return seen


def _mapping(arn: str, tags: dict) -> dict:
    return {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


def _type_of(arn: str) -> tuple[str, str]:
    """(service, resource type) of an ARN: arn:aws:sagemaker:<region>:<account>:user-profile/d-x/name."""
    parts = arn.split(":", 5)
    return parts[2], re.split("[/:]", parts[5], maxsplit=1)[0]


def _matches(arn: str, tags: dict, tag_filters: list, type_filters: list) -> bool:
    for tag_filter in tag_filters:
        values = tag_filter.get("Values") or []
        if tag_filter["Key"] not in tags or (values and tags[tag_filter["Key"]] not in values):
            return False
    if type_filters:
        service, kind = _type_of(arn)
        return any(f in (service, f"{service}:{kind}") for f in type_filters)
    return True


def _query_id(p: dict) -> str:
    query = json.dumps([p.get("TagFilters") or [], p.get("ResourceTypeFilters") or []], sort_keys=True)
    return hashlib.sha256(query.encode()).hexdigest()[:16]


def _token(after: str, query: str, now: float) -> str:
    return base64.urlsafe_b64encode(json.dumps([after, query, now]).encode()).decode()


def _resume_after(token: str, query: str, now: float) -> str:
    """The last ARN the page before ``token`` returned; refuses a token not issued for this query."""
    try:
        after, issued_for, issued = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not (isinstance(after, str) and isinstance(issued_for, str) and isinstance(issued, int | float)):
            raise TypeError
    except (ValueError, TypeError):
        raise invalid("PaginationToken is not a token GetResources issued") from None
    if issued_for != query:
        # Undocumented on AWS; the emulator refuses a token reused with other filters (stricter).
        raise invalid("PaginationToken was issued for other TagFilters or ResourceTypeFilters")
    if now - issued > TOKEN_LIFETIME:
        raise ApiError("PaginationTokenExpiredException", "PaginationToken has expired; it is valid for 15 minutes")
    return after


def _check(p: dict) -> None:
    present = [key for key in ARN_LIST_EXCLUDES if p.get(key) is not None]
    if p.get("ResourceARNList") is not None and present:
        raise invalid(f"ResourceARNList cannot be specified with {', '.join(present)}")
    per_page, tags_per_page = p.get("ResourcesPerPage"), p.get("TagsPerPage")
    if per_page is not None and not 1 <= per_page <= 100:
        raise invalid(f"ResourcesPerPage must be between 1 and 100, not {per_page}")
    if tags_per_page is not None and not 100 <= tags_per_page <= 500:
        raise invalid(f"TagsPerPage must be between 100 and 500, not {tags_per_page}")
    if any(tag_filter.get("Key") is None for tag_filter in p.get("TagFilters") or []):
        # Not required in the model's shape, but documented: "Each TagFilter must contain a key".
        raise invalid("Each TagFilter must contain a Key")
    type_filters = p.get("ResourceTypeFilters") or []
    if len(type_filters) > 100:
        raise invalid(f"ResourceTypeFilters can have at most 100 items, not {len(type_filters)}")
    for type_filter in type_filters:
        if not _TYPE_FILTER.fullmatch(type_filter):
            raise invalid(f"ResourceTypeFilters: {type_filter[:256]!r} is not service[:resourceType]")
    for arn in p.get("ResourceARNList") or []:
        parts = arn.split(":", 5)
        if len(parts) < 6 or parts[0] != "arn" or not parts[2]:
            raise invalid(f"{arn[:1011]} is not a valid AmazonResourceName (ARN)")
        if parts[1] != "aws":
            raise invalid(f"The partition of {arn[:1011]} is not this endpoint's (aws)")
    if p.get("ExcludeCompliantResources") and not p.get("IncludeComplianceDetails"):
        raise invalid("ExcludeCompliantResources can be used only with IncludeComplianceDetails")
    if p.get("IncludeComplianceDetails"):
        # Compliance is judged against the organization's effective tag policy; the emulator models no
        # organization, and what AWS answers outside one is undocumented: refused (stricter).
        raise invalid("IncludeComplianceDetails needs a tag policy, and studio-emulator models none")


def get_resources(index: dict[str, dict], p: dict, now: float) -> dict:
    """GetResources over ``index`` (arn -> tags, TagIndex.view) for the validated input ``p``."""
    _check(p)
    if p.get("ResourceARNList") is not None:
        wanted = dict.fromkeys(p["ResourceARNList"])
        return {"ResourceTagMappingList": [_mapping(a, index[a]) for a in wanted if a in index], "PaginationToken": ""}
    tag_filters, type_filters = p.get("TagFilters") or [], p.get("ResourceTypeFilters") or []
    query = _query_id(p)
    after = _resume_after(p["PaginationToken"], query, now) if p.get("PaginationToken") else ""
    found = sorted(a for a, tags in index.items() if a > after and _matches(a, tags, tag_filters, type_filters))
    per_page = p.get("ResourcesPerPage") or DEFAULT_RESOURCES_PER_PAGE
    tag_budget = p.get("TagsPerPage")
    page: list[str] = []
    for arn in found:
        cost = max(1, len(index[arn]))  # "A resource with no tags is counted as having one tag"
        if len(page) == per_page or (tag_budget is not None and page and cost > tag_budget):
            break
        page.append(arn)
        if tag_budget is not None:
            tag_budget -= cost
    more = len(page) < len(found)
    return {
        "ResourceTagMappingList": [_mapping(a, index[a]) for a in page],
        "PaginationToken": _token(page[-1], query, now) if more else "",
    }
