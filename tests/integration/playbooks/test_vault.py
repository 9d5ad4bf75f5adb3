"""No vaulted value and no presigned URL in the playbooks' output, even at -vvvv."""

from __future__ import annotations

import csv

import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

from tests.integration.playbooks.conftest import ROOT

VAULT = ROOT / "group_vars" / "all" / "vault.yml"
PASSWORD_FILE = ROOT / "inventories" / "emulator" / "vault-password.txt"  # the documented demo password
# What a module's invocation shows in place of a no_log option: proof a secret reached it, censored.
CENSORED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def vaulted() -> dict:
    password = PASSWORD_FILE.read_bytes().strip()  # as ansible reads a password file
    values = yaml.safe_load(VaultLib([("default", VaultSecret(password))]).decrypt(VAULT.read_bytes()))
    assert set(values) == {"vault_studio_aws_access_key", "vault_studio_aws_secret_key"}
    return {**values, "vault password": password.decode()}


def verbose_event(run_playbook, inventory, tmp_path) -> tuple[str, list[str]]:
    """setup.yml and urls.yml at -vvvv in text: (everything they printed, the URLs they wrote)."""
    roster = tmp_path / "users.csv"
    roster.write_text("ada@example.org,1\nalan@example.org,1\ngrace@example.org,2\n")
    output = ""
    for playbook in ("setup.yml", "urls.yml"):
        run = run_playbook(playbook, inventory, json_output=False, args=["-vvvv"], users=str(roster))
        assert run.rc == 0, run.stdout + run.stderr
        output += run.stdout + run.stderr
    urls = [row["url"] for row in csv.DictReader((tmp_path / "urls.csv").open())]
    assert len(urls) == 3
    return output, urls


def test_no_secret_key_or_url_at_any_verbosity(run_playbook, inventory, tmp_path):
    output, urls = verbose_event(run_playbook, inventory, tmp_path)
    assert CENSORED in output  # the vaulted keys were used, so this is no vacuous pass
    values = vaulted()
    for name in ("vault_studio_aws_secret_key", "vault password"):
        assert values[name] not in output, f"{name} is in the output"
    assert "token=" not in output
    for url in urls:
        assert url not in output and url.split("token=")[-1] not in output


def test_no_access_key_at_any_verbosity(run_playbook, inventory, tmp_path):
    # amazon.aws leaves access_key uncensored (a key id is not secret to AWS); ours is, as it may be vaulted.
    output, _ = verbose_event(run_playbook, inventory, tmp_path)
    assert vaulted()["vault_studio_aws_access_key"] not in output
