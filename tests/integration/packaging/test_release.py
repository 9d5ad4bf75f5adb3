"""Release hygiene: the changelog fragments are valid, and the versions agree."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib

import yaml

from tests.integration.packaging.conftest import BIN, ROOT


def test_the_changelog_fragments_pass_antsibull_changelog_lint():
    lint = subprocess.run([str(BIN / "antsibull-changelog"), "lint"], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0 and not lint.stdout.strip(), lint.stdout + lint.stderr


def test_the_collection_and_the_package_have_one_version_and_one_ansible():
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert galaxy["version"] == project["version"]
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    (core,) = [d for d in project["dependencies"] if re.match(r"ansible-core\b", d)]
    assert runtime["requires_ansible"] == ">=" + re.search(r">=([0-9.]+)", core).group(1) + ".0"


def test_a_release_turns_the_fragments_into_the_changelog(tmp_path):
    """What `antsibull-changelog release` does at release time, on a copy: every fragment lands in
    CHANGELOG.rst under the release, and the new modules and plugins are listed."""
    copy = tmp_path / "ansible_collections" / "hackathon" / "studio"  # where ansible-doc finds its plugins
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".*", "collections", "tests", "benchmarks"))
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", ANSIBLE_COLLECTIONS_PATH=str(tmp_path))
    release = subprocess.run(
        [str(BIN / "antsibull-changelog"), "release", "--version", version, "--date", "2026-11-26"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert release.returncode == 0, release.stdout + release.stderr
    changelog = (copy / "CHANGELOG.rst").read_text()
    assert f"v{version}" in changelog
    assert "studio_iam_role - Create or delete the event's IAM roles" in changelog  # New Modules
    assert "studio_isolation" in changelog
    assert not list((copy / "changelogs" / "fragments").glob("*.yml"))  # consumed into changelog.yaml
