"""Teardown by dependency, not by stage: what owns nothing goes at once, the rest as soon as what
blocks it is gone, and nothing else of the domain is touched."""

from __future__ import annotations

import threading
import time

from tests.integration.playbooks.conftest import foreign, foreign_resources


class Watch:
    """Polls the emulator during a run: the moments a participant's user profile was going or gone
    while one of the event's team spaces was still there, and the organizer's likewise."""

    def __init__(self, emulator, participants: set, organizer: str):
        self.emulator, self.participants, self.organizer = emulator, participants, organizer
        self.participant_before_spaces = self.organizer_before_spaces = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self) -> None:
        while not self.stop.is_set():
            state = self.emulator.state()
            spaces = [s for s in state["spaces"] if s["tags"].get("hackathon:event") == "spring"]
            present = {p["name"] for p in state["user_profiles"] if p["status"] != "Deleting"}
            if spaces:
                self.participant_before_spaces |= bool(self.participants - present)
                self.organizer_before_spaces |= self.organizer not in present
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def test_participants_go_while_the_spaces_go_and_their_owner_after_them(
    run_playbook, inventory, emulator, sagemaker, tmp_path
):
    foreign_resources(sagemaker, space="data-science")
    before = foreign(emulator)
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,2\ngrace@example.org,3\nedsger@example.org,3\n")
    assert run_playbook("setup.yml", inventory, users=str(roster), studio_start_apps=True).rc == 0
    event_profiles = {p["name"] for p in emulator.state()["user_profiles"] if p["tags"].get("hackathon:event")}
    participants = event_profiles - {"spring-organizer"}
    # Spaces go one a second, so that the run spends a while on them.
    emulator.faults(throttle={"rps": 1, "burst": 1, "actions": ["DeleteSpace"]})
    with Watch(emulator, participants, "spring-organizer") as watch:
        teardown = run_playbook("teardown.yml", inventory)
    emulator.faults()
    assert teardown.rc == 0, teardown.stdout
    assert watch.participant_before_spaces  # a stage plan deletes no profile before the last space is gone
    assert not watch.organizer_before_spaces  # AWS refuses to delete the owner of a space
    assert not {p["name"] for p in emulator.state()["user_profiles"]} & event_profiles
    assert foreign(emulator) == before
    # what each kind's task did, in the one result shape
    profiles = teardown.task("Delete the event's user profiles")
    assert sorted(r["name"] for r in profiles["results"] if r["action"] == "deleted") == sorted(participants)
    owners = teardown.task("Delete the owners of the spaces")
    assert [(r["name"], r["action"]) for r in owners["results"]] == [("spring-organizer", "deleted")]
