# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The roster read and validated in the controller's process (module_utils/roster.py, read_roster).

The roster is a file of the controller (the playbooks pass ``users | realpath``) and its reading makes
no AWS call: a module process for it was a Python start-up (about 0.4 s of a core) and the whole
roster's names passed back as JSON, at the start of every setup.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible_collections.hackathon.studio.plugins.module_utils.roster import RosterRefused, read_roster


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True  # it changes nothing

    ARGUMENTS = {
        "path": {"type": "path", "required": True},
        "domains": {"type": "list", "elements": "str"},
        "capacities": {"type": "dict", "default": {}},
        "domain": {"type": "str"},
        "private_spaces_only": {"type": "bool", "default": False},
    }

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validate_argument_spec(argument_spec=self.ARGUMENTS, required_by={"domain": "domains"})[1]
        try:
            found = read_roster(
                args["path"], args["domains"], args["capacities"], args["domain"], args["private_spaces_only"]
            )
        except RosterRefused as refused:
            result.update(failed=True, msg=refused.msg)
            if refused.problems is not None:
                result["problems"] = refused.problems
            return result
        result.update(changed=False, **found)
        return result
