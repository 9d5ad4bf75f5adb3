"""No vaulted value and no presigned URL in the playbooks' output, even at -vvvv."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys

import pytest
import yaml
from ansible.parsing.vault import AnsibleVaultError, VaultLib, VaultSecret

from tests.integration.playbooks.conftest import ROOT

VAULT = ROOT / "inventories" / "emulator" / "group_vars" / "all" / "vault.yml"  # the demo vault
PASSWORD_FILE = ROOT / "inventories" / "emulator" / "vault-password.txt"  # the documented demo password
# What a module's invocation shows in place of a no_log option: proof a secret reached it, censored.
CENSORED = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def vaulted() -> dict:
    password = PASSWORD_FILE.read_bytes().strip()  # as ansible reads a password file
    values = yaml.safe_load(VaultLib([("demo", VaultSecret(password))]).decrypt(VAULT.read_bytes()))
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


def test_no_access_key_secret_key_or_url_at_any_verbosity(run_playbook, inventory, tmp_path):
    output, urls = verbose_event(run_playbook, inventory, tmp_path)
    assert CENSORED in output  # the vaulted keys were used, so this is no vacuous pass
    values = vaulted()
    for name in ("vault_studio_aws_secret_key", "vault password"):
        assert values[name] not in output, f"{name} is in the output"
    # amazon.aws leaves access_key uncensored (a key id is not secret to AWS); ours is, as it may be vaulted.
    assert values["vault_studio_aws_access_key"] not in output, "vault_studio_aws_access_key is in the output"
    assert "token=" not in output
    for url in urls:
        assert url not in output and url.split("token=")[-1] not in output


# ----- the demo vault is for the emulator only (finding 4 of the safety issue) ---------------------------
def demo_access_key() -> str:
    """The key the demo_keys filter refuses off the emulator."""
    spec = importlib.util.spec_from_file_location("demo_keys", ROOT / "plugins" / "filter" / "demo_keys.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DEMO_ACCESS_KEY


def own_inventory(tmp_path, endpoint_url: str, vault_text: bytes | None = None):
    """An inventory of one's own: no demo vault, or ``vault_text`` as its group_vars/all/vault.yml."""
    directory = tmp_path / "mine"
    (directory / "group_vars" / "all").mkdir(parents=True)
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable, "studio_region": "us-east-1"}
    host.update(studio_domain_id="d-hackathon0001", studio_endpoint_url=endpoint_url)
    (directory / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": host}}}))
    if vault_text is not None:
        (directory / "group_vars" / "all" / "vault.yml").write_bytes(vault_text)
    return directory


def test_the_readmes_vault_commands_use_your_password_not_the_demo_one(tmp_path):
    password = tmp_path / "pass"
    password.write_text("my own vault password\n")
    plain = tmp_path / "plain.yml"
    plain.write_text("vault_studio_aws_access_key: AKIAOWNKEY\n")
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    vault = ROOT / ".venv" / "bin" / "ansible-vault"
    encrypt = [vault, "encrypt", "--vault-password-file", password, "--output", tmp_path / "vault.yml", plain]
    done = subprocess.run(encrypt, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr  # before: "vault-ids default,default are available"
    ciphertext = (tmp_path / "vault.yml").read_bytes()
    with pytest.raises(AnsibleVaultError):
        VaultLib([("demo", VaultSecret(PASSWORD_FILE.read_bytes().strip()))]).decrypt(ciphertext)
    shown = subprocess.run(
        [vault, "view", "--vault-password-file", password, tmp_path / "vault.yml"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0 and "AKIAOWNKEY" in shown.stdout


def test_a_vault_encrypted_with_the_demo_password_does_not_open(run_playbook, emulator, tmp_path):
    secret = VaultSecret(PASSWORD_FILE.read_bytes().strip())
    real_keys = VaultLib([("default", secret)]).encrypt("vault_studio_aws_access_key: AKIAREALKEY\n", secret)
    before = sum(emulator.calls()["received"].values())
    run = run_playbook("status.yml", own_inventory(tmp_path, emulator.url, real_keys), json_output=False)
    assert run.rc != 0 and "no vault secrets were found that could decrypt" in run.stdout + run.stderr
    assert sum(emulator.calls()["received"].values()) == before  # stopped before any call


def test_the_demo_keys_are_refused_for_any_endpoint_but_the_emulator(run_playbook, emulator, tmp_path):
    demo = (ROOT / "inventories" / "emulator" / "group_vars" / "all" / "vault.yml").read_bytes()
    assert vaulted()["vault_studio_aws_access_key"] == demo_access_key()  # the guard knows the demo key
    run = run_playbook("status.yml", own_inventory(tmp_path, "", demo))  # no endpoint: AWS
    assert run.rc != 0
    [failed] = [t for play in run.report["plays"] for t in play["tasks"] if t["hosts"]["localhost"].get("failed")]
    assert "the demo vault's keys are for the local emulator only" in failed["hosts"]["localhost"]["msg"]


def test_without_vault_keys_the_aws_credential_chain_applies(run_playbook, emulator, tmp_path, monkeypatch):
    emulator.config(credentials={"AKIACHAINKEY": "chain-secret"})  # only these keys are accepted now
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIACHAINKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "chain-secret")
    run = run_playbook("configure.yml", own_inventory(tmp_path, emulator.url))
    assert run.rc == 0, run.stdout
