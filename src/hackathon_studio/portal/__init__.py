"""The participant portal: participants prove who they are and land in their team's space.

``create_app(PortalConfig(...))`` is the Starlette application; ``python -m hackathon_studio.portal``
serves it with uvicorn.
"""

from hackathon_studio.portal.app import create_app
from hackathon_studio.portal.config import PortalConfig, PortalConfigError, load_config

__all__ = ["PortalConfig", "PortalConfigError", "create_app", "load_config"]
