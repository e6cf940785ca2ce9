"""The time study: /rolesplit study start|stop|result, progress, the fit question, the scheduled
DMs, the split plan, and `rolesplit report --study` in the terminal.
"""

from __future__ import annotations

from bot.study.cli import print_study
from bot.study.commands import home_section, register
from bot.study.jobs import end_studies, send_study_dms

__all__ = ["end_studies", "home_section", "print_study", "register", "send_study_dms"]
