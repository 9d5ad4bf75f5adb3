"""The ``studio`` command: the collection's playbooks through ansible-runner, for organizers and CI."""

from .main import main

__all__ = ["main"]
