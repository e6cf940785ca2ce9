"""`rolesplit demo`: build, seed, print the address, serve until Ctrl-C or SIGTERM."""

from __future__ import annotations

import errno
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from bot.config import ConfigError


def serve(db: Path, *, port: int = 3000, fresh: bool = False) -> int:
    """Run the demo in the foreground; 0 after a clean stop."""
    from bot.demo.runner import Demo

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        demo = Demo(db, port=port, fresh=fresh)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} is taken: stop what uses it, or run `rolesplit demo --port 3001`"
            ) from None
        raise
    if demo.fresh:
        print("Setting up Northwind Staffing (four weeks of history)…", file=sys.stderr)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    demo.start()
    print(f"rolesplit demo: open {demo.url}/ (Ctrl-C to stop)", flush=True)
    while not stop.wait(0.5):
        pass
    demo.stop()
    print("rolesplit demo stopped; its data is kept in " + str(db), file=sys.stderr)
    return 0
