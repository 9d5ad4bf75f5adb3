"""The collection as a user gets it: built with ansible-galaxy from a working tree, installed from the tarball."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
# What an event's run leaves where it was started (the checkout's root or examples/): secrets.
RUN_OUTPUTS = ["codes-spring.csv", "cards-spring.html", "urls-spring.csv", "status-spring.csv"]


def tracked_tree(target: Path) -> Path:
    """The repository's tracked files (as they are in the working tree), copied to ``target``."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source, copy = ROOT / name, target / name
        if source.is_file() and not source.is_symlink():
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(source.read_bytes())
    return target


def clean_environment(collections: Path) -> dict:
    """The caller's environment without anything that points into the checkout (its ansible.cfg,
    its vault, its Python path), the installed collections only, and keys in AWS's own variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ANSIBLE_", "AWS_", "PYTHONPATH")) and str(ROOT) not in value
    }
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_NOCOLOR="1",
        AWS_ACCESS_KEY_ID="emulator",
        AWS_SECRET_ACCESS_KEY="emulator",
        PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", os.defpath)]),
    )
    return env


@pytest.fixture(scope="module")
def tarball(tmp_path_factory) -> Path:
    """``ansible-galaxy collection build`` of a working tree where an event was run."""
    base = tmp_path_factory.mktemp("build")
    tree = tracked_tree(base / "tree")
    for name in RUN_OUTPUTS:
        for where in (tree, tree / "examples"):
            (where / name).write_text("email,team,code\nada@example.org,1,ABCD-EFGH-JKMN\n")
    build = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(base), str(tree)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (path,) = base.glob("hackathon-studio-*.tar.gz")
    return path


@pytest.fixture(scope="module")
def installed(tarball, tmp_path_factory) -> Path:
    """The tarball installed into an empty collections directory, as a user would; its path.

    --no-deps: the install is offline, and amazon.aws, the one dependency, comes with the ansible
    package (the venv's, or the execution environment's), where ansible finds it on its own."""
    collections = tmp_path_factory.mktemp("installed") / "collections"
    install = subprocess.run(
        [str(BIN / "ansible-galaxy"), "collection", "install", "--no-deps", "-p", str(collections), str(tarball)],
        env=clean_environment(collections),  # the checkout's ansible.cfg would find its own copy installed
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return collections
