"""Unit tests import the collection's module_utils as Ansible does, from the collections path of ansible.cfg."""

from __future__ import annotations

import sys
from pathlib import Path

COLLECTIONS = str(Path(__file__).resolve().parents[2] / "collections")
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
