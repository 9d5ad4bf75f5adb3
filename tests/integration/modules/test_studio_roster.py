"""studio_roster through ansible-playbook: names, problems with line numbers, domain placement."""

from __future__ import annotations


def roster(path, **args):
    return {"hackathon.studio.studio_roster": {"path": str(path), **args}, "register": "out", "ignore_errors": True}


def test_roster_names_problems_and_domains(playbook, tmp_path):
    good = tmp_path / "users.csv"
    good.write_text(
        "niklas@amazon.com,1\nniklas@ai.se,1\n{{ lookup('pipe', 'id') }}@x.org,2\ngrace@x.org,{{ 7 * 7 }}\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("ada@example.org,1\nnot-an-email,1\nADA@example.org,2\n")
    many = tmp_path / "many.csv"
    many.write_text("".join(f"user{i}@example.org,{i // 4}\n" for i in range(40)))
    run = playbook(
        [
            roster(bad),
            roster(good),
            roster(many, domains=["a", "b"], capacities={"a": 24, "b": 24}, domain="a"),
            roster(many, domains=["a", "b"], capacities={"a": 24, "b": 24}, domain="b"),
            roster(many, domains=["a", "b"], capacities={"a": 10, "b": "10"}),
            roster(many, domains=["a", "b"], capacities={"a": 24, "b": 24}),  # every share in one run
            roster(many, domains=["a", "b"], capacities={"a": 24, "b": 24}, private_spaces_only=True),
        ]
    )
    assert run[0]["failed"]
    assert run[0]["problems"] == [
        f"{bad}, line 2: malformed email 'not-an-email'",
        f"{bad}, line 3: ADA@example.org is in two teams: '1' on line 1 and '2' here",
    ]
    assert run[1]["failed"] and "malformed email" in run[1]["msg"]  # Jinja is data, never evaluated

    good.write_text("niklas@amazon.com,1\nniklas@ai.se,1\ngrace@x.org,{{ 7 * 7 }}\n")
    ok = playbook([roster(good)])[0]
    profiles = [p["name"] for p in ok["user_profiles"]]
    assert len(set(profiles)) == 2 + 1 and all(p.startswith(("niklas-", "grace-")) for p in profiles)
    assert ok["participants"][2]["team"] == "{{ 7 * 7 }}" and ok["participants"][2]["space"] == "team-7-7"
    assert ok["total"] == {"participants": 3, "teams": 2}

    a, b = run[2], run[3]
    assert a["total"]["participants"] == 40
    assert len(a["participants"]) + len(b["participants"]) == 40
    assert len(a["participants"]) <= 24 and len(b["participants"]) <= 24
    assert not {s["name"] for s in a["spaces"]} & {s["name"] for s in b["spaces"]}  # teams are never split
    assert run[4]["failed"] and "fits in no domain" in run[4]["msg"]
    fields = ("participants", "teams", "user_profiles", "spaces", "personal_spaces")
    assert run[5]["shares"] == {"a": {f: a[f] for f in fields}, "b": {f: b[f] for f in fields}}
    assert "participants" not in run[5] and run[5]["total"] == a["total"]
    # Strict isolation: teams are placed by their team space, each participant works in their own.
    strict = run[6]["shares"]
    assert [p["team_space"] for p in strict["a"]["participants"]] == [p["space"] for p in a["participants"]]
    assert all(p["space"] == p["personal_space"] for share in strict.values() for p in share["participants"])
    assert strict["a"]["spaces"] == [] and strict["b"]["spaces"] == []
