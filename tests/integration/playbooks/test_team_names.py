"""Teams named in any script get a space each, displayed as the team writes itself, through the playbooks."""

from __future__ import annotations

import csv

TEAMS = {"Альфа": "Альфа", "Бета": "Бета", "红队": "红队", "\u200fצוות\u200f": "צוות"}  # team -> display name


def test_teams_in_any_script_get_their_own_spaces(run_playbook, inventory, emulator, sagemaker, tmp_path):
    roster = tmp_path / "users.csv"
    teams = list(TEAMS)
    roster.write_text("".join(f"user{i}@example.org,{teams[i % len(teams)]}\n" for i in range(8)), encoding="utf-8")
    setup = run_playbook("setup.yml", inventory, users=str(roster))
    assert setup.rc == 0, setup.stdout

    listed = sagemaker.list_spaces(DomainIdEquals="d-hackathon0001")["Spaces"]
    shown = {space["SpaceName"]: space.get("SpaceDisplayName") for space in listed}
    assert len(shown) == 4 and sorted(shown.values()) == sorted(TEAMS.values()), shown
    assert {space["owner"] for space in emulator.state()["spaces"]} == {"spring-organizer"}

    again = run_playbook("setup.yml", inventory, users=str(roster))
    assert again.rc == 0 and again.changed() == 0, again.stdout  # names and display names are stable

    alfa = run_playbook("urls.yml", inventory, team="альфа")  # any spelling of the team picks it
    assert alfa.rc == 0, alfa.stdout
    rows = list(csv.DictReader((tmp_path / "urls.csv").open(encoding="utf-8")))
    assert sorted(row["email"] for row in rows) == ["user0@example.org", "user4@example.org"]
    assert {row["team"] for row in rows} == {"Альфа"}
