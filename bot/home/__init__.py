"""The App Home tab: each person's week, and the managers' team and study sections."""

from __future__ import annotations

from bot.home.tab import refresh_after_log, register

__all__ = ["refresh_after_log", "register"]
