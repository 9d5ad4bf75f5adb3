"""Where things are: the checkout the command runs from, its playbooks, inventories and roster logic.

The ``studio`` command runs the collection's playbooks from the checkout it is installed from
(``pip install -e .`` / ``make install``), so that the code, the playbooks and ``ansible.cfg`` always
match. Nothing here talks to AWS.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
PLAYBOOKS = ROOT / "playbooks"
ANSIBLE_CFG = ROOT / "ansible.cfg"
DEFAULT_INVENTORY = ROOT / "inventories" / "emulator"
# The demo vault (the emulator inventory's keys) opens with a published password, under the vault id
# "demo" only: ansible.cfg names it relative to the checkout, this from anywhere.
DEMO_VAULT_PASSWORD = DEFAULT_INVENTORY / "vault-password.txt"
DEMO_VAULT_IDENTITY = f"demo@{DEMO_VAULT_PASSWORD}"
COLLECTIONS = ROOT / "collections"
VARS_FILE = "studio.yml"  # what `studio configure` writes, in host_vars/<host>/ and group_vars/all/


class StudioError(Exception):
    """A problem the user can fix, told in one line; ``code`` is the exit code (2: bad input or configuration)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def check_checkout() -> None:
    if not (PLAYBOOKS / "setup.yml").is_file() or not ANSIBLE_CFG.is_file():
        raise StudioError(
            f"studio runs from a checkout of hackathon.studio, and {ROOT} is not one: "
            "install it with `make install` (or `pip install -e .`) in a clone"
        )
    if not (COLLECTIONS / "ansible_collections" / "hackathon" / "studio" / "playbooks").is_dir():
        raise StudioError(f"the collection is not linked into {COLLECTIONS}: run `make install` in {ROOT}")


def playbook(name: str) -> Path:
    return PLAYBOOKS / name


def collection_module(name: str, what: str):
    """A module of the collection (``plugins.module_utils.roster``), the one the playbooks use."""
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))
    try:
        return importlib.import_module(f"ansible_collections.hackathon.studio.{name}")
    except ImportError as exc:
        raise StudioError(f"cannot load the collection's {what} ({exc}): run `make install` in {ROOT}") from None


def parse_roster(data: bytes):
    """The collection's own roster parser (plugins/module_utils/roster.py), the one studio_roster uses."""
    return collection_module("plugins.module_utils.roster", "roster logic").parse_roster(data)


def read_roster(path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StudioError(f"cannot read the roster {path}: {exc.strerror or exc}") from None
    return parse_roster(data)


def roster_path(value: str) -> Path:
    """An existing roster file, as an absolute path (the playbooks resolve relative paths elsewhere)."""
    path = Path(value).expanduser().absolute()
    if not path.is_file():
        raise StudioError(f"the roster {value} does not exist or is not a file")
    return path


def inventory_path(value: str | None) -> Path:
    path = Path(value).expanduser().absolute() if value else DEFAULT_INVENTORY
    if not path.exists():
        raise StudioError(f"the inventory {value} does not exist")
    return path


def vault_password_file(value: str | None) -> Path | None:
    """--vault-password-file, else $STUDIO_VAULT_PASSWORD_FILE, else None (only the demo vault opens)."""
    value = value or os.environ.get("STUDIO_VAULT_PASSWORD_FILE")
    if not value:
        return None
    path = Path(value).expanduser().absolute()
    if not path.is_file():
        raise StudioError(f"the vault password file {value} does not exist")
    if path.read_bytes().strip() == DEMO_VAULT_PASSWORD.read_bytes().strip():
        raise StudioError(
            f"the vault password file {value} holds the demo vault's published password: real keys must be "
            "in a vault of your own password (the emulator's demo vault needs no password file)"
        )
    return path


def vars_dir(inventory: Path) -> Path:
    """Where host_vars/ and group_vars/ of an inventory live: the directory, or beside the file."""
    return inventory if inventory.is_dir() else inventory.parent


def write_vars(path: Path, values: dict) -> None:
    """Merge ``values`` into a vars file that ``studio configure`` owns, keeping what else it holds."""
    current = {}
    if path.is_file():
        try:
            current = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise StudioError(f"cannot read {path}: {exc}") from None
        if not isinstance(current, dict):
            raise StudioError(f"{path} is not a mapping of variables")
    current.update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "---\n# Written by `studio configure`; edit freely, it keeps what it does not set.\n"
    text += yaml.safe_dump(current, sort_keys=True, default_flow_style=False)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
