"""The portal's opening rush: N participants log in within a minute, against an emulator that throttles
CreatePresignedDomainUrl as the aws profile does.

Sets up the event directly (profiles, team spaces, the registry and every participant's access code,
as setup leaves them), starts the portal as `studio portal` does (`python -m hackathon_studio.portal`,
its own process), then opens N browser-like sessions whose arrivals are spread at random over
``--over`` seconds: each loads the login page (its CSRF token and cookie) and posts email and code.
Reports the latency of the login (the form's post to the 303 into Studio) at p50/p95/p99, the
failures by status, and what the emulator saw of CreatePresignedDomainUrl (calls, throttled).

Run: `.venv/bin/python benchmarks/portal_rush.py` (see --help). It prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import httpx
import yaml

from hackathon_studio.emulator.process import EmulatorProcess
from hackathon_studio.emulator.profiles import AWS_THROTTLE
from hackathon_studio.portal import PortalConfig
from hackathon_studio.portal.store import PortalStore

DOMAIN, REGION, EVENT, TABLE = "d-hackathon0001", "us-east-1", "rush", "hackathon-studio-registry"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]*)"')
PRESIGN = "CreatePresignedDomainUrl"


def presign_rule() -> dict:
    """The aws profile's throttle rule for CreatePresignedDomainUrl (the emulator's own numbers)."""
    return next(dict(rule) for rule in AWS_THROTTLE if rule["actions"] is None or PRESIGN in rule["actions"])


def make_event(emu, participants: int, teams: int) -> dict:
    """Profiles, team spaces, the registry and a code per participant; returns email -> code."""
    session = boto3.session.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGION)
    sagemaker = session.client("sagemaker", endpoint_url=emu.url)
    people = [
        {"email": f"p{i}@example.org", "team": str(i % teams), "user_profile": f"p{i}", "space": f"team-{i % teams}"}
        for i in range(participants)
    ]
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda p: sagemaker.create_user_profile(DomainId=DOMAIN, UserProfileName=p["user_profile"]), people
            )
        )
    while any(p["status"] != "InService" for p in emu.state()["user_profiles"]):
        time.sleep(0.2)
    owners = {p["space"]: p["user_profile"] for p in people}
    with ThreadPoolExecutor(8) as pool:
        list(
            pool.map(
                lambda space: sagemaker.create_space(
                    DomainId=DOMAIN,
                    SpaceName=space,
                    SpaceSettings={"AppType": "JupyterLab"},
                    SpaceSharingSettings={"SharingType": "Shared"},
                    OwnershipSettings={"OwnerUserProfileName": owners[space]},
                ),
                owners,
            )
        )
    config = PortalConfig(event=EVENT, region=REGION, registry_table=TABLE, endpoint_url=emu.url)
    registry = PortalStore(config, session=session).registry
    registry.ensure_table({"hackathon:event": EVENT})
    registry.sync({"region": REGION, "domain_id": DOMAIN, "event": EVENT}, people, prune=False)
    from ansible_collections.hackathon.studio.plugins.module_utils.access_codes import put_code

    with ThreadPoolExecutor(2) as pool:  # argon2 hashing: one per core
        codes = list(pool.map(lambda p: put_code(registry, p), people))
    return {p["email"]: code for p, code in zip(people, codes)}


def start_portal(emu, work: Path, settings: dict):
    config = {"event": EVENT, "region": REGION, "registry_table": TABLE, "endpoint_url": emu.url, **settings}
    path = work / "portal.yml"
    path.write_text(yaml.safe_dump(config))
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    command = [sys.executable, "-m", "hackathon_studio.portal", "--config", str(path), "--port", "0"]
    process = subprocess.Popen(command + ["--log-level", "warning"], env=env, stdout=subprocess.PIPE, text=True)
    return process, process.stdout.readline().strip()


async def one_login(base: str, email: str, code: str, delay: float, results: list) -> None:
    await asyncio.sleep(delay)
    async with httpx.AsyncClient(base_url=base, timeout=300, follow_redirects=False) as client:
        started = time.monotonic()
        try:
            page = await client.get("/")
            token = CSRF.search(page.text).group(1)
            posted = time.monotonic()
            answer = await client.post("/login", data={"email": email, "code": code, "csrf_token": token})
            status = answer.status_code
        except (httpx.HTTPError, AttributeError) as exc:
            status, posted = type(exc).__name__, started
        done = time.monotonic()
        results.append({"status": status, "login": done - posted, "total": done - started})


async def rush(base: str, codes: dict, over: float, seed: int) -> tuple[list, float]:
    rng = random.Random(seed)
    results: list = []
    started = time.monotonic()
    await asyncio.gather(*(one_login(base, e, c, rng.uniform(0, over), results) for e, c in codes.items()))
    return results, time.monotonic() - started


def percentile(values: list, share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share) - 1] if len(values) > 1 else values[0]


def report(args, results: list, wall: float, calls: dict, rule: dict) -> str:
    ok = [r for r in results if r["status"] == 303]
    failed: dict = {}
    for r in results:
        if r["status"] != 303:
            failed[str(r["status"])] = failed.get(str(r["status"]), 0) + 1
    login = [r["login"] for r in ok] or [0.0]
    total = [r["total"] for r in ok] or [0.0]
    rows = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}. Command: `.venv/bin/python benchmarks/portal_rush.py "
        f"--participants {args.participants} --over {args.over} --presign-rps {rule['rps']} "
        f"--presign-burst {rule['burst']}{f' --portal-rate {args.portal_rate}' if args.portal_rate else ''}`",
        "",
        "| logins | over s | wall s | succeeded | failed | login p50 s | p95 s | p99 s | max s "
        "| page + login p95 s | CreatePresignedDomainUrl calls | throttled |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {len(results)} | {args.over} | {wall:.1f} | {len(ok)} | {sum(failed.values())} "
        f"{'(' + ', '.join(f'{k}: {v}' for k, v in sorted(failed.items())) + ')' if failed else ''} "
        f"| {percentile(login, 50):.2f} | {percentile(login, 95):.2f} | {percentile(login, 99):.2f} "
        f"| {max(login):.2f} | {percentile(total, 95):.2f} | {calls.get('calls', 0)} | {calls.get('throttled', 0)} |",
    ]
    return "\n".join(rows)


def presign_calls(emu) -> dict:
    recorded = emu.calls()
    return {
        "calls": recorded.get("received", {}).get(PRESIGN, 0),
        "throttled": recorded.get("throttled", {}).get(PRESIGN, 0),
    }


def main(argv=None) -> int:
    rule = presign_rule()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=250)
    parser.add_argument("--over", type=float, default=60.0, help="seconds the arrivals are spread over")
    parser.add_argument("--presign-rps", type=float, default=rule["rps"], help="the emulator's refill rate")
    parser.add_argument("--presign-burst", type=int, default=rule["burst"])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--portal-rate", type=float, help="the portal's presign_rate (its default when unset)")
    args = parser.parse_args(argv)
    throttle = {"rps": args.presign_rps, "burst": args.presign_burst, "actions": [PRESIGN]}
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(time_scale=0.001, profile="lenient") as emu:
        print(f"setting up {args.participants} participants ...", file=sys.stderr)
        codes = make_event(emu, args.participants, args.teams)
        emu.faults(throttle=throttle)
        before = presign_calls(emu)
        settings = {"presign_rate": args.portal_rate} if args.portal_rate else {}
        portal, base = start_portal(emu, Path(tmp), settings)
        try:
            print(f"{args.participants} logins over {args.over:.0f} s at {base} ...", file=sys.stderr)
            results, wall = asyncio.run(rush(base, codes, args.over, args.seed))
        finally:
            portal.terminate()
            try:
                portal.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print("the portal did not stop within 30 s of SIGTERM", file=sys.stderr)
                portal.kill()
        after = presign_calls(emu)
    seen = {key: after[key] - before[key] for key in after}
    print(report(args, results, wall, seen, {"rps": args.presign_rps, "burst": args.presign_burst}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
