"""``studio-emulator``: serve the local SageMaker Studio endpoint until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .profiles import DEFAULT_PROFILE, PROFILES
from .server import Emulator

DEFAULT_DOMAIN_ID = "d-hackathon0001"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per request would drown the caller's output
        pass


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="studio-emulator",
        description="A local Amazon SageMaker Studio endpoint (with DynamoDB and STS) for rehearsals and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=4577, help="port; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--region", default="us-east-1", help="region in ARNs and URLs (default: %(default)s)")
    parser.add_argument("--account-id", default="123456789012", help="account in ARNs (default: %(default)s)")
    parser.add_argument(
        "--domain-id", default=DEFAULT_DOMAIN_ID, help="id of the pre-created domain (default: %(default)s)"
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="multiplier on AWS-like transition times; 0.01 makes a 150 s app start take 1.5 s (default: %(default)s)",
    )
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        help="aws: throttling, a floor on transition times and a new account's app quotas, as AWS; "
        "lenient: none of those, for tests that need it (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.time_scale < 0:
        parser.error("--time-scale must be >= 0")
    if not (len(args.account_id) == 12 and args.account_id.isdigit()):
        parser.error("--account-id must be 12 digits")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    emulator = Emulator(args.region, args.account_id, args.domain_id, args.time_scale, args.profile)
    try:
        server = make_server(args.host, args.port, emulator, threaded=True, request_handler=_QuietHandler)
    except SystemExit:  # werkzeug has already said why (e.g. the port is in use)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"http://{host}:{server.server_port}", flush=True)
    # Warm moto up after announcing the URL, so the first DynamoDB call does not pay for the import.
    threading.Thread(target=emulator.moto_app, daemon=True).start()

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
