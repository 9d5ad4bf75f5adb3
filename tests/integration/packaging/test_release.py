"""Release hygiene: the changelog fragments are valid, and the versions agree."""

from __future__ import annotations

import re
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
