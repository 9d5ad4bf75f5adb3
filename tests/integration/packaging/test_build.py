"""`ansible-galaxy collection build` from a working tree where an event was run: the run's files
(codes, cards, URLs, status: secrets) never travel in the tarball, nor anything encrypted."""

from __future__ import annotations

import tarfile
from pathlib import Path

from tests.integration.packaging.conftest import RUN_OUTPUTS


def packed(tarball: Path) -> dict:
    """Every regular file of the tarball: its name and content."""
    with tarfile.open(tarball) as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers() if member.isfile()}


def test_a_build_leaves_out_what_a_run_wrote(tarball):
    names = packed(tarball)
    assert "plugins/modules/studio_access_codes.py" in names  # the build has the collection
    assert not [name for name in names if Path(name).name in RUN_OUTPUTS]


def test_a_build_holds_nothing_encrypted_and_no_inventory_of_the_checkout(tarball):
    files = packed(tarball)
    assert "roles/studio/defaults/main.yml" in files  # the playbooks' defaults travel with them
    assert not [name for name, data in files.items() if b"$ANSIBLE_VAULT" in data]
    assert not [name for name in files if name.split("/")[0] in ("inventories", "tests", "benchmarks", "extensions")]
    assert not [name for name in files if Path(name).name in ("vault.yml", "vault-password.txt")]
