# -*- coding: utf-8 -*-
# Copyright: hackathon.studio developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The event's material, as pure logic: the lifecycle script it runs at app start (the project's
auto-stop and the organizer's script, in one Studio lifecycle configuration), its name, and the checks
of the Git repositories' URLs, all before any call.

Limits are botocore's SageMaker model's: ``StudioLifecycleConfigContent`` is 1-16384 characters and
"must be base64 encoded", so the limit counts the base64 text, not the script (stricter than the
developer guide's "Each script has a limit of 16,384 characters", jl-lcc.html); ``CodeRepositories``
holds at most 10 ``RepositoryUrl`` of at most 1024 characters matching ``https://([.\\-_a-zA-Z0-9]+/?){3,1016}``;
``StudioLifecycleConfigName`` is at most 63 characters of ``[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}``.
"""

from __future__ import annotations

import base64
import hashlib
import re

MAX_CONTENT = 16384  # StudioLifecycleConfigContent's max length, of the base64 text
MAX_NAME = 63  # StudioLifecycleConfigName's max length
MAX_REPOSITORIES = 10  # CodeRepositories' max length (SpaceJupyterLabAppSettings)
MAX_URL = 1024  # RepositoryUrl's max length
# The model's pattern, https://([.\-_a-zA-Z0-9]+/?){3,1016}, backtracks without end on a long bad URL;
# this one says the same without ambiguity (runs of those characters, one "/" between, at least three).
URL_PATH = re.compile(r"[.\-_a-zA-Z0-9]+(/[.\-_a-zA-Z0-9]+)*/?")
# Where the pieces go in the app: /var/tmp is the app's own disk, gone with the app (not the space's EBS
# volume under /home/sagemaker-user, which outlives it), as AWS's auto-stop-idle sample keeps its state.
WORK_DIR = "/var/tmp/hackathon-studio"
AUTO_STOP_END = "HACKATHON_STUDIO_AUTO_STOP"
SCRIPT_END = "HACKATHON_STUDIO_ORGANIZER_SCRIPT"


class MaterialError(ValueError):
    """Input the event's material cannot be made of; the message names what and where."""


def config_prefix(event: str) -> str:
    """``hackathon-<event>``: every lifecycle configuration of the event starts with it (a name proves
    nothing: its tag does)."""
    return f"hackathon-{event}"


def config_name(event: str, script: str) -> str:
    """``hackathon-<event>-<hash>``: a configuration cannot be updated (the model has no Update call),
    so a changed script is a new configuration, named by its content's hash."""
    digest = hashlib.sha256(script.encode()).hexdigest()[:10]
    return f"{config_prefix(event)[: MAX_NAME - len(digest) - 1].rstrip('-')}-{digest}"


def encoded(script: str) -> str:
    """The script as CreateStudioLifecycleConfig takes it: base64; refused over the model's limit."""
    content = base64.b64encode(script.encode()).decode()
    if len(content) > MAX_CONTENT:
        raise MaterialError(
            f"the event's lifecycle script is {len(content)} characters base64-encoded; AWS takes at most "
            f"{MAX_CONTENT} (StudioLifecycleConfigContent, botocore's model), about {MAX_CONTENT * 3 // 4} bytes "
            "of script with the auto-stop's part: shorten studio_lifecycle_script"
        )
    return content


def build_script(auto_stop: str | None, idle_minutes: int | None, organizer: str | None, where: str = "") -> str:
    """The one lifecycle script of the event, or "" when it runs none: the auto-stop started in the
    background (``auto_stop``, the source of auto_stop.py, with ``idle_minutes``), then the organizer's
    script (read from ``where``), in a file of its own so that its ``exit`` ends only itself.

    One configuration, not two: an app runs one at start (``ResourceSpec.LifecycleConfigArn`` names one).
    """
    parts = []
    if auto_stop:
        if not idle_minutes or idle_minutes < 1:
            raise MaterialError("studio_auto_stop needs studio_idle_timeout, the minutes after which an idle app stops")
        parts.append(_heredoc(f"{WORK_DIR}/auto_stop.py", auto_stop, AUTO_STOP_END, "the auto-stop"))
        parts.append(
            # In the background, detached from this script, so that it outlives it; its output goes to the
            # app's log, which Studio delivers to CloudWatch (AWS's sample logs there too), else beside it.
            f'log=/var/log/apps/app_container.log; [ -w "$log" ] || log={WORK_DIR}/auto-stop.log\n'
            f"python=$(command -v python3 || echo /opt/conda/bin/python3)\n"
            f'nohup "$python" {WORK_DIR}/auto_stop.py --idle-minutes {int(idle_minutes)} '
            '>>"$log" 2>&1 < /dev/null &\n'
        )
    if organizer:
        parts.append(_heredoc(f"{WORK_DIR}/organizer.sh", organizer, SCRIPT_END, f"studio_lifecycle_script {where}"))
        parts.append(f"bash {WORK_DIR}/organizer.sh\n")
    if not parts:
        return ""
    header = (
        "#!/bin/bash\n# hackathon.studio: the event's lifecycle configuration, run when a JupyterLab app starts.\n"
        f"set -eu\nmkdir -p {WORK_DIR}\n"
    )
    return header + "".join(parts)


def _heredoc(path: str, text: str, end: str, what: str) -> str:
    if any(line.strip() == end for line in text.splitlines()):
        raise MaterialError(f"{what} has a line {end}, which ends the part that writes it: rename it")
    return f"cat > {path} <<'{end}'\n{text.rstrip(chr(10))}\n{end}\n"


def check_repository_urls(urls) -> list:
    """The problems of ``studio_git_repositories`` as the model checks each (an empty list: none)."""
    if not isinstance(urls, list):
        return [f"studio_git_repositories must be a list of URLs, not {type(urls).__name__}"]
    problems = []
    if len(urls) > MAX_REPOSITORIES:
        problems.append(f"studio_git_repositories has {len(urls)} URLs; a space takes at most {MAX_REPOSITORIES}")
    for url in urls:
        if not _repository_url(url):
            problems.append(
                f"studio_git_repositories: {_shown(url)} is not a URL Studio clones (https://, host and path "
                f"of letters, digits, '.', '-', '_', at most {MAX_URL} characters; RepositoryUrl in botocore's model)"
            )
    return problems


def _repository_url(url) -> bool:
    if not isinstance(url, str) or len(url) > MAX_URL or not url.startswith("https://"):
        return False
    path = url[len("https://") :]
    return bool(URL_PATH.fullmatch(path)) and len(path.replace("/", "")) >= 3


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def material_problems(app_type: str, repositories, script: str, auto_stop: bool, image) -> list:
    """What keeps the event's material from its spaces, one line each ([] when nothing), for preflight."""
    problems = check_repository_urls(repositories)
    used = [
        name
        for name, value in (
            ("studio_git_repositories", repositories),
            ("studio_lifecycle_script", script),
            ("studio_auto_stop", auto_stop),
            ("studio_image", image),
        )
        if value
    ]
    if app_type != "JupyterLab" and used:
        problems.append(
            f"{', '.join(used)}: for JupyterLab spaces only, and studio_app_type is {app_type} (a Code Editor space "
            "has no CodeRepositories, SpaceCodeEditorAppSettings in botocore's model; the auto-stop asks "
            "JupyterLab's server)"
        )
    if isinstance(image, dict) and not image.get("name"):
        problems.append("studio_image: a dict needs name (and may set version and app_image_config)")
    return problems
