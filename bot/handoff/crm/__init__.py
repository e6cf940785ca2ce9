"""The CRMs' own deal deliveries (HubSpot, Pipedrive, Salesforce), read into one shape.

Each adapter module (`hubspot`, `pipedrive`, `salesforce`) is pure — no Slack, no SQL, no
network — and offers the same two steps to its route:

1. `authenticate(...)`: the CRM's own authentication, exactly as the vendor documents it.
   Nothing is read, stored or posted before it passes (Salesforce carries its credential,
   `OrganizationId`, inside the body: there the body is parsed safely first, then checked).
2. `parse(body, today=…)`: the body, size- and depth-bounded, read into `CrmDelivery` values,
   or a `CrmPayloadError` naming the bad field (the route answers it with a 4xx and changes
   nothing).

A delivery that is not a win (another stage, a deletion, an edit of a deal already won) is
still returned, with `is_win=False`, so the route can acknowledge it and record its key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ACCOUNT_NAME = "account_name"
OWNER = "owner"


class CrmPayloadError(ValueError):
    """A delivery the CRM sent that cannot be read; `field` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CrmDelivery:
    """One deal event from a CRM, normalised.

    `delivery_key` is the CRM's own idempotency key for this event (at most ~200 characters):
    the same key arriving twice is the same delivery. `missing` lists what a complete win still
    needs (`account_name`, `owner`): such a win opens its hand-off waiting, visibly, rather than
    guessing. People are named by the CRM's own owner id (and e-mail where the CRM sends one);
    the owner map turns them into Slack users.
    """

    crm: str
    delivery_key: str
    deal_id: str
    is_win: bool
    account_name: str | None = None
    owner_id: str | None = None
    owner_email: str | None = None
    value: Decimal | None = None
    won_at: date | None = None
    raw_stage: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def crm_id(self) -> str:
        """The account's CRM id for the hand-off key, e.g. `hubspot:1234567`."""
        return f"{self.crm}:{self.deal_id}"


def missing_for(
    account_name: str | None, owner_id: str | None, owner_email: str | None
) -> tuple[str, ...]:
    """What a win lacks: no account name, no owner (neither id nor e-mail)."""
    missing: list[str] = []
    if not account_name:
        missing.append(ACCOUNT_NAME)
    if not owner_id and not owner_email:
        missing.append(OWNER)
    return tuple(missing)
