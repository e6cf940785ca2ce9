"""Salesforce Outbound Messages on Opportunity: SOAP `notifications`, answered with an `Ack`.

An outbound message can carry no headers, so its credential is in the body: `OrganizationId`
must be the configured org (`ROLESPLIT_SALESFORCE_ORG_ID`, 15 or 18 characters), plus — when
`ROLESPLIT_WEBHOOK_SECRET` is set — the endpoint URL's `token` query parameter. The route checks
the token first, then parses (safely: `defusedxml`, no DTD, no entities, depth ≤ 32, ≤ 1 MiB),
then checks the org id, and only then acts. It answers `ack_response()` (200, `text/xml`) once
every notification is recorded; anything else makes Salesforce resend the whole message for up
to 24 hours, so errors go back as `soap_fault(…)` with a 4xx naming the field.
https://developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html

One message holds up to 100 notifications. Each `Notification/Id` is the delivery key
(Salesforce may deliver a notification more than once). A win is `StageName` equal to
`Closed Won` or `IsWon` true. The account's name is the optional formula field
`Account_Name__c` (= `Account.Name`) when sent, else the opportunity's `Name`; the owner is
`OwnerId` (and `Owner_Email__c`, = `Owner.Email`, when sent). A notification whose record was
deleted before sending carries no fields and reads as nothing.
"""

from __future__ import annotations

import hmac
import io
import re
from dataclasses import dataclass
from datetime import date
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from bot.handoff.crm import CrmDelivery, CrmPayloadError, values

CRM = "salesforce"
MAX_BODY = 1024 * 1024
MAX_DEPTH = 32
MAX_NOTIFICATIONS = 100
WON_STAGE = "Closed Won"
CONTENT_TYPE = "text/xml; charset=utf-8"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
OUTBOUND = "http://soap.sforce.com/2005/09/outbound"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_ORG_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")

ACK = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
    b' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    b" <soapenv:Body>\n"
    b'  <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">\n'
    b"   <Ack>true</Ack>\n"
    b"  </notificationsResponse>\n"
    b" </soapenv:Body>\n"
    b"</soapenv:Envelope>\n"
)


@dataclass(frozen=True)
class OutboundMessage:
    """A parsed outbound message: the org that sent it and its deliveries."""

    organization_id: str
    deliveries: tuple[CrmDelivery, ...]


def token_ok(token: str | None, secret: str | None) -> bool:
    """True when no secret is set, or the `token` query parameter equals it."""
    if not secret:
        return True
    return token is not None and hmac.compare_digest(token.encode(), secret.encode())


def authenticate(
    organization_id: str, token: str | None, *, org_id: str, secret: str | None
) -> bool:
    """The message's org is the configured one (15- or 18-character form) and the token holds."""
    if not _ORG_ID.fullmatch(org_id or "") or not _ORG_ID.fullmatch(organization_id):
        return False
    # the 18-character id is the case-sensitive 15-character one plus a checksum
    same_org = hmac.compare_digest(organization_id[:15].encode(), org_id[:15].encode())
    return same_org & token_ok(token, secret)


def ack_response() -> bytes:
    """The SOAP `notificationsResponse` with `<Ack>true</Ack>`, as Salesforce's WSDL defines it."""
    return ACK


def soap_fault(message: str, *, client: bool = True) -> bytes:
    """A SOAP 1.1 fault: `soapenv:Client` for a bad message, `soapenv:Server` for ours."""
    code = "soapenv:Client" if client else "soapenv:Server"
    text = escape(values.clean_text(message, "message", limit=1000) or "error")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP}">\n'
        " <soapenv:Body>\n"
        "  <soapenv:Fault>\n"
        f"   <faultcode>{code}</faultcode>\n"
        f"   <faultstring>{text}</faultstring>\n"
        "  </soapenv:Fault>\n"
        " </soapenv:Body>\n"
        "</soapenv:Envelope>\n"
    ).encode()


def parse(body: bytes, *, today: date) -> list[CrmDelivery]:
    """The message's Opportunity notifications, normalised."""
    return list(parse_message(body, today=today).deliveries)


def parse_message(body: bytes, *, today: date) -> OutboundMessage:
    """The org id and the notifications of one outbound message."""
    root = _load(body)
    if root.tag != f"{{{SOAP}}}Envelope":
        raise CrmPayloadError("Envelope", "is required: the body must be a SOAP 1.1 envelope")
    notifications = root.find(f"{{{SOAP}}}Body/{{{OUTBOUND}}}notifications")
    if notifications is None:
        raise CrmPayloadError("notifications", "is required: this is not an outbound message")
    org = _child_text(notifications, "OrganizationId")
    if org is None or not _ORG_ID.fullmatch(org):
        raise CrmPayloadError("OrganizationId", "must be a 15- or 18-character org id")
    items = notifications.findall(f"{{{OUTBOUND}}}Notification")
    if len(items) > MAX_NOTIFICATIONS:
        raise CrmPayloadError("Notification", f"has {len(items)}; at most {MAX_NOTIFICATIONS}")
    deliveries = []
    for i, item in enumerate(items):
        delivery = _notification(item, f"Notification[{i}]", org, today)
        if delivery is not None:
            deliveries.append(delivery)
    return OutboundMessage(org, tuple(deliveries))


def _load(body: bytes) -> Element:
    """Parse without DTDs or entities (refused), at most 1 MiB and 32 levels deep."""
    if len(body) > MAX_BODY:
        raise CrmPayloadError("body", f"is {len(body)} bytes; the limit is {MAX_BODY}")
    root: Element | None = None
    depth = 0
    try:
        for event, element in iterparse(io.BytesIO(body), events=("start", "end"), forbid_dtd=True):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            if depth > MAX_DEPTH:
                raise CrmPayloadError("body", f"nests deeper than {MAX_DEPTH} levels")
            if root is None:
                root = element
    except CrmPayloadError:
        raise
    except DefusedXmlException:
        raise CrmPayloadError("body", "declares a DTD or entities, which are refused") from None
    except (ParseError, ValueError, UnicodeError):
        raise CrmPayloadError("body", "is not well-formed XML") from None
    if root is None:
        raise CrmPayloadError("body", "is empty")
    return root


def _child_text(parent: Element, name: str) -> str | None:
    child = parent.find(f"{{{OUTBOUND}}}{name}")
    return None if child is None else (child.text or "").strip() or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _notification(item: Element, at: str, org: str, today: date) -> CrmDelivery | None:
    notification_id = values.clean_id(_child_text(item, "Id"), f"{at}.Id", required=True)
    record = item.find(f"{{{OUTBOUND}}}sObject")
    if record is None or len(record) == 0:
        return None  # the record was deleted before Salesforce sent it: nothing to read
    kind = record.get(f"{{{XSI}}}type", "").rpartition(":")[2]
    if kind != "Opportunity":
        raise CrmPayloadError(
            f"{at}.sObject", f"is {kind or 'untyped'}: point the outbound message at Opportunity"
        )
    fields: dict[str, str | None] = {}
    for child in record:
        tag = _local(child.tag)
        if tag not in fields:
            nil = child.get(f"{{{XSI}}}nil") == "true"
            fields[tag] = None if nil else (child.text or "")
    deal_id = values.clean_id(fields.get("Id"), f"{at}.Id", required=True)
    assert deal_id is not None
    stage = values.clean_text(fields.get("StageName"), f"{at}.StageName")
    is_won = _boolean(fields.get("IsWon"), f"{at}.IsWon")
    key = f"{org[:15]}:{notification_id}"
    if stage != WON_STAGE and is_won is not True:
        return CrmDelivery(CRM, key, deal_id, is_win=False, raw_stage=stage)
    name = values.clean_text(
        fields.get("Account_Name__c"), f"{at}.Account_Name__c"
    ) or values.clean_text(fields.get("Name"), f"{at}.Name")
    return values.win_delivery(
        CRM,
        key,
        deal_id,
        name=name,
        owner_id=values.clean_id(fields.get("OwnerId"), f"{at}.OwnerId"),
        owner_email=values.clean_email(fields.get("Owner_Email__c"), f"{at}.Owner_Email__c"),
        value=values.parse_value(fields.get("Amount"), f"{at}.Amount"),
        won_at=values.won_date(fields.get("CloseDate"), f"{at}.CloseDate", today),
        raw_stage=stage,
    )


def _boolean(raw: str | None, field: str) -> bool | None:
    text = (raw or "").strip().lower()
    if not text:
        return None
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise CrmPayloadError(field, "must be true or false")
