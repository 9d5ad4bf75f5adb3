"""hackathon.studio's kernel-aware auto-stop, started in the background of a Studio JupyterLab app by
the event's lifecycle configuration (module_utils/lifecycle.py).

Studio's own idle shutdown does not stop an app while a kernel or terminal is open. This one asks the
app's Jupyter server every minute (its REST API: /api/kernels, /api/terminals, their execution_state
and last_activity) and, once no kernel has been busy and nothing was active for --idle-minutes, deletes
its own app with the SageMaker API (DeleteApp, as the space's execution role, as AWS's
auto-stop-idle sample does), naming it from Studio's metadata file. Standard library only, plus boto3
or the AWS CLI, whichever the image has.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import datetime

SERVER = "http://127.0.0.1:8888/jupyterlab/default"  # where Studio's JupyterLab serves, in the app
METADATA = "/opt/ml/metadata/resource-metadata.json"  # Studio's description of the app: domain, space, name
BUSY = ("busy", "starting")  # a kernel in these states is working, whatever its last_activity


def seconds(timestamp: str) -> float:
    """A Jupyter timestamp (ISO 8601, "Z" or an offset) as epoch seconds."""
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def read(server: str, path: str) -> list:
    with urllib.request.urlopen(f"{server}/api/{path}", timeout=10) as response:
        return json.load(response)


def decide(kernels: list, terminals: list, last_seen: float, now: float, idle_seconds: float) -> tuple:
    """(idle, last activity, why): idle when no kernel is busy and neither a kernel, a terminal nor
    anything seen before (``last_seen``: the app's start, or the last activity of what has closed
    since) was active in the last ``idle_seconds``."""
    busy = [k.get("id", "?") for k in kernels if k.get("execution_state") in BUSY]
    last = max([last_seen] + [seconds(x["last_activity"]) for x in kernels + terminals if x.get("last_activity")])
    if busy:
        return False, now, f"kernels {', '.join(busy)} are busy"
    quiet = now - last
    if quiet < idle_seconds:
        return False, last, f"last activity {int(quiet)} s ago"
    return True, last, f"no activity for {int(quiet)} s (limit {int(idle_seconds)} s)"


def stop_app(metadata_path: str = METADATA) -> None:
    """Delete this app (the space's app, named by Studio's metadata), with boto3 or else the AWS CLI."""
    with open(metadata_path) as handle:
        meta = json.load(handle)
    region = meta["ResourceArn"].split(":")[3]
    app = {"DomainId": meta["DomainId"], "SpaceName": meta["SpaceName"], "AppType": meta["AppType"]}
    app["AppName"] = meta["ResourceName"]
    try:
        import boto3
    except ImportError:
        options = ["--domain-id", app["DomainId"], "--space-name", app["SpaceName"]]
        options += ["--app-type", app["AppType"], "--app-name", app["AppName"]]
        subprocess.run(
            [shutil.which("aws") or "aws", "sagemaker", "delete-app", "--region", region, *options], check=True
        )
        return
    boto3.client("sagemaker", region_name=region).delete_app(**app)


def watch(server: str, idle_seconds: float, interval: float, stop=stop_app, clock=time.time, once=False) -> bool:
    """Check every ``interval`` seconds; stop the app once idle. Returns whether it stopped it."""
    last_seen = clock()
    while True:
        try:
            idle, last_seen, why = decide(
                read(server, "kernels"), read(server, "terminals"), last_seen, clock(), idle_seconds
            )
        except (OSError, ValueError, KeyError) as exc:  # the server starting or restarting: not activity, not idle
            idle, why = False, f"Jupyter server not answering ({exc})"
        print(f"{datetime.now().isoformat(timespec='seconds')} [hackathon-studio auto-stop] {why}", flush=True)
        if idle:
            try:
                stop()
                return True
            except Exception as exc:  # denied or unreachable: say so in the app's log and try again later
                print(f"[hackathon-studio auto-stop] could not stop the app: {exc}", flush=True)
        if once:
            return False
        time.sleep(interval)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-minutes", type=float, required=True)
    parser.add_argument("--interval", type=float, default=60)
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args(argv)
    watch(args.server.rstrip("/"), args.idle_minutes * 60, args.interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
