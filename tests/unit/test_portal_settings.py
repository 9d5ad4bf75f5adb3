"""The one mapping from an inventory's variables to the portal's settings (filter portal_settings)."""

from __future__ import annotations

import dataclasses

from ansible_collections.hackathon.studio.plugins.filter.portal_settings import portal_settings

from hackathon_studio.portal.config import PortalConfig, check


def test_inventory_variables_become_a_valid_portal_configuration():
    values = {
        "studio_event": "spring",
        "studio_region": "eu-west-1",
        "studio_registry_table": "hackathon-studio-registry",
        "studio_domain_id": "d-abc",
        "studio_endpoint_url": "",  # empty: AWS itself, left out
        "studio_session_duration": "28800",
        "studio_event_name": "Spring Hack",
        "studio_portal_message": "",
        "studio_portal_tls": "false",  # as a survey or -e gives it: a string
        "studio_portal_auth": ["codes", "email"],
        "studio_portal_email_sender": "portal@example.org",
        "studio_portal_url": "https://portal.example.org",
        "studio_portal_presign_rate": "2.5",
        "studio_portal_login_wait": "120",
        "studio_aws_secret_key": "never a setting",
    }
    settings = portal_settings(values)
    assert settings == {
        "event": "spring",
        "region": "eu-west-1",
        "registry_table": "hackathon-studio-registry",
        "domain_id": "d-abc",
        "session_duration": 28800,
        "event_name": "Spring Hack",
        "tls": False,
        "auth": ["codes", "email"],
        "email_sender": "portal@example.org",
        "url": "https://portal.example.org",
        "presign_rate": 2.5,
        "login_wait": 120,
    }
    config = check(PortalConfig(**settings))
    assert config.auth == ("codes", "email") and config.message == ""


def test_every_setting_it_makes_is_one_the_portal_knows():
    from ansible_collections.hackathon.studio.plugins.filter.portal_settings import SETTINGS

    assert set(SETTINGS) <= {field.name for field in dataclasses.fields(PortalConfig)}
