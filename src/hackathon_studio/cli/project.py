"""Where things are: the collection whose playbooks the command runs, its inventories and roster logic.

From a checkout (``pip install -e .`` / ``make install``) the command runs the checkout's own
playbooks with its ``ansible.cfg``, so that the code, the playbooks and the configuration always
match. Installed from a wheel, it runs the collection hackathon.studio where ansible finds it
(``ansible-galaxy collection install hackathon.studio``): its configured collections paths, then
Python's path. Nothing here talks to AWS.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import yaml

CHECKOUT = Path(__file__).resolve().parents[3]
COLLECTION = Path("ansible_collections") / "hackathon" / "studio"  # under a collections directory


def is_checkout(path: Path) -> bool:
    return (path / "galaxy.yml").is_file() and (path / "playbooks" / "setup.yml").is_file()


def installed_collections() -> Path | None:
    """The collections directory where ansible finds an installed hackathon.studio, or None."""
    from ansible import constants

    for directory in [*constants.COLLECTIONS_PATHS, *sys.path]:
        path = Path(directory).expanduser()
        if (path / COLLECTION / "playbooks" / "setup.yml").is_file():
            return path.absolute()
    return None


if is_checkout(CHECKOUT):
    ROOT = CHECKOUT
    COLLECTIONS: Path | None = ROOT / "collections"  # where `make install` links the checkout
    ANSIBLE_CFG: Path | None = ROOT / "ansible.cfg"
else:
    COLLECTIONS = installed_collections()
    ROOT = COLLECTIONS / COLLECTION if COLLECTIONS else CHECKOUT
    ANSIBLE_CFG = None  # ansible's own search: ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg
PLAYBOOKS = ROOT / "playbooks"
DEFAULT_INVENTORY = ROOT / "inventories" / "emulator"  # a checkout's only: no installed collection has it
# The demo vault (the emulator inventory's keys) opens with a published password, under the vault id
# "demo" only: ansible.cfg names it relative to the checkout, this from anywhere.
DEMO_VAULT_PASSWORD = DEFAULT_INVENTORY / "vault-password.txt"
DEMO_VAULT_IDENTITY = f"demo@{DEMO_VAULT_PASSWORD}"
VARS_FILE = "studio.yml"  # what `studio configure` writes, in host_vars/<host>/ and group_vars/all/


def ansible_environment() -> dict:
    """What the playbooks' ansible needs to find this collection: the checkout's ansible.cfg and demo
    vault, or the collections directory the installed collection was found in."""
    if ANSIBLE_CFG:
        return {"ANSIBLE_CONFIG": str(ANSIBLE_CFG), "ANSIBLE_VAULT_IDENTITY_LIST": DEMO_VAULT_IDENTITY}
    if not COLLECTIONS:
        return {}
    from ansible import constants  # the other configured paths may hold amazon.aws

    paths = dict.fromkeys([str(COLLECTIONS), *map(str, constants.COLLECTIONS_PATHS)])
    return {"ANSIBLE_COLLECTIONS_PATH": os.pathsep.join(paths)}


class StudioError(Exception):
    """A problem the user can fix, told in one line; ``code`` is the exit code (2: bad input or configuration)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def check_checkout() -> None:
    """The playbooks are there: the checkout's, linked as the collection, or an installed collection's."""
    if not COLLECTIONS:
        raise StudioError(
            "studio runs the collection hackathon.studio, and ansible finds none: install it with "
            "`ansible-galaxy collection install hackathon.studio`, or run studio from a checkout"
        )
    if not (PLAYBOOKS / "setup.yml").is_file():
        raise StudioError(f"{ROOT} has no playbooks: reinstall the collection hackathon.studio")
    if ANSIBLE_CFG and not (COLLECTIONS / COLLECTION / "playbooks").is_dir():
        raise StudioError(f"the collection is not linked into {COLLECTIONS}: run `make install` in {ROOT}")


def playbook(name: str) -> Path:
    return PLAYBOOKS / name


def collection_module(name: str, what: str):
    """A module of the collection (``plugins.module_utils.roster``), the one the playbooks use."""
    if COLLECTIONS and str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))
    try:
        return importlib.import_module(f"ansible_collections.hackathon.studio.{name}")
    except ImportError as exc:
        fix = f"run `make install` in {ROOT}" if ANSIBLE_CFG else "install the collection hackathon.studio"
        raise StudioError(f"cannot load the collection's {what} ({exc}): {fix}") from None


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
    if not value and not path.exists():
        raise StudioError(
            "give the event's inventory with -i: the emulator's inventory (and `studio rehearse`) "
            "come with a checkout only"
        )
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
    if DEMO_VAULT_PASSWORD.is_file() and path.read_bytes().strip() == DEMO_VAULT_PASSWORD.read_bytes().strip():
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
