"""The App Home tab: each person's week, and the managers' team and study sections.

The public surface — what the app and other features may use — is what this module names in
`__all__`; the modules inside are the feature's own.
"""

from __future__ import annotations

from bot.home.tab import refresh_after_log, register

__all__ = ["refresh_after_log", "register"]
