# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible.module_utils.parsing.convert_bool import boolean

DOCUMENTATION = r"""
name: portal_settings
short_description: The participant portal's settings from an event's inventory variables
version_added: 0.3.0
description:
  - Maps the variables of one host (Studio domain) of the inventory to the settings of the
    participant portal (C(hackathon_studio.portal.PortalConfig)), the one place where an
    inventory variable becomes a portal setting; C(studio portal) and the portal's deployment
    both use it.
  - Credentials are not settings; the portal takes them from AWS's standard chain.
options:
  _input:
    description: The host's variables, for example C(hostvars[inventory_hostname]).
    type: dict
    required: true
author:
  - hackathon.studio developers (@hackathon-studio)
"""

EXAMPLES = r"""
portal_config: "{{ hostvars[inventory_hostname] | hackathon.studio.portal_settings }}"
"""

RETURN = r"""
_value:
  description: The portal's settings, unset ones left out so that the portal's defaults apply.
  type: dict
"""

# portal setting: (inventory variable, conversion)
SETTINGS = {
    "event": ("studio_event", str),
    "region": ("studio_region", str),
    "registry_table": ("studio_registry_table", str),
    "domain_id": ("studio_domain_id", str),
    "endpoint_url": ("studio_endpoint_url", str),
    "session_duration": ("studio_session_duration", int),
    "event_name": ("studio_event_name", str),
    "message": ("studio_portal_message", str),
    "tls": ("studio_portal_tls", boolean),
    "auth": ("studio_portal_auth", lambda ways: [ways] if isinstance(ways, str) else list(ways)),
    "email_sender": ("studio_portal_email_sender", str),
    "url": ("studio_portal_url", str),
    "presign_rate": ("studio_portal_presign_rate", float),
    "login_wait": ("studio_portal_login_wait", int),
}


def portal_settings(values):
    settings = {}
    for setting, (variable, convert) in SETTINGS.items():
        value = values.get(variable)
        if value not in (None, "", []):
            settings[setting] = convert(value)
    return settings


class FilterModule:
    def filters(self):
        return {"portal_settings": portal_settings}
