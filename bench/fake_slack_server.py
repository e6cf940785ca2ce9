"""Serve the fake Slack Web API in its own process for benchmarks (prints its URL, then waits).

python bench/fake_slack_server.py --token xoxb-bench [--post-per-second 100]
"""

from __future__ import annotations

import argparse
import signal
import threading

from tests.fakes import FakeSlack


def main() -> None:
    """Start the fake, optionally with Slack's chat.postMessage limits, until SIGTERM."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--post-per-second", type=int, default=0)
    parser.add_argument("--users", type=int, default=0, help="pre-register U00000… users")
    args = parser.parse_args()
    fake = FakeSlack(bot_token=args.token).start()
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
