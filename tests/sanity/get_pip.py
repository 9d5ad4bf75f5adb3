"""Stand-in for the get-pip.py that ansible-test downloads from a host this machine cannot reach.

ansible-test runs it inside each fresh sanity virtual environment with pip's install arguments.
It installs pip from the copy bundled with Python (ensurepip), then runs ``pip install`` with the
same arguments, so the requested pip version and every requirement come from the package registry
as the machine's pip configuration says.
"""

import subprocess
import sys

GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")

# ensurepip runs in its own process: in-process it points PIP_CONFIG_FILE at /dev/null, hiding the pip configuration.
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"], stdout=subprocess.DEVNULL)
arguments = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--upgrade", *arguments]))
