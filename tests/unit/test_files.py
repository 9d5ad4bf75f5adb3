"""Private files and spreadsheet-safe CSV: module_utils/files.py."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest
from ansible_collections.hackathon.studio.plugins.module_utils import files
from ansible_collections.hackathon.studio.plugins.module_utils.files import (
    check_destination,
    csv_text,
    render,
    safe_cell,
    write_private,
)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("ada@example.org", "ada@example.org"),  # @ only matters in front
        ("a=b", "a=b"),
        (
            "https://d-x.studio.us-east-1.sagemaker.aws/auth?token=abc-=+",
            "https://d-x.studio.us-east-1.sagemaker.aws/auth?token=abc-=+",
        ),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-1, "'-1"),
    ],
)
def test_safe_cell_neutralises_formula_prefixes(value, cell):
    assert safe_cell(value) == cell


def test_csv_text_neutralises_every_cell_and_quotes_separators():
    rows = [{"name": '=HYPERLINK("http://evil")', "team": "a,b\nc", "extra": "ignored"}, {"name": "ada"}]
    text = csv_text(("name", "team"), rows)
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "team"],
        ['\'=HYPERLINK("http://evil")', "a,b\nc"],
        ["ada", ""],
    ]


def test_render_chooses_the_format_by_suffix():
    rows = [{"name": "=x", "team": None, "other": 1}]
    assert render("/tmp/out.CSV", ("name", "team"), rows) == "name,team\n'=x,\n"
    assert json.loads(render("/tmp/out.json", ("name", "team"), rows)) == [{"name": "=x", "team": None}]
    with pytest.raises(ValueError, match=r"\.csv or \.json"):
        render("/tmp/out.txt", ("name",), rows)


def test_check_destination(tmp_path):
    assert check_destination(str(tmp_path / "urls.csv")) is None
    assert check_destination(str(tmp_path / "urls.json")) is None
    assert ".csv or .json" in check_destination(str(tmp_path / "urls.xlsx"))
    assert "does not exist" in check_destination(str(tmp_path / "missing" / "urls.csv"))
    (tmp_path / "dir.csv").mkdir()
    assert "is a directory" in check_destination(str(tmp_path / "dir.csv"))


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask, to show that the file's mode does not depend on it."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_write_private_creates_0600_from_the_start_and_replaces_atomically(tmp_path, monkeypatch, open_umask):
    dest = tmp_path / "urls.csv"
    dest.write_text("old\n")
    os.chmod(dest, 0o644)
    opened, replaced = [], []
    real_open, real_replace = os.open, os.replace

    def spy_open(path, flags, mode_=0o777, **kwargs):
        opened.append((path, flags, mode_))
        return real_open(path, flags, mode_, **kwargs)

    def spy_replace(source, target):
        replaced.append((source, target, mode(source), open(source).read(), dest.read_text()))
        return real_replace(source, target)

    monkeypatch.setattr(files.os, "open", spy_open)
    monkeypatch.setattr(files.os, "replace", spy_replace)
    write_private(str(dest), "secret\n")

    [(temporary, flags, created_mode), *_] = opened
    assert os.path.dirname(temporary) == str(tmp_path)  # same file system: the rename is atomic
    assert flags & os.O_CREAT and flags & os.O_EXCL and flags & os.O_WRONLY
    assert created_mode == 0o600
    [(source, target, source_mode, content, dest_before)] = replaced
    assert (source, target) == (temporary, str(dest))
    assert source_mode == 0o600 and content == "secret\n"  # complete and private before it is visible
    assert dest_before == "old\n"  # the old file stayed whole until the rename
    assert dest.read_text() == "secret\n" and mode(dest) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["urls.csv"]


def test_write_private_leaves_the_old_file_and_no_temporary_on_failure(tmp_path, monkeypatch):
    dest = tmp_path / "urls.json"
    dest.write_text("[]\n")

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_private(str(dest), "[1]\n")
    assert dest.read_text() == "[]\n"
    assert os.listdir(tmp_path) == ["urls.json"]


def test_write_private_does_not_follow_a_planted_temporary_name(tmp_path, monkeypatch):
    tokens = iter(["taken", "free"])
    monkeypatch.setattr(files.secrets, "token_hex", lambda n: next(tokens))
    target = tmp_path / "elsewhere"
    target.write_text("do not touch\n")
    os.symlink(target, tmp_path / ".urls.csv.taken.tmp")
    write_private(str(tmp_path / "urls.csv"), "a\n")
    assert target.read_text() == "do not touch\n"
    assert (tmp_path / "urls.csv").read_text() == "a\n"
