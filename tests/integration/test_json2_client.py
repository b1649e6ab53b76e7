"""A real client of Odoo 19.0's JSON-2 API (/json/2/<model>/<method>, API keys), the
external API that stays when /jsonrpc and /xmlrpc go (Odoo 20.0).

make test runs it against the demo server of its first real-client round on 19.0 only
(18.0 has no JSON-2); LOGISTICS_CRM_RPC_URL and LOGISTICS_CRM_RPC_DB as for
test_odoorpc_client.py.
"""

import os

import pytest
import requests
from web_session import DB, URL, Web

pytestmark = pytest.mark.skipif(not URL, reason="no running Odoo server given")


def api_key(login, password):
    """A key the user makes in its preferences: New API Key, then its password."""
    web = Web(login, password)
    description = web.call(
        "call_kw",
        "res.users.apikeys.description",
        "create",
        {"name": f"logistics_crm JSON-2 test {os.getpid()}", "duration": "1"},
    )
    check = web.call(
        "call_kw", "res.users.apikeys.description", "make_key", [description]
    )
    assert check["res_model"] == "res.users.identitycheck"
    shown = web.call(
        "call_kw",
        "res.users.identitycheck",
        "run_check",
        [check["res_id"]],
        context={"password": password},
    )
    return shown["context"]["default_key"]


class Json2:
    """POST /json/2/<model>/<method> with the key as bearer token."""

    def __init__(self, key):
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"bearer {key}", "X-Odoo-Database": DB}
        )

    def call(self, model, method, **params):
        return self.session.post(
            f"{URL}/json/2/{model}/{method}", json=params, timeout=120
        )

    def ok(self, model, method, **params):
        response = self.call(model, method, **params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def admin():
    return Json2(api_key("admin", "admin"))


@pytest.fixture(scope="module")
def rep():
    return Json2(api_key("rep", "rep"))


def test_an_integration_ranks_a_customer_and_opens_its_ticket(admin):
    customer_id = admin.ok(
        "res.partner",
        "create",
        vals_list=[
            {
                "name": f"JSON-2 Freight Buyer {os.getpid()}",
                "is_company": True,
                "customer_rank": 1,
            }
        ],
    )[0]
    (user,) = admin.ok(
        "res.users",
        "search_read",
        domain=[("login", "=", "admin")],
        fields=["company_id"],
    )
    company_id = user["company_id"][0]
    (policy,) = admin.ok(
        "logistics.tier.policy",
        "search_read",
        domain=[("company_id", "=", company_id)],
        fields=["id"],
    )
    result = admin.ok("logistics.tier.policy", "action_recompute", ids=[policy["id"]])
    assert "customers ranked" in result["params"]["message"]
    ticket_id = admin.ok(
        "logistics.ticket",
        "create",
        vals_list=[{"name": "Pallet missing at the hub", "partner_id": customer_id}],
    )[0]
    (ticket,) = admin.ok(
        "logistics.ticket",
        "read",
        ids=[ticket_id],
        fields=["number", "priority", "sla_resolution_deadline"],
    )
    assert ticket["number"] and ticket["sla_resolution_deadline"]


def test_a_reps_key_cannot_change_the_policy_nor_write_a_computed_tier(admin, rep):
    (policy,) = admin.ok(
        "logistics.tier.policy",
        "search_read",
        domain=[],
        fields=["id", "period_months"],
        limit=1,
    )
    refused = rep.call(
        "logistics.tier.policy", "write", ids=[policy["id"]], vals={"period_months": 50}
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["name"] == "odoo.exceptions.AccessError"
    (after,) = admin.ok(
        "logistics.tier.policy", "read", ids=[policy["id"]], fields=["period_months"]
    )
    assert after["period_months"] == policy["period_months"]
    # the tier is written by the recompute only, whoever calls
    (row,) = admin.ok(
        "logistics.customer.tier", "search_read", fields=["id", "tier"], limit=1
    )
    other = "C" if row["tier"] != "C" else "A"
    refused = admin.call(
        "logistics.customer.tier", "write", ids=[row["id"]], vals={"tier": other}
    )
    assert refused.status_code in (403, 422), refused.text
    (unchanged,) = admin.ok(
        "logistics.customer.tier", "read", ids=[row["id"]], fields=["tier"]
    )
    assert unchanged["tier"] == row["tier"]
