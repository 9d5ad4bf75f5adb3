# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Files the collection writes for organizers: private from their first byte, and safe to open in a spreadsheet.

``write_private`` creates a temporary file beside the destination with mode 0600 in the ``open``
call itself (so it is never readable by others, not even for an instant), writes and syncs it, then
renames it over the destination: a reader sees the old file or the new one, never half of it.
``csv_text`` neutralises spreadsheet formulas in every cell (CSV injection): a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PRIVATE_MODE = 0o600
FORMATS = {".csv": "csv", ".json": "json"}


def safe_cell(value) -> str:
    """The text of a CSV cell that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_text(columns, rows) -> str:
    """CSV with a header row: one line per row (a dict), cells in ``columns`` order, each neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(column) for column in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def json_text(rows) -> str:
    return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"


def file_format(path: str) -> str | None:
    """``csv`` or ``json`` from the path's suffix (any case), else None."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def render(path: str, columns, rows) -> str:
    """The rows as the file at ``path`` holds them: CSV or JSON, chosen by its suffix."""
    fmt = file_format(path)
    if fmt == "csv":
        return csv_text(columns, rows)
    if fmt == "json":
        return json_text({column: row.get(column) for column in columns} for row in rows)
    raise ValueError(f"{path}: the file name must end in .csv or .json")


def check_destination(path: str) -> str | None:
    """Why ``path`` cannot be written as a private CSV or JSON file, or None when it can."""
    if file_format(path) is None:
        return f"dest {path} must end in .csv or .json (the suffix chooses the format)"
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return f"dest {path}: directory {directory} does not exist"
    if os.path.isdir(path):
        return f"dest {path} is a directory"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"dest {path}: directory {directory} is not writable"
    return None


def write_private(path: str, text: str) -> None:
    """Replace ``path`` atomically with ``text``, in a file that is mode 0600 from its creation."""
    path = os.path.abspath(path)
    directory, name = os.path.split(path)
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")
        try:
            descriptor = os.open(temporary, flags, PRIVATE_MODE)
            break
        except FileExistsError:  # another writer's temporary file: pick another name
            continue
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            os.fchmod(handle.fileno(), PRIVATE_MODE)  # exactly 0600 whatever the umask took away
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename durable; not every file system allows this
        directory_descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(directory_descriptor)
        finally:
            os.close(directory_descriptor)
