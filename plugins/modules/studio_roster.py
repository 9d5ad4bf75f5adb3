#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: studio_roster
short_description: Read and validate a hackathon roster, and name its Studio resources
version_added: 0.1.0
description:
  - Reads a CSV of participants (email and team per line) and checks all of it before anything is
    changed anywhere. Every problem is reported at once, each with its line number.
  - Accepts a header row (C(email,team) in any case and order, extra columns ignored), V(;) as
    delimiter, UTF-8 with or without BOM, CRLF, blank lines, C(#) comment lines and stray spaces.
  - Derives each participant's user profile name from the email alone (its local part, then a
    hash of the whole email), so distinct emails never share a profile and editing the roster
    never renames anyone; and each team's space name from the team alone (V(7) gives C(team-7)).
  - Team names without ASCII letters and digits are transliterated with the Python library
    C(anyascii) and end with a hash of the team (V(Альфа) gives C(team-alfa-<hash>)), so two teams
    never share a space; two spellings of one team (case, spaces, punctuation, Unicode normal form)
    are one team. Two teams whose names still meet are an error naming both lines.
  - Makes no AWS call.
requirements:
  - anyascii >= 0.3.2, < 0.4 (for team names that are not plain ASCII; space names depend on its minor version)
  - With several domains (O(domains)), places whole teams in domains within each domain's capacity,
    deterministically, and returns the share of O(domain), or every domain's (RV(shares)), so that
    one run serves every host of the play.
options:
  path:
    description: The roster file on the controller (it is read there, whatever the host's connection).
    type: path
    required: true
  domains:
    description:
      - The domains the event is spread over, for example the inventory's hosts. Teams are never split.
      - Each team goes to the domain its name hashes to while that one has room, else to the one
        with the most room, largest teams first.
    type: list
    elements: str
  capacities:
    description: The most participants each of O(domains) takes; no limit for a domain not listed.
    type: dict
    default: {}
  domain:
    description:
      - Return only the participants and teams placed in this one of O(domains).
      - Without it, O(domains) gives every domain's share in RV(shares) instead.
    type: str
  private_spaces_only:
    description:
      - Strict isolation (C(studio_isolation=strict)); each participant works in their own private space,
        which becomes their C(space), and no team space is returned (RV(spaces) is empty). Teams still
        keep to one domain, and each participant's team space name is kept as C(team_space).
    type: bool
    default: false
author:
  - hackathon.studio developers (@hackathon-studio)
notes:
  - Supports check mode; it changes nothing.
  - An action plugin, run in the controller's process; this file holds its documentation.
"""

EXAMPLES = r"""
- name: Validate the roster
  hackathon.studio.studio_roster:
    path: users.csv
  register: roster
"""

RETURN = r"""
shares:
  description:
    - With O(domains) and without O(domain), per domain, what the other return values give for one
      domain (RV(participants), RV(teams), RV(user_profiles), RV(spaces), RV(personal_spaces)); those are
      not returned then.
  returned: with O(domains) and without O(domain)
  type: dict
  sample: {"north": {"participants": [], "teams": [], "user_profiles": [], "spaces": [], "personal_spaces": []}}
total:
  description: How many participants and teams the whole roster has, in all domains.
  returned: success
  type: dict
  sample: {"participants": 1000, "teams": 250}
user_profiles:
  description:
    - The user profiles to create, as the O(hackathon.studio.studio_user_profile#module:profiles) list wants them.
  returned: success, unless RV(shares) is returned instead
  type: list
  elements: dict
  sample: [{"name": "ada-4fz2kq7a"}]
spaces:
  description:
    - The team spaces, as the O(hackathon.studio.studio_space#module:spaces) list wants them.
    - The display name is the team as first written, without Unicode bidirectional controls, cut
      to 64 UTF-16 code units.
  returned: success, unless RV(shares) is returned instead
  type: list
  elements: dict
  sample: [{"name": "team-7", "display_name": "7"}]
personal_spaces:
  description:
    - A private space per participant, as the O(hackathon.studio.studio_space#module:spaces) list wants them.
  returned: success, unless RV(shares) is returned instead
  type: list
  elements: dict
  sample: [{"name": "ada-4fz2kq7a-home", "owner": "ada-4fz2kq7a", "sharing": "private"}]
participants:
  description: The participants in roster order (of O(domain) only, when it is set).
  returned: success, unless RV(shares) is returned instead
  type: list
  elements: dict
  contains:
    email:
      description: The email as written.
      type: str
    team:
      description: The team as written.
      type: str
    user_profile:
      description: The user profile name.
      type: str
      sample: niklas-k2x7qpla
    space:
      description: The space the participant works in, their team's (or with O(private_spaces_only), their own).
      type: str
      sample: team-7
    personal_space:
      description: The name of the participant's private space.
      type: str
    team_space:
      description: With O(private_spaces_only), the name their team's space would have.
      type: str
      returned: with O(private_spaces_only)
    domain:
      description: The domain the participant's team is placed in, when O(domains) is set.
      type: str
teams:
  description: One entry per team (space), in order of first appearance.
  returned: success, unless RV(shares) is returned instead
  type: list
  elements: dict
  contains:
    space:
      description: The space name.
      type: str
    team:
      description: The team as first written.
      type: str
    members:
      description: The members' user profile names.
      type: list
      elements: str
msg:
  description: How many participants and teams the whole roster has, in one line, for display.
  returned: success
  type: str
  sample: 12 participants in 4 teams
problems:
  description: Every problem found, each as C(<path>, line N) and the reason.
  returned: failure
  type: list
  elements: str
"""
