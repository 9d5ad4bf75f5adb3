"""`studio` in a terminal: configure asks with defaults, purge shows what goes and asks before deleting."""

from __future__ import annotations

import os
import sys

import pexpect
import yaml


def spawn(tmp_path, artifacts, *args):
    env = dict(os.environ, STUDIO_ARTIFACTS_DIR=str(artifacts))
    return pexpect.spawn(
        sys.executable,
        ["-m", "hackathon_studio.cli", *map(str, args)],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=120,
        dimensions=(50, 160),
    )


def finish(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_configure_prompts_and_purge_confirms(tmp_path, artifacts, inventory, emulator, sagemaker):
    child = spawn(tmp_path, artifacts, "configure", "-i", inventory)
    child.expect_exact("AWS region [us-east-1]: ")
    child.sendline("")
    child.expect_exact("Studio domain id [d-hackathon0001]: ")
    child.sendline("")
    child.expect_exact("Event name [hackathon]: ")
    child.sendline("autumn")
    assert finish(child) == 0, child.before
    saved = yaml.safe_load((inventory / "host_vars" / "localhost" / "studio.yml").read_text())
    assert saved == {"studio_event": "autumn"}  # only what changed is pinned

    tags = [{"Key": "hackathon:event", "Value": "autumn"}]
    sagemaker.create_user_profile(DomainId="d-hackathon0001", UserProfileName="ada-1", Tags=tags)
    for answer, left in (("n", 1), ("y", 0)):
        child = spawn(tmp_path, artifacts, "purge", "-i", inventory)
        child.expect_exact("1 user profiles to delete: ada-1")
        child.expect_exact("Delete everything of the event (and its registry entries)? [y/N]: ")
        child.sendline(answer)
        assert finish(child) == 0, child.before
        assert len(emulator.state()["user_profiles"]) == left
