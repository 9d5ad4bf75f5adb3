"""``python -m hackathon_studio.portal --config FILE [--host H] [--port N]``: serve the portal.

The first line on stdout is the base URL (``--port 0`` picks a free port), as the emulator does.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys

import uvicorn

from hackathon_studio.portal import PortalConfigError, create_app, load_config
from hackathon_studio.portal.app import LOG


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m hackathon_studio.portal", description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="the portal's settings (YAML)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    # Not uvicorn's "trace": it logs every ASGI message, response headers (the URL's Location) included.
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        config = load_config(args.config)
    except PortalConfigError as exc:
        print(f"studio portal: {exc}", file=sys.stderr)
        return 2
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"studio portal: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    handler = logging.StreamHandler()  # the portal's own lines, beside uvicorn's (root stays untouched)
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    LOG.addHandler(handler)
    LOG.setLevel(args.log_level.upper())
    sock.listen(2048)  # before the address is printed: a client that connects at once waits, not refused
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    print(f"http://{host}:{port}", flush=True)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            log_level=args.log_level,
            proxy_headers=bool(config.forwarded_allow_ips),
            forwarded_allow_ips=config.forwarded_allow_ips,
            server_header=False,
            # A stop (systemd's, Ctrl-C) waits this long for logins in flight, then ends them: never for
            # ever on a connection a client left open.
            timeout_graceful_shutdown=10,
        )
    )
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
