"""Bad input is refused before anything changes, in words that say what is wrong and where.

docs/RELIABILITY.md, "bad input". Every case runs the real playbooks with ansible-playbook against a
live emulator; no output may hold a Python traceback or a module crash ("MODULE FAILURE"), and the
one failed task must be the check that names the problem:

- a malformed roster (each rule of plugins/module_utils/roster.py) fails setup.yml naming the
  problem and its line, with no call that changes anything and nothing created;
- hostile rosters: Jinja in a field is data, never evaluated; spreadsheet formulas in teams and
  emails are neutralised in every CSV the project writes (URLs and status); very long fields,
  non-UTF-8 bytes, NUL bytes and UTF-16 are refused by line, or handled; 100,000 rows are validated
  in seconds, and one bad row near their end stops setup before any change;
- a wrong variable (domain id, app type, instance type, URL expiry, event name, concurrency) is
  refused before any change, with the allowed values, range or pattern.
"""

from __future__ import annotations

import ast
import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import mutating_calls
from tests.integration.playbooks.conftest import ROOT

STUDIO = str(Path(sys.executable).parent / "studio")
# What no CSV cell may start with (OWASP's CSV injection list), unless neutralised with a leading quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A valid row: a roster that is otherwise fine must fail on its bad lines only.
ADA = "ada@example.org,1\n"
# Two emails whose profile names collide: same local part, same first 40 bits of the hash (found by search).
COLLIDING = ("x@h164117.example.org", "x@h1011318.example.org")
LONG = 10_000
ROWS = 100_000


def failed_results(run) -> list[dict]:
    """Each failed task result (with its task's name under ``task``), in run order."""
    return [
        dict(result, task=task["task"]["name"])
        for play in run.report["plays"]
        for task in play["tasks"]
        for result in task["hosts"].values()
        if result.get("failed")
    ]


def assert_no_crash(run) -> None:
    """A module that raised shows MODULE FAILURE (its traceback in module_stderr); the controller, a Traceback."""
    output = run.stdout + run.stderr
    assert "Traceback" not in output and "MODULE FAILURE" not in output, output[-4000:]
    assert not any("module_stderr" in result for result in failed_results(run)), failed_results(run)


def assert_untouched(emulator) -> None:
    assert mutating_calls(emulator) == 0, emulator.calls()["received"]
    state = emulator.state()
    assert state["user_profiles"] == [] and state["spaces"] == [] and state["apps"] == [], state


def refusal(run, emulator) -> dict:
    """The result of the one failed task of a run that must stop before any change."""
    assert run.rc == 2, run.stdout[-4000:] + run.stderr[-4000:]
    assert_no_crash(run)
    assert_untouched(emulator)
    failed = failed_results(run)
    assert len(failed) == 1, failed
    return failed[0]


def roster_file(tmp_path: Path, content: str | bytes, name: str = "users.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path.resolve()  # the module names the file by its real path


def assert_problems(result: dict, path: Path, expected) -> None:
    """Exactly the expected (line, reason) problems, in order, each in the module's wording and in its message."""
    assert result["task"].endswith(" : Read and validate the roster"), result["task"]
    problems = result.get("problems", [])
    wanted = [f"{path}, line {line}: {reason}" if line else f"{path}: {reason}" for line, reason in expected]
    assert len(problems) == len(wanted), problems
    for problem, prefix in zip(problems, wanted):
        assert problem.startswith(prefix), (problem, prefix)
        assert problem in result["msg"]
    assert result["msg"].startswith(f"The roster has {len(expected)} problem(s): ")


# ----- the roster's rules ----------------------------------------------------------------------------------
MALFORMED = [
    pytest.param(b"", [(0, "the file is empty")], id="empty-file"),
    pytest.param("email,team\n", [(0, "the file has no participants")], id="header-only"),
    pytest.param("# ada@example.org,1\n\n# bob\n", [(0, "the file has no participants")], id="comments-only"),
    pytest.param(ADA + ',2\n"   ",3\n', [(2, "missing email"), (3, "missing email")], id="missing-email"),
    pytest.param(
        ADA + "not-an-email,2\nbob@,2\n@example.org,2\nbob@@example.org,2\nbob@localhost,2\n"
        "bob smith@example.org,2\n" + "b" * 250 + "@x.org,2\n",
        [
            (2, "malformed email 'not-an-email'"),
            (3, "malformed email 'bob@'"),
            (4, "malformed email '@example.org'"),
            (5, "malformed email 'bob@@example.org'"),
            (6, "malformed email 'bob@localhost'"),
            (7, "malformed email 'bob smith@example.org'"),
            (8, "malformed email 'bbbb"),  # 256 characters: over the 254 an address may have
        ],
        id="malformed-email",
    ),
    pytest.param(
        ADA + "bob@example.org,\ncarl@example.org\n",
        [(2, "missing team for bob@example.org"), (3, "missing team for carl@example.org")],
        id="missing-team",
    ),
    pytest.param(ADA + "bob@example.org," + "t" * 129 + "\n", [(2, "team name longer than 128")], id="team-over-128"),
    pytest.param(
        ADA + "bob@example.org,Blue\u2028Whales\n",
        [(2, "team name holds a line break (U+2028)")],
        id="team-unicode-line-separator",
    ),
    pytest.param(
        ADA + 'bob@example.org,"Blue\nWhales"\ncarl@example.org,2\n',
        [(2, 'a quote (") is not closed, or a value holds a line break (this row runs to line 3)')],
        id="team-line-break",
    ),
    pytest.param(
        ADA + '"bob@example.org,2\ncarl@example.org,2\n',
        [(2, 'a quote (") is not closed, or a value holds a line break (this row runs to line 3)')],
        id="unclosed-quote",
    ),
    pytest.param(
        ADA + "\n# a comment\nADA@Example.org,1\n",
        [(4, "duplicate email ADA@Example.org (also on line 1)")],
        id="duplicate-email",
    ),
    pytest.param(
        ADA + "ada@example.org,2\n",
        [(2, "ada@example.org is in two teams: '1' on line 1 and '2' here")],
        id="email-in-two-teams",
    ),
    pytest.param(
        f"{COLLIDING[0]},1\n{COLLIDING[1]},2\n",
        [(2, f"{COLLIDING[1]} and {COLLIDING[0]} would share the profile name x-v3ptuouu")],
        id="colliding-profile-names",
    ),
    pytest.param(
        "Email,Teem\n" + ADA,
        [(1, "the header row has no team column (team, team_name, teamname or group); it reads: Email, Teem")],
        id="header-without-team",
    ),
    pytest.param(
        "Name;Mail address;Team\nAda;ada@example.org;1\n",
        [(1, "the header row has no email column (email, e-mail or mail); it reads: Name, Mail address, Team")],
        id="header-without-email",
    ),
    pytest.param(
        "email,team\n" + ADA + "bob@example.org,\nnot-an-email,3\nada@example.org,4\n,5\n",
        [
            (3, "missing team for bob@example.org"),
            (4, "malformed email 'not-an-email'"),
            (5, "ada@example.org is in two teams"),
            (6, "missing email"),
        ],
        id="every-problem-at-once",
    ),
]


@pytest.mark.parametrize(("content", "expected"), MALFORMED)
def test_malformed_roster_is_refused_before_any_call(run_playbook, inventory, emulator, tmp_path, content, expected):
    users = roster_file(tmp_path, content)
    result = refusal(run_playbook("setup.yml", inventory, users=str(users)), emulator)
    assert_problems(result, users, expected)


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unreadable_roster_is_refused(run_playbook, inventory, emulator, tmp_path, kind):
    users = tmp_path / "users.csv"
    if kind == "directory":
        users.mkdir()
    result = refusal(run_playbook("setup.yml", inventory, users=str(users)), emulator)
    reason = "No such file or directory" if kind == "missing" else "Is a directory"
    assert result["msg"] == f"Cannot read the roster {users.resolve()}: {reason}"


# ----- hostile rosters ------------------------------------------------------------------------------------
HOSTILE_REFUSED = [
    pytest.param(
        ADA + "{{ 1337*1001 }}@example.org,\"{{ lookup('pipe', 'id') }}\"\n\"{{ lookup('pipe', 'id') }}\",2\n",
        [(2, "malformed email '{{ 1337*1001 }}@example.org'"), (3, "malformed email \"{{ lookup('pipe', 'id') }}\"")],
        id="jinja-in-invalid-rows",
    ),
    pytest.param(ADA + "bob@example.org," + "T" * LONG + "\n", [(2, "team name longer than 128")], id="team-10k"),
    pytest.param(ADA + "b" * LONG + "@example.org,2\n", [(2, "malformed email 'bbbb")], id="email-10k"),
    pytest.param(
        ADA + "bob@example.org," + "T" * 200_000 + "\n",
        [(2, "not valid CSV: a value longer than 131072 characters")],
        id="field-200k",
    ),
    pytest.param(
        ADA.encode() + b"bob@example.org,caf\xe9\n",
        [(2, "not UTF-8 text (byte 0xe9); save the file as UTF-8 CSV")],
        id="latin-1-byte",
    ),
    pytest.param(
        ("email,team\n" + ADA).encode("utf-16"),
        [(1, "UTF-16 text (the file starts with a UTF-16 byte-order mark); save it as UTF-8 CSV")],
        id="utf-16-bom",
    ),
    pytest.param(
        ADA.encode() + b"bob@example.org,2\ncarl@example.org,\x003\n",
        [(3, "a NUL byte: the file is not CSV text; save it as UTF-8 CSV")],
        id="nul-byte",
    ),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [(3, "a NUL byte")], id="png-file"),
]


@pytest.mark.parametrize(("content", "expected"), HOSTILE_REFUSED)
def test_hostile_roster_is_refused_by_line(run_playbook, inventory, emulator, tmp_path, content, expected):
    users = roster_file(tmp_path, content)
    run = run_playbook("setup.yml", inventory, users=str(users))
    assert_problems(refusal(run, emulator), users, expected)
    output = run.stdout + run.stderr
    assert "uid=" not in output and "1338337" not in output  # Jinja in the data was never evaluated
    assert len(output) < 20_000  # a long field is not echoed back


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def formula_cells(rows) -> list[str]:
    """Cells a spreadsheet would evaluate: starting with a formula prefix, also after leading whitespace."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_PREFIXES) or (cell.lstrip().startswith(FORMULA_PREFIXES) and cell[:1] != "'")
    ]


def test_hostile_but_valid_roster_is_inert_data_end_to_end(run_playbook, inventory, emulator, tmp_path):
    """Jinja and formulas in teams and emails, names at their longest and a 10,000-character extra column,
    in a ;-delimited CRLF file with a BOM: setup, urls and status take it, evaluate nothing, and neither
    CSV they write holds a cell a spreadsheet would run."""
    marker = tmp_path / "evaluated"
    longest_email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".org"
    longest_team = "Équipe " + "x" * 121
    assert len(longest_email) == 254 and len(longest_team) == 128
    teams = {  # the team as written in the roster -> the cell the CSV files must show
        longest_team: longest_team,
        "{{ lookup('pipe', 'id') }}": "{{ lookup('pipe', 'id') }}",
        f"{{{{ lookup('pipe', 'touch {marker}') }}}}": f"{{{{ lookup('pipe', 'touch {marker}') }}}}",
        "{{ 1337*1001 }}": "{{ 1337*1001 }}",
        "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
        "+SUM(1+1)": "'+SUM(1+1)",
        "-2+3": "'-2+3",
        "@SUM(A1)": "'@SUM(A1)",
        '=HYPERLINK("http://example.org";"x")': '\'=HYPERLINK("http://example.org";"x")',
        "\t=1+2": "'=1+2",  # leading whitespace is trimmed, then the formula neutralised
        "   +7": "'+7",
    }
    emails = {  # valid addresses: the longest, some starting like formulas, one holding Jinja
        longest_email: longest_email,
        "=x@example.org": "'=x@example.org",
        "+y@example.org": "'+y@example.org",
        "-z@example.org": "'-z@example.org",
        "{{'jinjaran'|upper}}@example.org": "{{'jinjaran'|upper}}@example.org",
    }
    addresses = list(emails) + [f"member{n}@example.org" for n in range(len(teams) - len(emails))]
    with (tmp_path / "users.csv").open("w", newline="", encoding="utf-8") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Notes", "Team", "Email"])
        for n, (email, team) in enumerate(zip(addresses, teams)):
            writer.writerow(["n" * LONG if n == 0 else "", team, email])

    outputs, participants = [], None
    for playbook in ("setup.yml", "urls.yml", "status.yml"):
        run = run_playbook(playbook, inventory, users=str(tmp_path / "users.csv"))
        assert run.rc == 0, run.stdout[-4000:]
        assert_no_crash(run)
        outputs.append(run.stdout + run.stderr)
        participants = participants or run.task("Read and validate the roster")["shares"]["localhost"]["participants"]
    assert [(p["email"], p["team"]) for p in participants] == [(e, t.strip()) for e, t in zip(addresses, teams)]
    output = "\n".join(outputs)
    assert "uid=" not in output and "1338337" not in output and "JINJARAN" not in output
    assert not marker.exists()
    state = emulator.state()
    assert {p["user_profile"] for p in participants} < {p["name"] for p in state["user_profiles"]}
    assert {p["space"] for p in participants} == {s["name"] for s in state["spaces"]}

    urls, status = csv_cells(tmp_path / "urls.csv"), csv_cells(tmp_path / "status.csv")
    assert urls[0][:4] == ["user_profile", "space", "email", "team"] and status[0][:2] == ["space", "team"]
    for rows in (urls, status):
        assert formula_cells(rows) == []
        text = "\n".join(cell for row in rows for cell in row)
        assert "uid=" not in text and "1338337" not in text and "JINJARAN" not in text
    assert sorted(row[3] for row in urls[1:]) == sorted(teams.values())
    assert sorted(row[1] for row in status[1:]) == sorted(teams.values())
    assert sorted(row[2] for row in urls[1:]) == sorted([*emails.values(), *addresses[len(emails) :]])


def big_roster(tmp_path: Path, bad_line: int | None = None) -> Path:
    lines = ["email,team"] + [f"p{n}@example.org,{n // 4}" for n in range(ROWS)]
    if bad_line is not None:
        lines[bad_line - 1] = "p-bad.example.org,7"
    return roster_file(tmp_path, "\n".join(lines) + "\n", "big.csv")


@pytest.mark.parametrize("bad_line", [None, ROWS - 9], ids=["100k-valid", "100k-bad-row-near-the-end"])
def test_validate_100k_rows(tmp_path, bad_line):
    users = big_roster(tmp_path, bad_line)
    environment = dict(os.environ, STUDIO_ARTIFACTS_DIR=str(tmp_path / "artifacts"), COLUMNS="200")
    process = subprocess.run(
        [STUDIO, "validate", str(users)], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in process.stdout + process.stderr
    if bad_line is None:
        assert process.returncode == 0, process.stderr
        summary = process.stdout.rstrip().splitlines()[-1]
        assert f"{ROWS} participants in {ROWS // 4} teams (4 to 4 per team)" in summary, summary
    else:
        assert process.returncode == 2, process.stdout[-2000:]
        assert "has 1 problem(s)" in process.stderr
        assert f"line {bad_line}: malformed email 'p-bad.example.org'" in process.stderr


def test_setup_with_100k_rows_stops_at_a_bad_row_near_the_end(run_playbook, inventory, emulator, tmp_path):
    bad_line = ROWS - 9
    users = big_roster(tmp_path, bad_line)
    run = run_playbook("setup.yml", inventory, users=str(users))
    assert_problems(refusal(run, emulator), users, [(bad_line, "malformed email 'p-bad.example.org'")])


# ----- variables ------------------------------------------------------------------------------------------
DOMAIN_PATTERN = "is not a domain id (d- and 1-61 lower-case letters or digits)"
INSTANCE_TYPES = "Use one of: ml.t3.micro, ml.t3.small, ml.t3.medium"
BAD_VARIABLES = [
    pytest.param({"studio_domain_id": "d_bad!"}, f"domain_id 'd_bad!' {DOMAIN_PATTERN}", id="domain-id-bad-form"),
    pytest.param({"studio_domain_id": ""}, f"domain_id '' {DOMAIN_PATTERN}", id="domain-id-empty"),
    pytest.param(
        {"studio_app_type": "RStudio", "studio_start_apps": True},
        "value of studio_app_type must be one of: JupyterLab, CodeEditor, got: RStudio",
        id="app-type-unknown",
    ),
    pytest.param(
        {"studio_app_type": "jupyterlab"},
        "value of studio_app_type must be one of: JupyterLab, CodeEditor, got: jupyterlab",
        id="app-type-wrong-case-without-apps",
    ),
    pytest.param(
        {"studio_app_type": "CodeEditor"},
        "studio_app_type CodeEditor cannot run in team spaces: AWS runs it in private spaces only",
        id="app-type-code-editor-in-team-spaces",
    ),
    pytest.param(
        {"studio_instance_type": "ml.t3.gigantic", "studio_start_apps": True},
        "studio_instance_type ml.t3.gigantic is not an instance type Studio apps run on (as the",
        id="instance-type-unknown",
    ),
    pytest.param(
        {"studio_event": "Spring Event!"}, "must be 1-40 lower-case letters, digits or dashes", id="event-name"
    ),
    pytest.param({"studio_concurrency": 0}, "concurrency must be between 1 and 100, got 0", id="concurrency-0"),
]


@pytest.mark.parametrize(("variables", "message"), BAD_VARIABLES)
def test_bad_variable_is_refused_before_any_change(run_playbook, inventory, emulator, tmp_path, variables, message):
    users = roster_file(tmp_path, ADA + "alan@example.org,2\n")
    result = refusal(run_playbook("setup.yml", inventory, users=str(users), **variables), emulator)
    assert message in result["msg"], result["msg"]
    if "studio_instance_type" in variables:
        assert INSTANCE_TYPES in result["msg"]


def state_names(emulator) -> dict:
    state = emulator.state()
    return {kind: sorted((i["name"], i["status"]) for i in state[kind]) for kind in ("user_profiles", "spaces", "apps")}


@pytest.mark.parametrize(
    "cases",
    [
        # The range is checked where the URLs are made, after a setup: one setup serves both ends.
        pytest.param(
            {
                4: "expires_in must be between 5 and 300 seconds, got 4",
                301: "expires_in must be between 5 and 300 seconds, got 301",
            },
            id="out-of-range",
        ),
        pytest.param(
            {"five": "argument 'studio_url_expires_in' is of type str and we were unable to convert to int"},
            id="expires-in-not-a-number",
        ),
    ],
)
def test_url_expiry_out_of_range_is_refused_before_any_url(run_playbook, inventory, emulator, tmp_path, cases):
    if all(isinstance(expires_in, int) for expires_in in cases):
        assert run_playbook("setup.yml", inventory, users=str(roster_file(tmp_path, ADA))).rc == 0
    for expires_in, message in cases.items():
        before, changes = state_names(emulator), mutating_calls(emulator)
        run = run_playbook("urls.yml", inventory, studio_url_expires_in=expires_in)
        assert run.rc == 2, run.stdout[-4000:]
        assert_no_crash(run)
        failed = failed_results(run)
        assert len(failed) == 1 and message in failed[0]["msg"], failed
        assert emulator.calls()["received"].get("CreatePresignedDomainUrl", 0) == 0
        assert mutating_calls(emulator) == changes
        assert state_names(emulator) == before
        assert not (tmp_path / "urls.csv").exists()


def test_app_types_have_one_list_in_the_modules_and_the_same_in_every_argument_spec():
    """The roles' choices of studio_app_type (checked before setup changes anything) are the modules' APP_TYPES."""
    lists = {}
    for module in ("studio_app", "studio_space"):
        tree = ast.parse((ROOT / "plugins" / "modules" / f"{module}.py").read_text())
        assigned = [
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "APP_TYPES"
        ]
        lists[module] = ast.literal_eval(assigned[0])
    for spec_file in sorted((ROOT / "roles").glob("*/meta/argument_specs.yml")):
        for entry, spec in yaml.safe_load(spec_file.read_text())["argument_specs"].items():
            option = spec.get("options", {}).get("studio_app_type")
            if option and "choices" in option:
                lists[f"{spec_file.parts[-3]}:{entry}"] = option["choices"]
    assert "preflight:main" in lists
    assert all(choices == lists["studio_app"] for choices in lists.values()), lists
