#!/usr/bin/env bash
# ansible-test sanity on the collection as it is built (ansible-galaxy collection build: galaxy.yml's
# build_ignore applied), unpacked as ansible-test wants it (ansible_collections/hackathon/studio in a
# temporary directory), with amazon.aws from the venv beside it. Its Ansible content is tested:
# plugins, roles, playbooks, meta and changelogs (src/, the studio command's and the emulator's Python
# that the portal role installs, is linted with ruff).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv="$root/.venv"
# Outside the checkout: inside it, ansible-test would list files with git and skip the ignored copy.
sanity_root="${TMPDIR:-/tmp}/hackathon-studio-sanity"
tree="$sanity_root/ansible_collections"
rm -rf "$sanity_root"
mkdir -p "$tree/hackathon/studio"
"$venv/bin/ansible-galaxy" collection build --output-path "$sanity_root" "$root" >/dev/null
tar -xzf "$sanity_root"/hackathon-studio-*.tar.gz -C "$tree/hackathon/studio"
site=$("$venv/bin/python" -c 'import ansible_collections.amazon.aws as m, os; print(os.path.dirname(os.path.dirname(m.__path__[0])))')
ln -s "$site/amazon" "$tree/amazon"
# ansible-test bootstraps pip in its sanity venvs with a script from a host we cannot reach: use ours.
pip_version=$(grep -oP "pip='\K[0-9.]+" "$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -1)
mkdir -p ~/.ansible/test/cache
cp "$root/tests/sanity/get_pip.py" ~/.ansible/test/cache/get_pip_${pip_version//./_}.py
cd "$tree/hackathon/studio"
"$venv/bin/ansible-test" sanity --python 3.11 --local --color no "$@" plugins/ roles/ playbooks/ meta/ changelogs/
