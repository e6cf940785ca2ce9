"""The CRM owner map and the CRM deliveries already handled (session first, never commit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import insert_ignore
from storage.models import CrmDelivery, CrmOwner


def owner_key(owner_id: str | None, email: str | None) -> list[str]:
    """The keys a CRM owner may be mapped under: `id:<owner id>`, then `email:<e-mail>`."""
    keys = []
    if owner_id and owner_id.strip():
        keys.append("id:" + owner_id.strip()[:290])
    if email and email.strip():
        keys.append("email:" + email.strip().lower()[:290])
    return keys


def lookup_owner(session: Session, workspace_id: int, crm: str, keys: list[str]) -> str | None:
    """The Slack user mapped to the first of these owner keys, or None."""
    if not keys:
        return None
    found = session.execute(
        select(CrmOwner.owner_key, CrmOwner.slack_user).where(
            CrmOwner.workspace_id == workspace_id,
            CrmOwner.crm == crm,
            CrmOwner.owner_key.in_(keys),
        )
    )
    rows = {str(key): str(user) for key, user in found}
    return next((rows[k] for k in keys if k in rows), None)


def map_owner(
    session: Session,
    workspace_id: int,
    crm: str,
    key: str,
    slack_user: str,
    mapped_by: str | None,
    now: datetime,
) -> str | None:
    """Map an owner key to a Slack user; returns the user it was mapped to before (or None)."""
    row = session.scalar(
        select(CrmOwner)
        .where(
            CrmOwner.workspace_id == workspace_id, CrmOwner.crm == crm, CrmOwner.owner_key == key
        )
        .with_for_update()
    )
    if row is None:
        unique = {"workspace_id": workspace_id, "crm": crm, "owner_key": key}
        values = {**unique, "slack_user": slack_user, "mapped_by": mapped_by, "created_at": now}
        if insert_ignore(session, CrmOwner, values, list(unique)):
            return None
        return map_owner(session, workspace_id, crm, key, slack_user, mapped_by, now)
    before = row.slack_user
    row.slack_user, row.mapped_by, row.created_at = slack_user, mapped_by, now
    return before


def owner_map(session: Session, workspace_id: int) -> list[CrmOwner]:
    """Every mapping of a workspace, by CRM then owner."""
    return list(
        session.scalars(
            select(CrmOwner)
            .where(CrmOwner.workspace_id == workspace_id)
            .order_by(CrmOwner.crm, CrmOwner.owner_key)
        )
    )


def claim_delivery(
    session: Session, workspace_id: int, crm: str, delivery_key: str, now: datetime
) -> bool:
    """Record a CRM delivery key; False when that delivery was already handled."""
    return insert_ignore(
        session,
        CrmDelivery,
        {
            "workspace_id": workspace_id,
            "crm": crm,
            "delivery_key": delivery_key[:200],
            "status": "received",
            "received_at": now,
        },
        ["workspace_id", "crm", "delivery_key"],
    )


def get_delivery(
    session: Session, workspace_id: int, crm: str, delivery_key: str
) -> CrmDelivery | None:
    """A handled delivery, with the outcome it had."""
    return session.scalar(
        select(CrmDelivery).where(
            CrmDelivery.workspace_id == workspace_id,
            CrmDelivery.crm == crm,
            CrmDelivery.delivery_key == delivery_key[:200],
        )
    )
