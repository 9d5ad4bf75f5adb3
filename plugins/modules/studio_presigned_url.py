#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_presigned_url
short_description: Write presigned SageMaker Studio URLs for one or many user profiles to a private file
version_added: 0.1.0
description:
  - Creates a presigned URL (C(CreatePresignedDomainUrl)) for one user profile (O(user_profile)) or for
    many (O(user_profiles)) in one task, concurrently, optionally opening a given space.
  - A presigned URL is a bearer credential. The URLs are written to O(dest), a file created with mode
    C(0600) from the start and replaced atomically, as CSV or JSON chosen by its suffix. The module
    returns counts and the path, not the URLs, unless O(return_urls=true).
  - In CSV, a cell that starts with C(=), C(+), C(-), C(@), a tab or a carriage return gets a leading
    single quote, so that no spreadsheet evaluates it as a formula.
  - The module changes nothing in AWS and always reports C(changed=false).
  - When some URLs cannot be created (a profile that does not exist, another user's private space),
    the task fails naming each of them, after writing the URLs that were created.
options:
  domain_id:
    description: The Studio domain, for example C(d-xxxxxxxxxxxx). It must use IAM authentication.
    type: str
    required: true
  user_profile:
    description:
      - The user profile to create a URL for.
      - Exactly one of O(user_profile) and O(user_profiles) is required.
    type: str
    aliases: [user_profile_name]
  space:
    description:
      - The space the URL opens; without it, the URL opens the user's Studio home.
      - With O(user_profiles), the space of every entry that does not set its own.
      - A private space opens only for its owner.
    type: str
  user_profiles:
    description:
      - Several user profiles, one URL each.
      - O(user_profiles[].email) and O(user_profiles[].team) are not sent to AWS; they are written to
        O(dest) beside the URL, to help the organizer hand the URLs out.
    type: list
    elements: dict
    suboptions:
      user_profile:
        description: The user profile.
        type: str
        required: true
      space:
        description: The space the URL opens, overriding the top-level O(space).
        type: str
      email:
        description: The participant's email address, written to O(dest).
        type: str
      team:
        description: The participant's team, written to O(dest).
        type: str
  expires_in:
    description:
      - Seconds within which the URL must be opened, from 5 to 300. Values out of that range are
        refused before any call.
    type: int
    default: 300
  session_duration:
    description:
      - Seconds the Studio session opened by the URL lasts, from 1800 to 43200
        (C(SessionExpirationDurationInSeconds)). Values out of that range are refused before any call.
      - Keep it as long as the event, no longer. AWS's own default, 43200 (12 hours), would make
        one leaked URL, opened within O(expires_in), a 12-hour session.
    type: int
    default: 28800
  landing_uri:
    description:
      - Where Studio opens, for example C(studio::) or C(app:JupyterLab:/lab). AWS's default applies when unset.
    type: str
  dest:
    description:
      - The file the URLs are written to. Its suffix, C(.csv) or C(.json), chooses the format; any
        other suffix is refused. Its directory must exist.
      - The file is replaced as a whole, with mode C(0600), on every run that is not in check mode.
      - Columns (CSV) or keys (JSON) are C(user_profile), C(space), C(email), C(team), C(url) and
        C(expires_at) (UTC; the URL must be opened before then).
    type: path
    required: true
  return_urls:
    description:
      - Also return the URLs (RV(urls)).
      - The task must then set C(no_log=true), so that Ansible censors the result in its output while
        the registered variable keeps the URLs; the module refuses otherwise.
    type: bool
    default: false
  concurrency:
    description: How many URLs are requested at once.
    type: int
    default: 10
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode; in check mode no URL is created and O(dest) is not written.
  - A presigned URL works once. Hand the URLs out within O(expires_in) seconds of the run; create new
    ones for a participant who was too late.
"""

EXAMPLES = r"""
- name: Write the URLs of a whole roster, each opening the participant's own space
  hackathon.studio.studio_presigned_url:
    domain_id: d-xxxxxxxxxxxx
    dest: "{{ playbook_dir }}/urls.csv"
    session_duration: 28800
    user_profiles:
      - user_profile: ada-lovelace-1a2b3c
        space: ada-lovelace-1a2b3c
        email: ada@example.org
        team: engines
      - user_profile: alan-turing-4d5e6f
        space: alan-turing-4d5e6f
        email: alan@example.org
        team: codebreakers
  register: urls

- name: Say how many were written
  ansible.builtin.debug:
    msg: "{{ urls.count }} URLs in {{ urls.dest }}"

- name: One participant's URL into their team's shared space, as JSON
  hackathon.studio.studio_presigned_url:
    domain_id: d-xxxxxxxxxxxx
    user_profile: ada-lovelace-1a2b3c
    space: team-engines
    expires_in: 60
    dest: /tmp/ada.json

- name: Return the URL too, to send it on; no_log keeps it out of every output
  hackathon.studio.studio_presigned_url:
    domain_id: d-xxxxxxxxxxxx
    user_profile: ada-lovelace-1a2b3c
    dest: /tmp/ada.json
    return_urls: true
  register: ada
  no_log: true
"""

RETURN = r"""
dest:
  description: The file the URLs were written to (would be, in check mode).
  returned: always
  type: str
  sample: /home/organizer/urls.csv
count:
  description: How many URLs were written (would be requested, in check mode).
  returned: always
  type: int
  sample: 48
failed_count:
  description: How many URLs could not be created.
  returned: always
  type: int
  sample: 0
failures:
  description: The entries whose URL could not be created, in the order given, each with the AWS error.
  returned: when some failed
  type: list
  elements: dict
  contains:
    user_profile:
      description: The user profile.
      type: str
      sample: ada-lovelace-1a2b3c
    space:
      description: The space asked for, if any.
      type: str
    msg:
      description: Why no URL was created.
      type: str
      sample: "user profile eve: ResourceNotFound: User profile eve does not exist"
results:
  description:
    - One entry per URL written (would be requested, in check mode), in the order given, then one per
      entry whose URL could not be created. Never the URL itself (see RV(urls)).
  returned: unless the file could not be written
  type: list
  elements: dict
  contains:
    name:
      description: The user profile.
      type: str
      sample: ada-lovelace-1a2b3c
    kind:
      description: Always V(urls).
      type: str
      sample: urls
    space:
      description: The space the URL opens, if any.
      type: str
    action:
      description: V(created) for a URL written, V(failed) for one that could not be created.
      type: str
      choices: [created, failed]
    msg:
      description: Why no URL was created.
      type: str
      returned: when action is failed
summary:
  description: How many URLs were created and failed (all five keys, always; the other three are 0).
  returned: unless the file could not be written
  type: dict
  sample: {"created": 48, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
msg:
  description: Where the URLs were written, for display (a failed run says what failed instead).
  returned: unless the file could not be written
  type: str
  sample: written to /home/organizer/urls.csv (mode 0600, the URLs not shown here)
urls:
  description: The URLs written, in the order given, with the entries' other fields. Bearer credentials.
  returned: when O(return_urls=true) and not in check mode
  type: list
  elements: dict
  contains:
    user_profile:
      description: The user profile.
      type: str
    space:
      description: The space the URL opens, if any.
      type: str
    email:
      description: As given in O(user_profiles[].email).
      type: str
    team:
      description: As given in O(user_profiles[].team).
      type: str
    url:
      description: The presigned URL.
      type: str
    expires_at:
      description: When the URL expires if unused (UTC, ISO 8601).
      type: str
      sample: "2026-04-18T09:05:00Z"
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hackathon.studio.plugins.module_utils.common import common_argument_spec, connect
from ansible_collections.hackathon.studio.plugins.module_utils.files import check_destination, render, write_private
from ansible_collections.hackathon.studio.plugins.module_utils.presigned import COLUMNS, presign, range_errors
from ansible_collections.hackathon.studio.plugins.module_utils.results import first_denial, item_result, summarize

KIND = "urls"


def requested_entries(params) -> list:
    if params["user_profiles"] is None:
        return [{"user_profile": params["user_profile"], "space": params["space"], "email": None, "team": None}]
    return [
        {
            "user_profile": entry["user_profile"],
            "space": entry.get("space") or params["space"],
            "email": entry.get("email"),
            "team": entry.get("team"),
        }
        for entry in params["user_profiles"]
    ]


def url_results(module, written, failures) -> dict:
    """``results``, ``summary`` and ``msg``: an entry per URL written (never the URL itself), then per failure."""
    results = [item_result(e["user_profile"], KIND, "created", space=e.get("space")) for e in written]
    results += [item_result(f["user_profile"], KIND, "failed", f["msg"], space=f.get("space")) for f in failures]
    where = f"{'would be written' if module.check_mode else 'written'} to {module.params['dest']}"
    return dict(results=results, summary=summarize(results), msg=f"{where} (mode 0600, the URLs not shown here)")


def check_options(module) -> None:
    """Refuse bad options before any call: no URL is created for a run that cannot succeed."""
    params = module.params
    problems = range_errors(params["expires_in"], params["session_duration"])
    destination_problem = check_destination(params["dest"])
    if destination_problem:
        problems.append(destination_problem)
    if params["return_urls"] and not module.no_log:
        problems.append(
            "return_urls: true returns bearer credentials; set no_log: true on the task so that Ansible does not "
            "print them (the registered variable still holds them)"
        )
    if problems:
        module.fail_json(msg="; ".join(problems))


def main():
    argument_spec = common_argument_spec()
    argument_spec.update(
        user_profile=dict(type="str", aliases=["user_profile_name"]),
        space=dict(type="str"),
        user_profiles=dict(
            type="list",
            elements="dict",
            options=dict(
                user_profile=dict(type="str", required=True),
                space=dict(type="str"),
                email=dict(type="str"),
                team=dict(type="str"),
            ),
        ),
        expires_in=dict(type="int", default=300),
        session_duration=dict(type="int", default=28800),
        landing_uri=dict(type="str"),
        dest=dict(type="path", required=True),
        return_urls=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_one_of=[("user_profile", "user_profiles")],
        mutually_exclusive=[("user_profile", "user_profiles")],
        supports_check_mode=True,
    )
    check_options(module)
    params = module.params
    entries = requested_entries(params)
    domain = connect(module)
    if module.check_mode:
        result = url_results(module, entries, [])
        module.exit_json(changed=False, dest=params["dest"], count=len(entries), failed_count=0, **result)

    rows, failures = presign(
        domain.api,
        params["domain_id"],
        entries,
        params["concurrency"],
        params["expires_in"],
        session_duration=params["session_duration"],
        landing_uri=params["landing_uri"],
    )
    try:
        write_private(params["dest"], render(params["dest"], COLUMNS, rows))
    except OSError as e:
        module.fail_json(msg=f"Could not write {params['dest']}: {e.strerror or e}", failed_count=len(failures))
    result = dict(changed=False, dest=params["dest"], count=len(rows), failed_count=len(failures))
    result.update(url_results(module, rows, failures))
    if params["return_urls"]:
        result["urls"] = rows
    if failures:
        missing, denied = first_denial(failure["msg"] for failure in failures)
        result["msg"] = (
            f"{missing}{len(failures)} of {len(entries)} URLs could not be created "
            f"(the others are in {params['dest']}): " + "; ".join(failure["msg"] for failure in failures)
        )
        module.fail_json(failures=failures, **denied, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
