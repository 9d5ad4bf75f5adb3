#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_access_codes
short_description: Give a hackathon's participants access codes for the portal
version_added: 0.1.0
description:
  - Issues a high-entropy access code to every participant of the event's registry who has none,
    stores only its argon2id hash in the registry (one C(code#<email>) item per participant), and
    writes C(email,team,code) for every participant whose code it knows to O(dest), mode 0600.
  - A code is never printed nor returned. A second run issues codes only to new participants, keeps
    in O(dest) the codes there that still match the registry, and deletes the codes of people who are
    no longer participants.
  - O(state=revoked) revokes one participant's code (the portal refuses it), O(state=reissued) gives
    them a new one, O(state=absent) deletes every code of the event, and the portal's rate-limit and
    audit items (what teardown does).
  - With O(cards), the same participants' printable cards go to a self-contained HTML file, mode 0600,
    rewritten whenever O(dest) is (a revoked participant's card goes, a reissued one shows the new code).
requirements:
  - argon2-cffi
  - segno (with O(cards))
options:
  domain_id:
    description: For an event spread over several domains, the domain whose participants this run is about.
    type: str
  state:
    description:
      - V(present) issues codes to the participants without one.
      - V(revoked) revokes the code of O(email); V(reissued) gives O(email) a new code.
      - V(absent) deletes every code of the event.
    type: str
    choices: [present, revoked, reissued, absent]
    default: present
  email:
    description: The participant whose code is revoked or reissued.
    type: str
  dest:
    description:
      - The organizer's file of codes, C(email,team,code), written with mode 0600 and replaced atomically.
      - Required with O(state=present) and O(state=reissued); with O(state=revoked) the revoked code
        is removed from it.
    type: path
  cards:
    description:
      - Printable access cards, one per participant whose code is in O(dest), as print-ready HTML
        (eight cards to an A4 or Letter sheet), written with mode 0600 and replaced atomically.
      - Each card has the participant's name, team, the code and, with O(portal_url), the portal's
        address and a QR code of it that carries the email and code in the URL's fragment.
    type: path
  portal_url:
    description:
      - The portal's address, as participants open it (for example V(https://portal.example.org)).
      - Without it the cards have no address and no QR code, and the module warns.
    type: str
extends_documentation_fragment:
  - hackathon.studio.registry.table
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode.
"""

EXAMPLES = r"""
- name: Give every participant an access code
  hackathon.studio.studio_access_codes:
    table: hackathon-studio-registry
    event: spring-2026
    dest: codes-spring-2026.csv
    cards: cards-spring-2026.html
    portal_url: https://portal.example.org

- name: Give Ada a new code (she lost hers)
  hackathon.studio.studio_access_codes:
    table: hackathon-studio-registry
    event: spring-2026
    state: reissued
    email: ada@example.org
    dest: codes-spring-2026.csv
"""

RETURN = r"""
results:
  description: One entry per participant touched or checked.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The participant's email.
      type: str
    kind:
      description: Always C(access_codes).
      type: str
    action:
      description: C(created), C(updated), C(unchanged) or C(deleted).
      type: str
    msg:
      description: What happened to the participant's code.
      type: str
summary:
  description: How many codes were created, updated, unchanged, deleted and failed.
  returned: always
  type: dict
dest_changed:
  description: Whether O(dest) was written (or would be, in check mode).
  returned: always
  type: bool
cards_changed:
  description: Whether O(cards) was written (or would be, in check mode).
  returned: always
  type: bool
"""

import os

from ansible.module_utils.basic import missing_required_lib
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils import access_codes, cards
from ansible_collections.hackathon.studio.plugins.module_utils.common import (
    access_key_argument_spec,
    aws_errors,
    registry_table_options,
)
from ansible_collections.hackathon.studio.plugins.module_utils.files import (
    check_destination,
    file_format,
    write_private,
)
from ansible_collections.hackathon.studio.plugins.module_utils.registry import Registry, RegistryError, registry_client


def read_text(module, option: str) -> str:
    path = module.params[option]
    if not path or not os.path.exists(path):
        return ""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as e:
        module.fail_json(msg=f"Could not read {option} {path}: {e.strerror or e}")


def check_paths(module) -> None:
    """Fail before any call when dest or cards cannot be written, or cards cannot be made."""
    params = module.params
    problem = params["dest"] and (check_destination(params["dest"]) or file_format(params["dest"]) != "csv")
    if problem:
        module.fail_json(msg=problem if isinstance(problem, str) else f"dest {params['dest']} must end in .csv")
    if not params["cards"]:
        return
    if cards.segno is None:
        module.fail_json(msg=missing_required_lib("segno"))
    if not params["cards"].lower().endswith((".html", ".htm")):
        module.fail_json(msg=f"cards {params['cards']} must end in .html")
    if not params["portal_url"]:
        module.warn("portal_url is not set: the access cards show no portal address and no QR code")


def write_if_changed(module, option: str, text: str, keep_empty: bool) -> bool:
    """Write ``text`` to the option's file (0600) when it differs; an empty run writes no new file."""
    path = module.params[option]
    before = read_text(module, option)
    changed = bool(path) and text != before and (keep_empty or bool(before))
    if changed and not module.check_mode:
        write_private(path, text)
    return changed


def main():
    argument_spec = dict(
        access_key_argument_spec(),
        **registry_table_options(),
        domain_id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "revoked", "reissued", "absent"]),
        email=dict(type="str"),
        dest=dict(type="path"),
        cards=dict(type="path"),
        portal_url=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[
            ("state", "present", ["dest"]),
            ("state", "reissued", ["email", "dest"]),
            ("state", "revoked", ["email"]),
        ],
    )
    if access_codes.PasswordHasher is None:
        module.fail_json(msg=missing_required_lib("argon2-cffi"))
    params = module.params
    check_paths(module)
    registry = Registry(registry_client(module), params["table"], params["event"], params["domain_id"])
    previous = access_codes.parse_codes_file(read_text(module, "dest"))
    try:
        with aws_errors(module, f"update the access codes in the registry table {params['table']}", service="dynamodb"):
            if params["state"] == "absent":
                results = access_codes.remove_codes(registry, module.check_mode)
                module.exit_json(changed=bool(results), results=results, summary=access_codes.summarize(results))
            if params["state"] == "present":
                results, known, participants = access_codes.issue_codes(registry, previous, module.check_mode)
            else:
                results, known, participants = access_codes.change_code(
                    registry, params["email"], params["state"], previous, module.check_mode
                )
    except (access_codes.AccessCodeError, RegistryError) as e:
        module.fail_json(msg=f"Could not update the access codes of event {params['event']}: {e}")
    dest_changed = write_if_changed(module, "dest", access_codes.codes_file_text(participants, known), bool(known))
    page = params["cards"] and cards.cards_html(params["event"], participants, known, params["portal_url"])
    cards_changed = write_if_changed(module, "cards", page or "", bool(known))
    module.exit_json(
        changed=dest_changed or cards_changed or any(r["changed"] for r in results),
        results=results,
        summary=access_codes.summarize(results),
        dest_changed=dest_changed,
        cards_changed=cards_changed,
    )


if __name__ == "__main__":
    main()
