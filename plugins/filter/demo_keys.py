# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ansible.errors import AnsibleFilterError

DOCUMENTATION = r"""
name: demo_keys
short_description: Refuse the demo vault's keys for any endpoint but the local emulator
version_added: 0.2.0
description:
  - Returns the access key O(_input) unchanged, unless it is the key of the demo vault
    (C(inventories/emulator), encrypted with a published password) and O(endpoint_url) is not a
    loopback address; then it fails before any call, since a published key must never be sent to AWS
    and real keys must never be kept in a vault anyone can open.
positional: endpoint_url
options:
  _input:
    description: The access key about to be used (empty when the AWS credential chain applies).
    type: str
    required: true
  endpoint_url:
    description: The endpoint the run talks to; empty means AWS.
    type: str
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
access_key: "{{ studio_aws_access_key | hackathon.studio.demo_keys(studio_endpoint_url) }}"
"""

RETURN = r"""
_value:
  description: The access key, unchanged.
  type: str
"""

# The demo vault's access key (inventories/emulator/group_vars/all/vault.yml); a test keeps them equal.
DEMO_ACCESS_KEY = "AKIAEMULATORDEMO0001"


def is_local(endpoint_url) -> bool:
    """Whether the endpoint is on this machine (the emulator listens on loopback only)."""
    host = urlsplit(endpoint_url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_keys(access_key, endpoint_url):
    if access_key == DEMO_ACCESS_KEY and not is_local(endpoint_url):
        raise AnsibleFilterError(
            f"the demo vault's keys are for the local emulator only, and this run's endpoint is "
            f"{endpoint_url or 'AWS'}: give the account's credentials through the AWS chain, studio_aws_profile "
            "or a vault of your own in your inventory (see the README's 'The vault')"
        )
    return access_key


class FilterModule:
    def filters(self):
        return {"demo_keys": demo_keys}
