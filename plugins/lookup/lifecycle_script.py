# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: lifecycle_script
short_description: The event's Studio lifecycle script, the auto-stop and the organizer's script in one
version_added: 0.1.0
description:
  - Builds, on the controller, the one script the event's Studio lifecycle configuration runs when a
    JupyterLab app starts. The collection's kernel-aware auto-stop, started in the background when
    O(auto_stop) is true, then the organizer's script (the file given as term), if any.
  - Returns an empty string when there is nothing to run.
  - Fails, naming the file, when the script file cannot be read, or when the script is over what AWS
    takes (16384 characters once base64-encoded, C(StudioLifecycleConfigContent) in botocore's model).
options:
  _terms:
    description: The organizer's script file (C(studio_lifecycle_script)); an empty string for none.
    required: true
  auto_stop:
    description: Whether to start the auto-stop.
    type: bool
    default: false
  idle_minutes:
    description: The minutes without activity after which the auto-stop stops the app.
    type: int
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
- name: Build the event's lifecycle script
  ansible.builtin.set_fact:
    lifecycle: >-
      {{ lookup('hackathon.studio.lifecycle_script', studio_lifecycle_script, auto_stop=true, idle_minutes=60) }}
"""

RETURN = r"""
_raw:
  description: The script, one string (empty when there is nothing to run).
  type: list
  elements: str
"""

from pathlib import Path

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.hackathon.studio.plugins.module_utils.lifecycle import MaterialError, build_script, encoded

# Shipped in the collection: the script the app runs (roles/profiles/files/auto_stop.py).
AUTO_STOP = Path(__file__).resolve().parents[2] / "roles" / "profiles" / "files" / "auto_stop.py"


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        path = (terms[0] if terms else "") or ""
        organizer = None
        if path:
            try:
                organizer = Path(path).expanduser().read_text()
            except (OSError, UnicodeDecodeError) as exc:
                raise AnsibleLookupError(f"studio_lifecycle_script {path}: cannot be read ({exc})") from None
        auto_stop = AUTO_STOP.read_text() if self.get_option("auto_stop") else None
        try:
            script = build_script(auto_stop, self.get_option("idle_minutes"), organizer, path)
            if script:
                encoded(script)
        except MaterialError as exc:
            raise AnsibleLookupError(f"{exc} ({path})" if path else str(exc)) from None
        return [script]
