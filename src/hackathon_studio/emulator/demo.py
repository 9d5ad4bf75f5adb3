"""A short rehearsal on a fresh emulator: what `make demo` shows until the playbooks take over."""

from __future__ import annotations

import time

import boto3

from .process import EmulatorProcess

DOMAIN_ID = "d-hackathon0001"
TEAM = {"ada-lovelace": "ada@example.org", "alan-turing": "alan@example.org"}


def _wait(describe, status: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    current = describe()["Status"]
    while current != status and time.monotonic() < deadline:
        time.sleep(0.1)
        current = describe()["Status"]
    return current


def main() -> int:
    with EmulatorProcess(time_scale=0.02) as emu:
        print(f"studio-emulator running at {emu.url} (transitions 50x faster than AWS)")
        sm = boto3.client("sagemaker", **emu.client_kwargs())
        tags = [{"Key": "hackathon:event", "Value": "demo"}]
        for name in TEAM:
            sm.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=name, Tags=tags)
        for name in TEAM:
            status = _wait(lambda n=name: sm.describe_user_profile(DomainId=DOMAIN_ID, UserProfileName=n), "InService")
            print(f"user profile {name}: {status}")
        sm.create_space(
            DomainId=DOMAIN_ID,
            SpaceName="team-1",
            SpaceSettings={"AppType": "JupyterLab"},
            OwnershipSettings={"OwnerUserProfileName": "ada-lovelace"},
            SpaceSharingSettings={"SharingType": "Shared"},
            Tags=tags,
        )
        print(f"space team-1: {_wait(lambda: sm.describe_space(DomainId=DOMAIN_ID, SpaceName='team-1'), 'InService')}")
        app = {"DomainId": DOMAIN_ID, "SpaceName": "team-1", "AppType": "JupyterLab", "AppName": "default"}
        sm.create_app(**app, ResourceSpec={"InstanceType": "ml.t3.medium"})
        print(f"JupyterLab app in team-1: {_wait(lambda: sm.describe_app(**app), 'InService')}")
        for name in TEAM:
            url = sm.create_presigned_domain_url(
                DomainId=DOMAIN_ID, UserProfileName=name, SpaceName="team-1", ExpiresInSeconds=300
            )["AuthorizedUrl"]
            print(f"presigned URL for {name}: issued ({len(url)} characters, valid 5 minutes; not printed)")
        state = emu.state()
        print(
            f"emulator state: {len(state['user_profiles'])} user profiles, {len(state['spaces'])} spaces, "
            f"{len(state['apps'])} apps"
        )
        sm.delete_app(**app)
        print(f"app stopped: {_wait(lambda: sm.describe_app(**app), 'Deleted')}")
        sm.delete_space(DomainId=DOMAIN_ID, SpaceName="team-1")
        while emu.state()["spaces"]:
            time.sleep(0.1)
        for name in TEAM:
            sm.delete_user_profile(DomainId=DOMAIN_ID, UserProfileName=name)
        while emu.state()["user_profiles"]:
            time.sleep(0.1)
        calls = emu.calls()["received"]
        print(f"torn down; {sum(calls.values())} API calls in all: {calls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
