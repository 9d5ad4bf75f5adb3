"""botocore's service models (SageMaker's, the tagging API's): request validation and response shaping.

Requests are checked the way SageMaker's front end checks them (required members, types, lengths,
patterns, enums, ranges) and answered with its message format. Responses are passed through the
output shape so that the emulator can never return a member the real API does not have.
"""

from __future__ import annotations

import datetime
import functools
import re

import botocore.session

from .errors import ApiError


@functools.cache
def service_model(service: str):
    """botocore's model of ``service`` (its botocore name, e.g. ``resourcegroupstaggingapi``)."""
    return botocore.session.get_session().get_service_model(service)


SERVICE_MODEL = service_model("sagemaker")

# Java's \p{Z} (Unicode separators), which Python's re lacks.
_SEPARATORS = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _translate(pattern: str) -> str:
    """Rewrite a model pattern's Java Unicode classes and "." into Python syntax.

    The model uses them only inside one character class (``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``), where
    ``\\w`` (letters, digits, underscore) stands for letters: that class admits digits and ``_`` anyway.
    """
    pattern = pattern.replace(r"\p{L}", r"\w").replace(r"\p{N}", r"\d").replace(r"\p{Z}", _SEPARATORS)
    return _JAVA_DOT.sub(lambda m: _ANY_BUT_LINE_END if m.group() == "." else m.group(), pattern)


# Java's "." matches anything but a line terminator; Python's also matches \r, U+0085, U+2028 and U+2029.
_ANY_BUT_LINE_END = r"[^\n\r\u0085\u2028\u2029]"
# An escape, a character class (where "." is literal) or a bare "." of a pattern.
_JAVA_DOT = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|\.")


@functools.cache
def _regex(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(_translate(pattern))
    except re.error:  # a pattern Python cannot express is not enforced rather than guessed
        return None


def operation(name: str, service: str = "sagemaker"):
    """The operation model for ``name``, or None if ``service`` (SageMaker by default) has no such operation."""
    try:
        return service_model(service).operation_model(name)
    except Exception:  # botocore raises OperationNotFoundError, not exported in all versions
        return None


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _show(value) -> str:
    if isinstance(value, str):
        return value
    return repr(value)


def _check(shape, value, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a structure")
            return
        for member in shape.required_members:
            if value.get(member) is None:
                where = f"{path}.{_lower_first(member)}" if path else _lower_first(member)
                problems.append(f"Value null at '{where}' failed to satisfy constraint: Member must not be null")
        for key, item in value.items():
            where = f"{path}.{_lower_first(key)}" if path else _lower_first(key)
            if key not in shape.members:
                problems.append(f"Unknown member '{where}': the {shape.name} structure has no member {key}")
            elif item is not None:
                _check(shape.members[key], item, where, problems)
        return
    if kind == "list":
        if not isinstance(value, list):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a list")
            return
        _check_length(len(value), meta, path, _show(value), problems)
        for index, item in enumerate(value, start=1):
            _check(shape.member, item, f"{path}.{index}.member", problems)
        return
    if kind == "map":
        if not isinstance(value, dict):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a map")
            return
        _check_length(len(value), meta, path, _show(value), problems)
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}.key", problems)
            _check(shape.value, item, f"{path}.{key}.value", problems)
        return
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a string")
            return
        if shape.enum and value not in shape.enum:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
            )
        _check_length(len(value), meta, path, value, problems)
        pattern = meta.get("pattern")
        regex = _regex(pattern) if pattern else None
        if regex is not None and not regex.fullmatch(value):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {pattern}"
            )
        return
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be an integer"
            )
            return
        _check_range(value, meta, path, problems)
        return
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a number")
            return
        _check_range(value, meta, path, problems)
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(
                f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a boolean"
            )
        return
    if kind == "timestamp":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            problems.append(
                f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a timestamp"
            )


def _check_length(length: int, meta: dict, path: str, shown: str, problems: list[str]) -> None:
    if "min" in meta and length < meta["min"]:
        problems.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and length > meta["max"]:
        problems.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )


def _check_range(value, meta: dict, path: str, problems: list[str]) -> None:
    if "min" in meta and value < meta["min"]:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {meta['min']}"
        )
    if "max" in meta and value > meta["max"]:
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {meta['max']}"
        )


def validate_input(op_model, params, code: str = "ValidationException") -> None:
    """Raise ``code`` (SageMaker's ValidationException), in SageMaker's wording, listing every violation."""
    if op_model.input_shape is None:
        return
    problems: list[str] = []
    _check(op_model.input_shape, params, "", problems)
    if problems:
        count = len(problems)
        noun = "validation error" if count == 1 else "validation errors"
        raise ApiError(code, f"{count} {noun} detected: " + "; ".join(problems))


def _epoch(value) -> float:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return float(value)


def shape_output(shape, value):
    """Return ``value`` serialised for ``shape``; a member the model lacks is a bug, so it raises."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        unknown = set(value) - set(shape.members)
        if unknown:
            raise AssertionError(f"{shape.name} has no member(s) {sorted(unknown)}")
        missing = [m for m in shape.required_members if value.get(m) is None]
        if missing:
            raise AssertionError(f"{shape.name} requires member(s) {missing}")
        return {key: shape_output(shape.members[key], item) for key, item in value.items() if item is not None}
    if kind == "list":
        return [shape_output(shape.member, item) for item in value]
    if kind == "map":
        return {key: shape_output(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return _epoch(value)
    return value


def output(op_model, value: dict | None) -> dict:
    if op_model.output_shape is None:
        return {}
    return shape_output(op_model.output_shape, value or {})
