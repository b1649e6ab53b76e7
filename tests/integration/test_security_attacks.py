"""The security suite: drives the running demo server from outside, as an attacker.

A portal user reads what is not theirs over JSON-RPC and HTTP, tokens are tampered
with, script is stored through the portal, and 200 malformed emails reach the service
alias the way Odoo's mail gateway delivers them (XML-RPC message_process). Every attack
must be refused; the count of attacks tried and refused is printed.

make test starts the demo server and sets LOGISTICS_CRM_RPC_URL / LOGISTICS_CRM_RPC_DB;
run alone, the suite is skipped.
"""

import html
import os
import random
import re
import xmlrpc.client
from email.utils import make_msgid
from html.parser import HTMLParser

import pytest
import requests

URL = os.environ.get("LOGISTICS_CRM_RPC_URL")
DB = os.environ.get("LOGISTICS_CRM_RPC_DB")
pytestmark = pytest.mark.skipif(not URL, reason="no running Odoo server given")

PORTAL = ("eastwind-portal", "eastwind-portal")
ADMIN = ("admin", "admin")
ALIAS = "service-desk@logistics-crm.example.com"
PORTAL_TICKETS = "/my/logistics/tickets"
SCRIPT = '<script>alert("owned")</script><img src="x" onerror="alert(1)">'


class _ExecutableMarkup(HTMLParser):
    """Collects what a browser would run: script elements, on* handlers, js: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append("<script>")
        for name, value in attrs:
            if name.startswith("on") or "javascript:" in (value or "").lower():
                self.found.append(f"<{tag} {name}={value!r}>")


def executable_markup(markup, ignore=()):
    """Executable parts of ``markup``, minus those also found in ``ignore`` (the page's
    own scripts, when checking a whole page)."""
    parser = _ExecutableMarkup()
    parser.feed(markup or "")
    return [found for found in parser.found if found not in ignore]


class Tally:
    def __init__(self):
        self.tried = []
        self.not_refused = []

    def attack(self, name, attempt):
        """``attempt`` returns normally when the server refused, or raises
        AssertionError saying what got through."""
        self.tried.append(name)
        try:
            attempt()
        except AssertionError as error:
            self.not_refused.append(f"{name}: {error}")


TALLY = Tally()


def attacks_summary():
    """Printed at the end of the run by tests/conftest.py."""
    refused = len(TALLY.tried) - len(TALLY.not_refused)
    return f"security suite: {len(TALLY.tried)} attacks tried, {refused} refused"


# ----------------------------------------------------------------------------
# clients
# ----------------------------------------------------------------------------
class RpcError(Exception):
    pass


def jsonrpc(service, method, *args):
    response = requests.post(
        f"{URL}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": list(args)},
        },
        timeout=120,
    )
    response.raise_for_status()
    payload = response.json()
    if "error" in payload:
        data = payload["error"]["data"]
        raise RpcError(data.get("name", ""), data.get("message", "")[:300])
    return payload["result"]


class User:
    def __init__(self, login, password):
        self.login, self.password = login, password
        self.uid = jsonrpc("common", "login", DB, login, password)
        assert self.uid, f"{login} cannot log in"
        self.http = requests.Session()
        response = self.http.post(
            f"{URL}/web/session/authenticate",
            json={"params": {"db": DB, "login": login, "password": password}},
            timeout=60,
        )
        response.raise_for_status()
        assert "error" not in response.json(), response.text[:500]

    def call(self, model, method, *args, **kwargs):
        return jsonrpc(
            "object", "execute_kw", DB, self.uid, self.password, model, method,
            list(args), kwargs,
        )  # fmt: skip

    def csrf(self, path):
        page = self.http.get(f"{URL}{path}", timeout=60)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


def refused_rpc(call, *args, **kwargs):
    """The call must fail with an access error; returns the error name."""
    try:
        result = call(*args, **kwargs)
    except RpcError as error:
        name = error.args[0]
        assert "AccessError" in name or "MissingError" in name, name
        return name
    raise AssertionError(f"answered {str(result)[:200]}")


def groups_field():
    """A user's groups: ``groups_id`` before Odoo 19.0, ``group_ids`` since."""
    version = jsonrpc("common", "version")["server_version_info"][0]
    return "group_ids" if version >= 19 else "groups_id"


def server_answers():
    return requests.get(f"{URL}/web/login", timeout=60).status_code == 200


@pytest.fixture(scope="module")
def admin():
    return User(*ADMIN)


@pytest.fixture(scope="module")
def portal():
    return User(*PORTAL)


@pytest.fixture(scope="module")
def employee(admin):
    """A plain internal user: no Logistics CRM group."""
    login = f"plain-employee-{os.getpid()}"
    admin.call(
        "res.users",
        "create",
        {
            "name": "Plain Employee",
            "login": login,
            "password": login,
            groups_field(): [(6, 0, [admin.call(
                "ir.model.data", "search_read",
                [("module", "=", "base"), ("name", "=", "group_user")],
                fields=["res_id"])[0]["res_id"]])],
        },
    )  # fmt: skip
    return User(login, login)


@pytest.fixture(scope="module")
def addon_partner_fields(admin):
    fields = admin.call(
        "ir.model.fields",
        "search_read",
        [("model", "=", "res.partner")],
        fields=["name", "modules"],
    )
    # Odoo 19.0 also lists every module that extends the model for "id" and
    # "display_name": the addon's fields are those base does not declare
    names = [
        f["name"]
        for f in fields
        if "logistics_crm" in (modules := (f["modules"] or "").split(", "))
        and "base" not in modules
    ]
    assert len(names) > 20, names
    return names


@pytest.fixture(scope="module")
def customers(admin, portal):
    own = admin.call("res.users", "read", [portal.uid], ["partner_id"])[0][
        "partner_id"
    ][0]
    own_company = admin.call("res.partner", "read", [own], ["commercial_partner_id"])[
        0
    ]["commercial_partner_id"][0]
    colleagues = admin.call("res.partner", "search", [("parent_id", "=", own_company)])
    # another tiered customer with tickets of its own
    others = admin.call(
        "logistics.ticket", "search_read",
        [("commercial_partner_id", "!=", own_company),
         ("commercial_partner_id.tier", "!=", False)],
        fields=["commercial_partner_id"], limit=1,
    )  # fmt: skip
    assert others, "the demo database has a second tiered customer with tickets"
    own_partners = list(dict.fromkeys([own, own_company, *colleagues]))
    return {"own": own_partners, "other": others[0]["commercial_partner_id"][0]}


@pytest.fixture(scope="module")
def tickets(admin, customers):
    own = admin.call(
        "logistics.ticket", "search",
        [("partner_id", "child_of", customers["own"][1])],
    )  # fmt: skip
    other = admin.call(
        "logistics.ticket", "search", [("partner_id", "child_of", customers["other"])]
    )
    assert own and other, "the demo database has tickets of both customers"
    return {"own": own, "other": other}


# ----------------------------------------------------------------------------
# reading what is not one's own
# ----------------------------------------------------------------------------
def test_portal_and_employee_read_none_of_the_addon_fields(
    admin, portal, employee, addon_partner_fields, customers
):
    for user in (portal, employee):
        for partner in customers["own"][:2] + [customers["other"]]:
            for field in addon_partner_fields:
                TALLY.attack(
                    f"{user.login} reads res.partner.{field} of {partner}",
                    lambda u=user, p=partner, f=field: refused_rpc(
                        u.call, "res.partner", "read", [p], [f]
                    ),
                )

            def read_everything(u=user, p=partner):
                try:
                    record = u.call("res.partner", "read", [p])
                except RpcError as error:  # a partner it may not read at all
                    assert "AccessError" in error.args[0], error.args[0]
                    return
                leaked = set(record[0]) & set(addon_partner_fields)
                assert not leaked, f"read() returned {sorted(leaked)}"

            TALLY.attack(
                f"{user.login} reads every field of {partner}", read_everything
            )

            def search_on_tier(u=user):
                refused_rpc(
                    u.call, "res.partner", "search_read",
                    [("tier", "=", "A")], fields=["name"],
                )  # fmt: skip

            TALLY.attack(f"{user.login} searches partners by tier", search_on_tier)
    # the owner of the data does read it
    assert admin.call(
        "res.partner", "read", customers["own"][1:2], addon_partner_fields
    )


def test_portal_reads_no_other_customer_ticket(portal, tickets):
    visible = portal.call("logistics.ticket", "search", [])
    assert set(tickets["own"]) & set(visible), "the portal user sees its own tickets"
    TALLY.attack(
        "portal lists another customer's tickets",
        lambda: _assert_disjoint(visible, tickets["other"]),
    )
    for ticket in tickets["other"]:
        TALLY.attack(
            f"portal reads ticket {ticket} over JSON-RPC",
            lambda t=ticket: refused_rpc(
                portal.call, "logistics.ticket", "read", [t], ["name", "description"]
            ),
        )

        def open_page(t=ticket):
            response = portal.http.get(f"{URL}{PORTAL_TICKETS}/{t}", timeout=60)
            assert response.status_code in (403, 404) or "/web/login" in response.url, (
                response.status_code
            )

        TALLY.attack(f"portal opens ticket page {ticket}", open_page)
    for model in (
        "logistics.customer.tier",
        "logistics.tier.history",
        "logistics.visit",
        "logistics.account.assignment",
        "logistics.tier.policy",
        "logistics.customer.grade",
        "logistics.commodity.category",
        "logistics.volume",
    ):
        TALLY.attack(
            f"portal reads {model}",
            lambda m=model: refused_rpc(
                portal.call, m, "search_read", [], fields=["id"]
            ),
        )
    for field in ("customer_tier", "key_account_manager_id", "root_cause"):
        TALLY.attack(
            f"portal reads its own ticket's {field}",
            lambda f=field: refused_rpc(
                portal.call, "logistics.ticket", "read", tickets["own"][:1], [f]
            ),
        )
    TALLY.attack(
        "portal writes its ticket's priority and SLA",
        lambda: refused_rpc(
            portal.call, "logistics.ticket", "write", tickets["own"][:1],
            {"priority": "3", "sla_policy_id": False},
        ),
    )  # fmt: skip


def _assert_disjoint(visible, forbidden):
    leaked = set(visible) & set(forbidden)
    assert not leaked, f"listed {sorted(leaked)}"


# ----------------------------------------------------------------------------
# tokens
# ----------------------------------------------------------------------------
def _token(admin, ticket):
    url = admin.call("logistics.ticket", "get_portal_url", [ticket])
    return re.search(r"access_token=([^&#]+)", url).group(1)


def _tamper(token):
    return token[:-4] + ("0000" if not token.endswith("0000") else "1111")


def test_tampered_tokens_open_nothing(admin, tickets):
    ticket = tickets["other"][0]
    name = html.escape(
        admin.call("logistics.ticket", "read", [ticket], ["name"])[0]["name"]
    )
    token = _token(admin, ticket)
    anonymous = requests.Session()
    page = anonymous.get(
        f"{URL}{PORTAL_TICKETS}/{ticket}", params={"access_token": token}, timeout=60
    )
    assert page.status_code == 200 and name in page.text, "the good link works"
    own_other = [t for t in tickets["own"] if t != ticket]
    other_token = _token(admin, own_other[0]) if own_other else None
    bad_tokens = {
        "tampered": _tamper(token),
        "empty": "",
        "another ticket's": other_token or "x" * 36,
        "injected": "' OR '1'='1",
        "overlong": token * 50,
    }
    for label, bad in bad_tokens.items():

        def open_with(bad=bad, label=label):
            response = anonymous.get(
                f"{URL}{PORTAL_TICKETS}/{ticket}",
                params={"access_token": bad},
                timeout=60,
            )
            assert name not in response.text, f"content shown ({label})"

        TALLY.attack(f"anonymous opens a ticket with a {label} token", open_with)

        def close_with(bad=bad):
            before = admin.call("logistics.ticket", "read", [ticket], ["stage_id"])
            anonymous.post(
                f"{URL}{PORTAL_TICKETS}/{ticket}/close",
                data={"access_token": bad},
                timeout=60,
            )
            after = admin.call("logistics.ticket", "read", [ticket], ["stage_id"])
            assert before == after, "the ticket was closed"

        TALLY.attack(f"anonymous closes a ticket with a {label} token", close_with)
    for label, bad in (("tampered", "0" * 32), ("injected", "%27%20OR%201=1")):

        def rate_with(bad=bad):
            response = anonymous.get(f"{URL}/rate/{bad}/5", timeout=60)
            assert response.status_code in (403, 404), response.status_code

        TALLY.attack(f"anonymous rates with a {label} rating token", rate_with)


# ----------------------------------------------------------------------------
# stored script
# ----------------------------------------------------------------------------
def test_script_stored_through_the_portal_never_runs(admin, portal, tickets):
    own_ticket = tickets["own"][0]
    before = set(admin.call("logistics.ticket", "search", []))
    portal.http.post(
        f"{URL}{PORTAL_TICKETS}/submit",
        data={
            "csrf_token": portal.csrf(f"{PORTAL_TICKETS}/new"),
            "name": f"Damaged pallets {SCRIPT}",
            "description": f"Three pallets crushed. {SCRIPT}",
        },
        timeout=60,
    )
    created = set(admin.call("logistics.ticket", "search", [])) - before
    assert len(created) == 1, "the portal user opens a ticket"
    ticket = created.pop()
    stored = admin.call("logistics.ticket", "read", [ticket], ["name", "description"])[
        0
    ]

    def no_script_stored():
        # the title is plain text (escaped wherever shown); the description is HTML
        assert not executable_markup(stored["description"]), stored["description"]

    TALLY.attack("script stored in a portal ticket description", no_script_stored)
    # an answer in the portal chatter
    portal.http.post(
        f"{URL}/mail/message/post",
        json={
            "params": {
                "thread_model": "logistics.ticket",
                "thread_id": ticket,
                "post_data": {"body": f"Any news? {SCRIPT}", "message_type": "comment"},
            }
        },
        timeout=60,
    )
    bodies = admin.call(
        "mail.message", "search_read",
        [("model", "=", "logistics.ticket"), ("res_id", "=", ticket)],
        fields=["body"],
    )  # fmt: skip

    def no_script_in_chatter():
        assert any("Any news?" in (m["body"] or "") for m in bodies), "answer posted"
        for message in bodies:
            assert not executable_markup(message["body"]), message["body"]

    TALLY.attack("script stored in a portal chatter answer", no_script_in_chatter)

    def no_script_rendered():
        page = portal.http.get(f"{URL}{PORTAL_TICKETS}/{ticket}", timeout=60)
        assert page.status_code == 200
        # the same page for a ticket without the attacker's text: its own scripts
        clean = portal.http.get(f"{URL}{PORTAL_TICKETS}/{own_ticket}", timeout=60)
        own_scripts = set(executable_markup(clean.text))
        assert not executable_markup(page.text, ignore=own_scripts)

    TALLY.attack("script rendered on the portal ticket page", no_script_rendered)


# ----------------------------------------------------------------------------
# malformed email to the alias
# ----------------------------------------------------------------------------
ODD_NAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\system32\\config",
    "运单 waybill 2026.pdf",
    "a" * 400 + ".pdf",
    "line\r\nBcc: victim@example.com.pdf",
    "nul\x00byte.txt",
    "",
    ".htaccess",
    "CON",
    "=?utf-8?b?5rWL6K+V?=.xlsx",
]
CHARSETS = ["utf-8", "gb2312", "gbk", "big5", "iso-8859-1", "x-no-such-charset", ""]


def malformed_email(number, rng):
    """One email with a few defects chosen by ``rng``."""
    defects = rng.sample(
        [
            "no_from", "no_subject", "no_message_id", "no_date", "bad_charset",
            "huge_body", "odd_attachment", "bad_base64", "nested", "garbage_body",
            "no_to", "html_script", "bad_from", "empty_body", "long_subject",
        ],
        k=rng.randint(1, 4),
    )  # fmt: skip
    charset = rng.choice(CHARSETS) if "bad_charset" in defects else "utf-8"
    body = f"Shipment {number} is late.\n"
    if "huge_body" in defects:
        body += "货物延误 delay " * rng.randint(50_000, 150_000)
    if "garbage_body" in defects:
        body += "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(2000))
    if "html_script" in defects:
        body = f"<p>Shipment {number}</p>{SCRIPT}"
    if "empty_body" in defects:
        body = ""
    headers = []
    if "no_from" not in defects:
        sender = (
            "not an address <<>>"
            if "bad_from" in defects
            else f"Sender {number} <sender{number}@qq.com>"
        )
        headers.append(f"From: {sender}")
    if "no_to" not in defects:
        headers.append(f"To: {ALIAS}")
    if "no_subject" not in defects:
        subject = f"Attack mail {number}"
        if "long_subject" in defects:
            subject += " 延误" * 3000
        headers.append(f"Subject: {subject}")
    if "no_message_id" not in defects:
        headers.append(f"Message-Id: {make_msgid(f'attack{number}')}")
    if "no_date" not in defects:
        headers.append("Date: Mon, 23 Nov 2026 10:00:00 +0800")
    content_type = "text/html" if "html_script" in defects else "text/plain"
    encoded = body.encode("utf-8", "surrogatepass")
    if "bad_charset" in defects:
        try:
            encoded = body.encode(charset or "utf-8", "replace")
        except LookupError:
            pass
    charset_param = f'; charset="{charset}"' if charset else ""
    text_part = (
        f"Content-Type: {content_type}{charset_param}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + encoded
    if not {"odd_attachment", "bad_base64", "nested"} & set(defects):
        return "\r\n".join(headers).encode("utf-8", "replace") + b"\r\n" + text_part
    boundary = f"==attack{number}=="
    parts = [text_part]
    if "odd_attachment" in defects or "bad_base64" in defects:
        name = rng.choice(ODD_NAMES)
        payload = b"!!! not base64 @@@" if "bad_base64" in defects else b"UEsDBBQ="
        parts.append(
            (
                "Content-Type: application/octet-stream\r\n"
                f'Content-Disposition: attachment; filename="{name}"\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n"
            ).encode("utf-8", "surrogatepass")
            + payload
        )
    if "nested" in defects:
        inner_name = rng.choice(ODD_NAMES) or "x.pdf"
        inner = (
            "From: inner@example.com\r\nSubject: forwarded\r\n"
            'Content-Type: multipart/mixed; boundary="inner"\r\n\r\n'
            "--inner\r\nContent-Type: text/plain\r\n\r\ninner part\r\n"
            "--inner\r\nContent-Type: application/pdf\r\n"
            f'Content-Disposition: attachment; filename="{inner_name}"\r\n\r\n'
            "%PDF-1.4\r\n--inner--\r\n"
        ).encode("utf-8", "surrogatepass")
        parts.append(b"Content-Type: message/rfc822\r\n\r\n" + inner)
    body_bytes = (
        b"".join(f"--{boundary}\r\n".encode() + part + b"\r\n" for part in parts)
        + f"--{boundary}--\r\n".encode()
    )
    headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    return "\r\n".join(headers).encode("utf-8", "replace") + b"\r\n\r\n" + body_bytes


def test_malformed_emails_never_half_create_a_ticket(admin):
    gateway = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)
    rng = random.Random(20261123)  # noqa: S311 - a reproducible test corpus

    def count():
        return admin.call("logistics.ticket", "search_count", [])

    accepted = rejected = 0
    for number in range(200):
        raw = malformed_email(number, rng)

        def deliver(raw=raw, number=number):
            nonlocal accepted, rejected
            before = count()
            try:
                gateway.execute_kw(
                    DB, admin.uid, ADMIN[1], "mail.thread", "message_process",
                    [False, xmlrpc.client.Binary(raw)],
                )  # fmt: skip
            except xmlrpc.client.Fault:
                after = count()
                assert after == before, f"mail {number} failed but left a ticket"
                rejected += 1
            else:
                after = count()
                assert after - before in (0, 1), f"mail {number} made {after - before}"
                if after > before:
                    accepted += 1
                    ticket = admin.call(
                        "logistics.ticket", "search_read", [],
                        fields=["name", "number", "company_id", "message_ids"],
                        order="id desc", limit=1,
                    )[0]  # fmt: skip
                    assert ticket["name"] and ticket["company_id"], ticket
                    assert ticket["message_ids"], "the email is on the ticket"
                else:
                    rejected += 1
            assert server_answers(), f"the server stopped answering after mail {number}"

        TALLY.attack(f"malformed email {number}", deliver)
    assert accepted > 20 and rejected > 5, (accepted, rejected)


def test_strangers_emails_reach_no_customer_portal(admin, portal, customers):
    gateway = xmlrpc.client.ServerProxy(f"{URL}/xmlrpc/2/object", allow_none=True)
    emails = admin.call("res.partner", "read", customers["own"], ["email"])
    domains = {e["email"].split("@")[1] for e in emails if e["email"]}
    assert domains, "the portal user's company has an email domain"
    senders = [f"stranger.{n}@{d}" for n, d in enumerate(sorted(domains))]
    senders += ["someone@qq.com", "someone@163.com", "someone@gmail.com"]
    for sender in senders:
        subject = f"Stranger {sender} {os.getpid()}"
        raw = (
            f"From: {sender}\r\nTo: {ALIAS}\r\nSubject: {subject}\r\n"
            f"Message-Id: {make_msgid('stranger')}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nWhere is my parcel?\r\n"
        ).encode()
        gateway.execute_kw(
            DB, admin.uid, ADMIN[1], "mail.thread", "message_process",
            [False, xmlrpc.client.Binary(raw)],
        )  # fmt: skip

        def not_on_portal(subject=subject):
            assert admin.call("logistics.ticket", "search", [("name", "=", subject)])
            seen = portal.call("logistics.ticket", "search", [("name", "=", subject)])
            assert not seen, "the customer's portal shows a stranger's ticket"

        TALLY.attack(f"a stranger writes from {sender}", not_on_portal)


@pytest.fixture(scope="module")
def rep(admin):
    """A sales rep of the demo company: Logistics CRM user, no manager rights."""
    login = f"pool-rep-{os.getpid()}"
    group = admin.call(
        "ir.model.data", "search_read",
        [("module", "=", "logistics_crm"), ("name", "=", "group_logistics_crm_user")],
        fields=["res_id"],
    )[0]["res_id"]  # fmt: skip
    admin.call(
        "res.users",
        "create",
        {"name": "Pool Rep", "login": login, "password": login,
         groups_field(): [(6, 0, [group])]},
    )  # fmt: skip
    return User(login, login)


def refused_or_failed(call, *args, **kwargs):
    """The call must fail (access, validation or business error)."""
    try:
        result = call(*args, **kwargs)
    except RpcError as error:
        return error.args[0]
    raise AssertionError(f"answered {str(result)[:200]}")


def test_a_rep_takes_nothing_past_the_pool_rules(admin, rep):
    """The customer pool over JSON-RPC: a rep reads no private figure of a pool
    customer or another rep's, and owns nothing without claiming it."""
    accounts = admin.call(
        "logistics.customer.tier", "search_read",
        [("value", ">", 0), ("owner_id", "!=", rep.uid)],
        fields=["partner_id", "value"], limit=3,
    )  # fmt: skip
    assert accounts, "the demo database has accounts with a value"
    private = ["tier_value", "health_score", "overdue_amount", "survey_score"]
    for account in accounts:
        partner = account["partner_id"][0]

        def reads_figures(p=partner):
            record = rep.call("res.partner", "read", [p], private)[0]
            leaked = {name: record[name] for name in private if record[name]}
            assert not leaked, f"read {leaked}"

        TALLY.attack(f"rep reads the figures of customer {partner}", reads_figures)
        TALLY.attack(
            f"rep reads account {account['id']}",
            lambda a=account: refused_rpc(
                rep.call, "logistics.customer.tier", "read", [a["id"]], ["value"]
            ),
        )
        TALLY.attack(
            f"rep makes itself owner of account {account['id']}",
            lambda a=account: refused_or_failed(
                rep.call, "logistics.customer.tier", "write", [a["id"]],
                {"owner_id": rep.uid},
            ),
        )  # fmt: skip
        TALLY.attack(
            f"rep makes itself key-account manager of customer {partner}",
            lambda p=partner: refused_or_failed(
                rep.call, "res.partner", "write", [p],
                {"key_account_manager_id": rep.uid},
            ),
        )  # fmt: skip
        TALLY.attack(
            f"rep protects customer {partner}",
            lambda p=partner: refused_or_failed(
                rep.call, "res.partner", "write", [p], {"pool_protected": True}
            ),
        )
    owners = admin.call(
        "logistics.customer.tier", "search_count", [("owner_id", "=", rep.uid)]
    )
    assert owners == 0, "the rep owns nothing it did not claim"


def test_every_attack_was_refused():
    """Last: the totals."""
    assert not TALLY.not_refused, "\n".join(x[:400] for x in TALLY.not_refused[:30])
    assert len(TALLY.tried) >= 300, len(TALLY.tried)
