"""The reliability suite: faults, interruptions, hostile input and secrets (docs/RELIABILITY.md).

It drives the real playbooks with ansible-playbook against live emulators, like the playbook suite,
whose fixtures and helpers it shares.
"""

from __future__ import annotations

from tests.cli.conftest import mutating_calls  # noqa: F401 (a helper for the tests)
from tests.integration.playbooks.conftest import inventory, run_playbook, start_playbook  # noqa: F401 (fixtures)
