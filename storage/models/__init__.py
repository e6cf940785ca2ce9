"""SQLAlchemy 2.0 typed models, one module per area: the database is the product's memory and its
schedule. Everything is importable from here (`from storage.models import Member`)."""

from __future__ import annotations

from storage.models.base import HOURS, MONEY, MONEY_LIMIT, NAMING, Base, UTCDateTime, utcnow
from storage.models.handoff import (
    Account,
    ChecklistItem,
    CrmDelivery,
    CrmOwner,
    Handoff,
    HandoffQuestion,
    Nudge,
)
from storage.models.reports import Rollup
from storage.models.slack import OutboxMessage, ProcessedRequest, SendPace
from storage.models.study import FitAnswer, Study, StudyMessage
from storage.models.timelog import ANSWERED, AwayPeriod, DayLog, Prompt, TimeEntry
from storage.models.workspace import REP_ROLES, ROLES, Category, Member, Workspace

__all__ = [
    "ANSWERED",
    "HOURS",
    "MONEY",
    "MONEY_LIMIT",
    "NAMING",
    "REP_ROLES",
    "ROLES",
    "Account",
    "AwayPeriod",
    "Base",
    "Category",
    "ChecklistItem",
    "CrmDelivery",
    "CrmOwner",
    "DayLog",
    "FitAnswer",
    "Handoff",
    "HandoffQuestion",
    "Member",
    "Nudge",
    "OutboxMessage",
    "ProcessedRequest",
    "Prompt",
    "Rollup",
    "SendPace",
    "Study",
    "StudyMessage",
    "TimeEntry",
    "UTCDateTime",
    "Workspace",
    "utcnow",
]
