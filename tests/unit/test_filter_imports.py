"""Ansible imports every filter plugin of the collection in each worker process of a task that uses
any of them: a filter file importing boto3 cost each such task 0.06 s on every host (0.6 s on ten)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_filter_plugin_imports_boto3_or_botocore_when_loaded():
    names = [p.stem for p in sorted((ROOT / "plugins" / "filter").glob("*.py")) if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module('ansible_collections.hackathon.studio.plugins.filter.' + name)\n"
        "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))\n"
    )
    env = {"PYTHONPATH": str(ROOT / "collections"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert len(names) > 10 and out.stdout.strip() == "[]"


def test_registry_holds_plans_a_write_without_boto3_or_botocore_s_config():
    """Setup's skipped registry write compares in the worker process: boto3 there cost 0.26 s a host."""
    code = (
        "import sys\n"
        "from ansible_collections.hackathon.studio.plugins.filter.registry_holds import registry_holds\n"
        "read = {'exists': True, 'participants': [], 'recorded': {'user_profiles': [], 'spaces': []}}\n"
        "ada = {'email': 'ada@example.org', 'team': '1', 'user_profile': 'ada', 'space': 'team-1'}\n"
        "print(registry_holds(read, [ada], [], [], domain_id='d-1'))\n"
        "print(sorted(m for m in ('boto3', 'botocore.config') if m in sys.modules))\n"
    )
    env = {"PYTHONPATH": str(ROOT / "collections"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["False", "[]"], out.stdout
