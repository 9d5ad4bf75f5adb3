# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's planning, as pure functions: what to create, what to delete and in which order,
quota needs, who gets which space. Modules and filters call these; YAML only orders the steps."""

from __future__ import annotations

# The app types the collection runs in a space (botocore's AppType enum has more; these are Studio's IDEs).
APP_TYPES = ("JupyterLab", "CodeEditor")

# An app in these statuses runs or is starting: it costs money, counts against its quota and blocks
# the deletion of its space or profile.
LIVE_APP_STATUSES = ("Pending", "InService")
