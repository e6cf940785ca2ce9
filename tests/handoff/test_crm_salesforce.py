"""Salesforce: org id and token, Outbound Message parsing, the Ack, XML attacks refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

import defusedxml.ElementTree as safe_xml
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.handoff.crm import CrmDelivery, CrmPayloadError
from bot.handoff.crm import salesforce as sf

from .crm_support import TODAY, sample

SOBJECT = "urn:sobject.enterprise.soap.sforce.com"
ORG_18 = "00D7F00000107XsUAI"
ORG_15 = "00D7F00000107Xs"
WON = sample("salesforce_opportunity_won.xml")
TEMPLATE = WON.decode()


def message(*notifications: str, org: str = ORG_18) -> bytes:
    """An outbound message around the given `<Notification>` elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
        '<notifications xmlns="http://soap.sforce.com/2005/09/outbound">'
        f"<OrganizationId>{org}</OrganizationId><ActionId>04k7F0000008V3hQAE</ActionId>"
        '<SessionId xsi:nil="true"/>'
        + "".join(notifications)
        + "</notifications></soapenv:Body></soapenv:Envelope>"
    ).encode()


def notification(
    fields: dict[str, str], *, kind: str = "Opportunity", nid: str = "04l7F000008aeAyQAI"
) -> str:
    body = "".join(f"<sf:{k}>{escape(v)}</sf:{k}>" for k, v in fields.items())
    return (
        f"<Notification><Id>{nid}</Id>"
        f'<sObject xsi:type="sf:{kind}" xmlns:sf="{SOBJECT}">{body}</sObject>'
        "</Notification>"
    )


OPPORTUNITY = {"Id": "0067F000003pmdWQAQ", "Name": "Acme renewal", "StageName": "Closed Won"}


# --- authentication ---------------------------------------------------------------------------


def test_org_id_in_either_form_authenticates() -> None:
    for configured in (ORG_18, ORG_15):
        assert sf.authenticate(ORG_18, None, org_id=configured, secret=None)
        assert sf.authenticate(ORG_15, None, org_id=configured, secret=None)


@pytest.mark.parametrize(
    "configured", ["00D7F00000107XT", "00d7f00000107xs", "", "00D7F0000010", "00D7F00000107Xs!!!"]
)
def test_another_or_malformed_org_id_fails(configured: str) -> None:
    assert not sf.authenticate(ORG_18, None, org_id=configured, secret=None)


def test_token_is_required_when_a_secret_is_set() -> None:
    assert sf.authenticate(ORG_18, "tok-123", org_id=ORG_18, secret="tok-123")
    assert not sf.authenticate(ORG_18, None, org_id=ORG_18, secret="tok-123")
    assert not sf.authenticate(ORG_18, "tok-12", org_id=ORG_18, secret="tok-123")
    assert not sf.authenticate(ORG_15[:-1] + "T", "tok-123", org_id=ORG_18, secret="tok-123")
    assert sf.token_ok("anything", None) and sf.token_ok(None, "")
    assert not sf.token_ok("é", "e")


# --- deliveries -------------------------------------------------------------------------------


def test_documented_message_reads_one_win_and_one_other_stage() -> None:
    parsed = sf.parse_message(WON, today=TODAY)
    assert parsed.organization_id == ORG_18
    won, other = parsed.deliveries
    assert won == CrmDelivery(
        crm="salesforce",
        delivery_key="00D7F00000107Xs:04l7F000008aeAyQAI",
        deal_id="0067F000003pmdWQAQ",
        is_win=True,
        account_name="Express Logistics SLA",
        owner_id="0057F000001aBcDQAU",
        value=Decimal("120000.00"),
        won_at=date(2026, 3, 9),
        raw_stage="Closed Won",
        missing=(),
    )
    assert (other.is_win, other.raw_stage, other.delivery_key) == (
        False,
        "Perception Analysis",
        "00D7F00000107Xs:04l7F000008aeAzQAI",
    )
    assert sf.parse(WON, today=TODAY) == list(parsed.deliveries)


def test_account_name_and_owner_email_formula_fields_and_is_won() -> None:
    (win,) = sf.parse(sample("salesforce_opportunity_account_name.xml"), today=TODAY)
    assert (win.is_win, win.raw_stage) == (True, "Won - Signed")  # IsWon true under a custom stage
    assert (win.account_name, win.owner_email, win.value) == (
        "Edge Communications",
        "dana@example.com",
        None,
    )
    assert win.won_at == date(2026, 3, 6)


def test_is_won_false_with_another_stage_is_not_a_win() -> None:
    fields = {**OPPORTUNITY, "StageName": "Closed Lost", "IsWon": "false"}
    assert [d.is_win for d in sf.parse(message(notification(fields)), today=TODAY)] == [False]


def test_win_without_name_or_owner_waits_visibly() -> None:
    (win,) = sf.parse(
        message(notification({"Id": "0067F000003pmdWQAQ", "IsWon": "true"})), today=TODAY
    )
    assert win.is_win and win.missing == ("account_name", "owner")


def test_deleted_record_reads_as_nothing() -> None:
    nid = "<Id>04l7F000008aeAyQAI</Id>"
    empty = f'<Notification>{nid}<sObject xsi:type="sf:Opportunity"/></Notification>'
    bare = "<Notification><Id>04l7F000008aeAyQAI</Id></Notification>"
    assert sf.parse(message(empty, bare), today=TODAY) == []


def test_a_hundred_notifications_is_the_most() -> None:
    items = [notification(OPPORTUNITY, nid=f"04l7F{i:010d}QAI") for i in range(100)]
    assert len(sf.parse(message(*items), today=TODAY)) == 100
    with pytest.raises(CrmPayloadError) as err:
        sf.parse(message(*items, items[0]), today=TODAY)
    assert err.value.field == "Notification"


# --- answers ----------------------------------------------------------------------------------


def test_ack_is_the_documented_notifications_response() -> None:
    root = safe_xml.fromstring(sf.ack_response(), forbid_dtd=True)
    assert root.tag == "{http://schemas.xmlsoap.org/soap/envelope/}Envelope"
    response = root.find(
        "{http://schemas.xmlsoap.org/soap/envelope/}Body/{http://soap.sforce.com/2005/09/outbound}notificationsResponse"
    )
    assert response is not None
    (ack,) = list(response)
    assert (ack.tag, ack.text) == ("{http://soap.sforce.com/2005/09/outbound}Ack", "true")
    assert sf.CONTENT_TYPE == "text/xml; charset=utf-8"


def test_fault_is_soap_1_1_and_escapes_the_message() -> None:
    raw = sf.soap_fault("Notification[0].Amount: <bad> & \x00worse")
    root = safe_xml.fromstring(raw, forbid_dtd=True)
    fault = root.find(
        "{http://schemas.xmlsoap.org/soap/envelope/}Body/{http://schemas.xmlsoap.org/soap/envelope/}Fault"
    )
    assert fault is not None
    assert fault.findtext("faultcode") == "soapenv:Client"
    assert fault.findtext("faultstring") == "Notification[0].Amount: <bad> & worse"
    server = safe_xml.fromstring(sf.soap_fault("database down", client=False), forbid_dtd=True)
    assert server.findtext(".//faultcode") == "soapenv:Server"


# --- refusals ---------------------------------------------------------------------------------


def field_of(body: bytes) -> str:
    with pytest.raises(CrmPayloadError) as err:
        sf.parse(body, today=TODAY)
    return err.value.field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"", "body"),
        (b"not xml", "body"),
        (b"<a><b></a>", "body"),
        (b"<notifications/>", "Envelope"),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>',
            "notifications",
        ),
        (message(org="00D-bad"), "OrganizationId"),
        (message(org=""), "OrganizationId"),
        (message("<Notification><sObject/></Notification>"), "Notification[0].Id"),
        (message(notification(OPPORTUNITY, kind="Account")), "Notification[0].sObject"),
        (message(notification({"Name": "x", "StageName": "Closed Won"})), "Notification[0].Id"),
        (message(notification({**OPPORTUNITY, "Amount": "lots"})), "Notification[0].Amount"),
        (
            message(notification({**OPPORTUNITY, "Amount": "1000000000000.0"})),
            "Notification[0].Amount",
        ),
        (
            message(notification({**OPPORTUNITY, "CloseDate": "2026-03-11"})),
            "Notification[0].CloseDate",
        ),
        (
            message(notification({**OPPORTUNITY, "CloseDate": "2025-03-09"})),
            "Notification[0].CloseDate",
        ),
        (message(notification({**OPPORTUNITY, "IsWon": "maybe"})), "Notification[0].IsWon"),
        (message(notification({**OPPORTUNITY, "OwnerId": "005 bad"})), "Notification[0].OwnerId"),
        (
            message(notification({**OPPORTUNITY, "Owner_Email__c": "dana"})),
            "Notification[0].Owner_Email__c",
        ),
    ],
)
def test_malformed_messages_name_the_field(body: bytes, field: str) -> None:
    assert field_of(body) == field


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol4;</soapenv:Body></soapenv:Envelope>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&xxe;</soapenv:Body></soapenv:Envelope>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<foo/>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE foo SYSTEM "http://127.0.0.1:9/evil.dtd">
<foo/>"""


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, EXTERNAL_DTD])
def test_dtds_and_entities_are_refused(bomb: bytes) -> None:
    with pytest.raises(CrmPayloadError, match="DTD or entities"):
        sf.parse(bomb, today=TODAY)


def test_undeclared_entity_is_not_well_formed() -> None:
    body = TEMPLATE.replace("Express Logistics SLA", "&xxe;").encode()
    with pytest.raises(CrmPayloadError, match="well-formed"):
        sf.parse(body, today=TODAY)


def test_huge_and_deep_messages_are_refused() -> None:
    assert field_of(WON + b" " * sf.MAX_BODY) == "body"
    deep = b"<a>" * 40 + b"</a>" * 40
    with pytest.raises(CrmPayloadError, match="deeper"):
        sf.parse(deep, today=TODAY)
    very_deep = b"<a>" * 100_000
    with pytest.raises(CrmPayloadError, match="deeper"):
        sf.parse(very_deep, today=TODAY)


# --- fuzz -------------------------------------------------------------------------------------


def parses_or_names_a_field(raw: bytes) -> None:
    try:
        result = sf.parse(raw, today=TODAY)
    except CrmPayloadError as err:
        assert err.field
        return
    assert all(isinstance(d, CrmDelivery) for d in result)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_bytes(raw: bytes) -> None:
    parses_or_names_a_field(raw)


FIELD_VALUES = st.text(max_size=40) | st.sampled_from(
    ["", "Closed Won", "true", "false", "0.5", "-1", "1e999", "2026-03-09", "2026-02-30", ORG_18]
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        ["Id", "Name", "StageName", "IsWon", "Amount", "CloseDate", "OwnerId", "Account_Name__c"]
    ),
    FIELD_VALUES,
    st.sampled_from(["Opportunity", "Account", "", "sf:Opportunity"]),
)
def test_fuzz_fields(name: str, value: str, kind: str) -> None:
    safe = "".join(
        c for c in value if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
    )
    parses_or_names_a_field(message(notification({**OPPORTUNITY, name: safe}, kind=kind)))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(TEMPLATE)), st.integers(0, 40), st.text(max_size=20))
def test_fuzz_splices(at: int, cut: int, insert: str) -> None:
    parses_or_names_a_field(
        (TEMPLATE[:at] + insert + TEMPLATE[at + cut :]).encode("utf-8", "surrogatepass")
    )
