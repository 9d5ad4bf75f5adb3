"""IAM identity-based policy evaluation within one account, as the IAM User Guide documents it.

Pure: policy documents (dicts or JSON text), an action, a resource ARN and a request context in, a
decision out. The pages it follows (docs.aws.amazon.com/IAM/latest/UserGuide/...):

- reference_policies_evaluation-logic.html ("Policy evaluation logic"): an explicit Deny in any
  policy wins; else the request needs an Allow in the identity-based policies and, when they
  apply, in the permissions boundary and the session policy; else it is implicitly denied.
- reference_policies_elements_action.html / _notaction.html: action names are case-insensitive
  and take ``*`` and ``?``; NotAction matches every action it does not list.
- reference_policies_elements_resource.html / _notresource.html: ARNs are case-sensitive; ``*``
  and ``?`` match within an ARN segment, and a ``*`` that ends a segment may match past colons.
- reference_policies_elements_condition_operators.html ("Condition operators"): operators ANDed,
  keys of an operator ANDed, values of a key ORed; a key absent from the request context fails
  the condition, except for negated operators (true), ``...IfExists`` (true) and ``Null``.
- reference_policies_condition-single-vs-multi-valued-context-keys.html: ``ForAllValues:`` is
  true when the key is absent or empty; ``ForAnyValue:`` is false then.
- reference_policies_variables.html ("Policy variables"): ``${key}`` in Resource and condition
  values (policy version 2012-10-17 only), ``${key, 'default'}``, ``${*}`` ``${?}`` ``${$}``;
  a variable with no value matches nothing ("Policy variables with no value").

Stricter than AWS where AWS would refuse the policy at PutRolePolicy time (moto's job): an unknown
operator, a malformed statement or value matches nothing here.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import re
from collections.abc import Iterable

ALLOW, EXPLICIT_DENY, IMPLICIT_DENY = "allow", "explicit_deny", "implicit_deny"
VARIABLES_VERSION = "2012-10-17"  # "Policy variables": earlier versions treat ${...} as literal text
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LITERALS = {"*": "*", "?": "?", "$": "$"}  # ${*} ${?} ${$}: the character itself
_DEFAULT = re.compile(r"^\s*([^,]+?)\s*,\s*'([^']*)'\s*$")  # ${aws:PrincipalTag/team, 'none'}


# ----- the request context -------------------------------------------------------------------------
def _lookup(context: dict, key: str):
    """The context's value of ``key`` (keys are case-insensitive), or None when the key is absent."""
    return context.get(key.lower())


def _values(value) -> list[str]:
    """A context value as the list of strings conditions compare: booleans as 'true'/'false'."""
    items = value if isinstance(value, list | tuple) else [value]
    return ["true" if v is True else "false" if v is False else str(v) for v in items]


def normalize_context(context: dict) -> dict:
    """``context`` with lower-case keys and no None values (an absent key is absent)."""
    return {str(k).lower(): v for k, v in context.items() if v is not None}


# ----- policy variables and wildcards -------------------------------------------------------------
def _expand(text: str, context: dict, variables: bool) -> list[tuple[str, bool]] | None:
    """``text`` as parts (text, pattern): pattern parts take wildcards, a variable's value is literal.

    None when a variable has no value: that entry then matches nothing.
    """
    if not variables:
        return [(text, True)]
    parts: list[tuple[str, bool]] = []
    at = 0
    for found in _VARIABLE.finditer(text):
        parts.append((text[at : found.start()], True))
        at = found.end()
        name = found.group(1)
        if name in _LITERALS:
            parts.append((_LITERALS[name], False))
            continue
        default = _DEFAULT.match(name)
        key, fallback = (default.group(1), default.group(2)) if default else (name.strip(), None)
        value = _lookup(context, key)
        if isinstance(value, list | tuple):  # a multivalued key cannot be a variable
            value = None
        if value is None:
            if fallback is None:
                return None
            value = fallback
        parts.append((_values(value)[0], False))
    parts.append((text[at:], True))
    return parts


def _regex(parts: list[tuple[str, bool]], arn: bool, ignore_case: bool = False) -> re.Pattern:
    """A full-match regex of ``parts``: ``*`` any run, ``?`` one character. For an ARN, the wildcards
    of its first five segments stay within the segment unless ``*`` ends it (Resource element page)."""
    out = []
    segment = 0
    flat = [(char, pattern) for text, pattern in parts for char in text]
    for i, (char, pattern) in enumerate(flat):
        bounded = arn and segment < 5
        if pattern and char == ":":
            segment += 1
            out.append(":")
        elif pattern and char == "*":
            ends_segment = i + 1 == len(flat) or flat[i + 1] == (":", True)
            out.append("[^:]*" if bounded and not ends_segment else ".*")
        elif pattern and char == "?":
            out.append("[^:]" if bounded else ".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# ----- Action and Resource ------------------------------------------------------------------------
def action_matches(pattern, action: str) -> bool:
    """Whether ``action`` (``service:Operation``) is one the Action pattern names, case-insensitively."""
    if not isinstance(pattern, str):
        return False
    return pattern == "*" or bool(_regex([(pattern, True)], arn=False, ignore_case=True).fullmatch(action))


def resource_matches(pattern, resource: str, context: dict, variables: bool) -> bool:
    """Whether ``resource`` is one the Resource pattern names (case-sensitive, segment-wise wildcards)."""
    if not isinstance(pattern, str):
        return False
    if pattern == "*":
        return True
    parts = _expand(pattern, context, variables)
    return parts is not None and bool(_regex(parts, arn=True).fullmatch(resource))


# ----- Condition ----------------------------------------------------------------------------------
def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> datetime.datetime | None:
    """An ISO 8601 date and time, or epoch seconds (Condition operators, "Date condition operators")."""
    try:
        return datetime.datetime.fromtimestamp(float(text), datetime.UTC)
    except ValueError:
        pass
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.UTC)


def _compare(convert, test):
    def match(value: str, parts) -> bool:
        left, right = convert(value), convert("".join(text for text, _ in parts))
        return left is not None and right is not None and test(left, right)

    return match


def _ip(value: str, parts) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network("".join(t for t, _ in parts), strict=False)
    except ValueError:
        return False


def _text(parts) -> str:
    return "".join(text for text, _ in parts)


# Each positive operator: (match(request value, policy value parts), negated name).
_OPERATORS = {
    "StringEquals": lambda v, p: v == _text(p),
    "StringEqualsIgnoreCase": lambda v, p: v.lower() == _text(p).lower(),
    "StringLike": lambda v, p: bool(_regex(p, arn=False).fullmatch(v)),
    "ArnEquals": lambda v, p: bool(_regex(p, arn=True).fullmatch(v)),
    "ArnLike": lambda v, p: bool(_regex(p, arn=True).fullmatch(v)),
    "NumericEquals": _compare(_number, lambda a, b: a == b),
    "NumericLessThan": _compare(_number, lambda a, b: a < b),
    "NumericLessThanEquals": _compare(_number, lambda a, b: a <= b),
    "NumericGreaterThan": _compare(_number, lambda a, b: a > b),
    "NumericGreaterThanEquals": _compare(_number, lambda a, b: a >= b),
    "DateEquals": _compare(_date, lambda a, b: a == b),
    "DateLessThan": _compare(_date, lambda a, b: a < b),
    "DateLessThanEquals": _compare(_date, lambda a, b: a <= b),
    "DateGreaterThan": _compare(_date, lambda a, b: a > b),
    "DateGreaterThanEquals": _compare(_date, lambda a, b: a >= b),
    "Bool": lambda v, p: v.lower() == _text(p).lower(),
    "IpAddress": _ip,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
}


def _parse_operator(operator: str):
    """(set qualifier or None, base operator, negated, if_exists), or None for an unknown operator."""
    qualifier, _, base = operator.rpartition(":")
    if qualifier not in ("", "ForAllValues", "ForAnyValue"):
        return None
    if_exists = base.endswith("IfExists") and base != "IfExists"
    if if_exists:
        base = base[: -len("IfExists")]
    negated = base in _NEGATED
    base = _NEGATED.get(base, base)
    if base not in _OPERATORS and base != "Null":
        return None
    return qualifier or None, base, negated, if_exists


def _key_matches(operator: str, key: str, policy_values, context: dict, variables: bool) -> bool:
    """One key of one operator: whether the request context satisfies it."""
    parsed = _parse_operator(operator)
    if parsed is None:
        return False  # unknown operator: matches nothing (stricter; AWS refuses such a policy)
    qualifier, base, negated, if_exists = parsed
    present = _lookup(context, key)
    if base == "Null":  # "true": the key is absent; "false": it is present
        return any(str(v).lower() == ("true" if present is None else "false") for v in _as_list(policy_values))
    requested = [] if present is None else _values(present)
    if qualifier == "ForAllValues":
        if not requested:
            return True  # absent or empty: true (single- vs multivalued context keys page)
    elif qualifier == "ForAnyValue":
        if not requested:
            return False
    elif present is None:
        return if_exists or negated  # Condition operators page, "Important"
    patterns = [_expand(_values(v)[0], context, variables) for v in _as_list(policy_values)]
    patterns = [p for p in patterns if p is not None]  # a variable with no value matches nothing
    match = _OPERATORS[base]

    def one(value: str) -> bool:
        hit = any(match(value, p) for p in patterns)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(v) for v in requested)
    # ForAnyValue, and (undocumented) a plain operator on a multivalued key: any request value.
    return any(one(v) for v in requested)


def condition_matches(condition, context: dict, variables: bool) -> bool:
    if condition is None:
        return True
    if not isinstance(condition, dict):
        return False
    for operator, keys in condition.items():
        if not isinstance(keys, dict):
            return False
        for key, policy_values in keys.items():
            if not _key_matches(operator, key, policy_values, context, variables):
                return False
    return True


# ----- statements and policies --------------------------------------------------------------------
def _statement_applies(statement, action: str, resource: str, context: dict, variables: bool) -> bool:
    if not isinstance(statement, dict):
        return False
    if "Action" in statement:
        acted = any(action_matches(p, action) for p in _as_list(statement["Action"]))
    elif "NotAction" in statement:
        acted = not any(action_matches(p, action) for p in _as_list(statement["NotAction"]))
    else:
        return False
    if not acted:
        return False
    if "Resource" in statement:
        aimed = any(resource_matches(p, resource, context, variables) for p in _as_list(statement["Resource"]))
    elif "NotResource" in statement:
        aimed = not any(resource_matches(p, resource, context, variables) for p in _as_list(statement["NotResource"]))
    else:
        return False  # identity-based statements need one of them (Resource element page)
    return aimed and condition_matches(statement.get("Condition"), context, variables)


def _document(policy) -> dict:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            return {}
    return policy if isinstance(policy, dict) else {}


def evaluate(policies: Iterable, action: str, resource: str, context: dict) -> str:
    """ALLOW, EXPLICIT_DENY or IMPLICIT_DENY for ``action`` on ``resource`` under ``policies``."""
    context = normalize_context(context)
    allowed = False
    for policy in policies:
        document = _document(policy)
        variables = document.get("Version") == VARIABLES_VERSION
        for statement in _as_list(document.get("Statement", [])):
            if not _statement_applies(statement, action, resource, context, variables):
                continue
            effect = statement.get("Effect")
            if effect == "Deny":
                return EXPLICIT_DENY
            allowed = allowed or effect == "Allow"
    return ALLOW if allowed else IMPLICIT_DENY


def decide(policy_sets: list[tuple[str, list]], action: str, resource: str, context: dict) -> tuple[str, str | None]:
    """The decision over several kinds of policy (identity-based, permissions boundary, session), and the
    kind that decided a denial: an explicit Deny in any kind first, then every kind must allow."""
    results = [(kind, evaluate(policies, action, resource, context)) for kind, policies in policy_sets]
    for kind, result in results:
        if result == EXPLICIT_DENY:
            return EXPLICIT_DENY, kind
    for kind, result in results:
        if result != ALLOW:
            return IMPLICIT_DENY, kind
    return ALLOW, None
