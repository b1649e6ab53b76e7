"""A real client: drives a running demo server over JSON-RPC with odoorpc.

make test starts the demo server and sets LOGISTICS_CRM_RPC_URL and
LOGISTICS_CRM_RPC_DB; run alone, the test is skipped.
"""

import os
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest

odoorpc = pytest.importorskip("odoorpc")

URL = os.environ.get("LOGISTICS_CRM_RPC_URL")
DB = os.environ.get("LOGISTICS_CRM_RPC_DB")
pytestmark = pytest.mark.skipif(not URL, reason="no running Odoo server given")


def connect(login, password):
    url = urlparse(URL)
    client = odoorpc.ODOO(url.hostname, port=url.port, timeout=120)
    client.login(DB, login, password)
    return client


@pytest.fixture(scope="module")
def admin():
    return connect("admin", "admin")


def test_integration_flow(admin):
    env = admin.env
    Partner = env["res.partner"]
    suffix = os.getpid()
    customer_id = Partner.create(
        {"name": f"RPC Freight Buyer {suffix}", "is_company": True, "customer_rank": 1}
    )
    # two posted invoices within the tier period
    Move = env["account.move"]
    for days_ago, amount in ((20, 250000.0), (5, 150000.0)):
        move_id = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": customer_id,
                "invoice_date": (date.today() - timedelta(days=days_ago)).isoformat(),
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {"name": "Ocean freight", "price_unit": amount, "tax_ids": []},
                    )
                ],
            }
        )
        admin.execute_kw("account.move", "action_post", [[move_id]], {})
    company_id = env.user.company_id.id
    policy_id = env["logistics.tier.policy"].search([("company_id", "=", company_id)])[
        0
    ]
    env["logistics.tier.policy"].write([policy_id], {"metric": "invoice_revenue"})
    result = admin.execute_kw(
        "logistics.tier.policy", "action_recompute", [[policy_id]], {}
    )
    assert "customers ranked" in result["params"]["message"]
    tier = env["logistics.customer.tier"].search_read(
        [("partner_id", "=", customer_id), ("company_id", "=", company_id)],
        ["tier", "value"],
    )
    assert tier and tier[0]["tier"] == "A"
    assert tier[0]["value"] == pytest.approx(400000.0)

    Ticket = env["logistics.ticket"]
    ticket_id = Ticket.create(
        {"name": "Container held at customs", "partner_id": customer_id}
    )
    ticket = Ticket.read(
        [ticket_id], ["priority", "sla_resolution_deadline", "number"]
    )[0]
    assert ticket["priority"] == "3", "an A customer's ticket is urgent"
    assert ticket["number"]
    # the demo SLA policy for A customers gives a resolution deadline in working hours
    assert ticket["sla_resolution_deadline"]
    assert ticket["sla_resolution_deadline"] > date.today().isoformat()


def test_rep_credentials_cannot_change_the_policy(admin):
    company_id = admin.env.user.company_id.id
    policy_id = admin.env["logistics.tier.policy"].search(
        [("company_id", "=", company_id)]
    )[0]
    rep = connect("rep", "rep")
    with pytest.raises(odoorpc.error.RPCError) as caught:
        rep.env["logistics.tier.policy"].write([policy_id], {"a_threshold": 50})
    assert "not allowed" in str(caught.value) or "AccessError" in str(caught.value)
    policy = admin.env["logistics.tier.policy"].read([policy_id], ["a_threshold"])[0]
    assert policy["a_threshold"] != 50
