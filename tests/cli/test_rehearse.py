"""`studio rehearse`, what `make demo` runs: a whole event on a throw-away emulator, told to a newcomer."""

from __future__ import annotations


def test_rehearse_sample_roster(studio, sample, never_shown, kept_files, artifacts):
    run = studio("rehearse", sample)
    assert run.rc == 0, run
    out = run.stdout
    for step in ("configure", "setup-users", "get-urls", "portal", "status", "purge"):
        assert f"✓ studio {step}" in out, step
    # One participant of each team logged in through the portal with the code setup wrote.
    assert "portal: 4 of 4 teams logged in" in out and "4 of 4 teams logged in  (" in out
    assert "user profiles 13 created; spaces 4 created; apps 4 created" in out
    assert "12 participants, 4 apps in service, no drift" in out
    assert "left behind: nothing." in out and "✓ Rehearsal passed in" in out
    assert "No drift: the domain matches the registry." in out
    assert "studio setup-users users.csv -i inventories/<yours>" in out  # what to do next
    for secret in never_shown:
        assert secret not in run.output
    assert run.stderr == ""
    assert kept_files(artifacts) == {}
