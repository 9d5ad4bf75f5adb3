"""hackathon.studio: what is not an Ansible plugin (the local Studio endpoint and the studio command)."""

__version__ = "0.1.0"
