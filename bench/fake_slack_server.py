"""Serve the fake Slack Web API in its own process for benchmarks (prints its URL, then waits).

python bench/fake_slack_server.py --token xoxb-bench [--post-per-second 100]

Besides the Web API it answers `GET /_stats` (calls per method) and `GET /_calls/<method>`
(the arguments of that method's last 20 calls), so a bench in another process can read what
the app sent — e.g. the Log hours form it opened — without importing the app's block ids.
"""

from __future__ import annotations

import argparse
import signal
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlparse

from tests.fakes import FakeSlack
from tests.fakes.slack_api import _send


class BenchSlack(FakeSlack):
    """The fake Slack plus a read-only view of recorded calls."""

    def _handle(self, req: BaseHTTPRequestHandler, verb: str) -> None:
        path = urlparse(req.path).path
        if verb == "GET" and path.startswith("/_calls/"):
            method = path[len("/_calls/") :]
            return _send(req, 200, [c.args for c in self.calls(method)][-20:])
        return super()._handle(req, verb)


def main() -> None:
    """Start the fake, optionally with Slack's chat.postMessage limits, until SIGTERM."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--post-per-second", type=int, default=0)
    parser.add_argument("--users", type=int, default=0, help="pre-register U00000… users")
    args = parser.parse_args()
    fake = BenchSlack(bot_token=args.token).start()
    for i in range(args.users):
        fake.add_user(f"U{i:05d}", tz="UTC")
    if args.post_per_second:
        fake.set_rate_limit(
            "chat.postMessage",
            per_channel_per_second=1,
            per_workspace_per_second=args.post_per_second,
        )
    print(fake.url, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    fake.stop()


if __name__ == "__main__":
    main()
