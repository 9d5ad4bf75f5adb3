"""How many requests a second studio-emulator serves at zero latency, and how fast it starts.

Run: `make bench` or `.venv/bin/python benchmarks/emulator_rate.py [--seconds 5] [--threads 1 4 8]`.
Later scale benchmarks need it to serve several hundred requests a second so it is never the bottleneck.
"""

from __future__ import annotations

import argparse
import os
import platform
import threading
import time

import boto3
from botocore.config import Config

from hackathon_studio.emulator.process import EmulatorProcess

DOMAIN_ID = "d-hackathon0001"


def measure(emu: EmulatorProcess, threads: int, seconds: float, call: str) -> float:
    config = Config(retries={"mode": "standard"}, max_pool_connections=threads)
    clients = [boto3.client("sagemaker", config=config, **emu.client_kwargs()) for _ in range(threads)]
    done = [0] * threads
    stop = time.monotonic() + seconds

    def work(index: int) -> None:
        client = clients[index]
        while time.monotonic() < stop:
            if call == "describe":
                client.describe_domain(DomainId=DOMAIN_ID)
            else:
                client.list_user_profiles(DomainIdEquals=DOMAIN_ID, MaxResults=100)
            done[index] += 1

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args()

    started = time.monotonic()
    with EmulatorProcess(time_scale=0, profile="lenient") as emu:  # its raw rate: no throttling
        print(f"startup to first line: {time.monotonic() - started:.2f} s")
        sm = boto3.client("sagemaker", **emu.client_kwargs())
        for i in range(100):  # a page of 100 profiles makes ListUserProfiles a realistic read
            sm.create_user_profile(DomainId=DOMAIN_ID, UserProfileName=f"user-{i}")
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        print("| call | client threads | requests/s |")
        print("|---|---|---|")
        for call in ("describe", "list100"):
            for threads in args.threads:
                rate = measure(emu, threads, args.seconds, call)
                print(f"| {call} | {threads} | {rate:.0f} |")


if __name__ == "__main__":
    main()
