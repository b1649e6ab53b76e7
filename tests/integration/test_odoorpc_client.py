"""A real client: drives a running demo server over JSON-RPC with odoorpc.

make test starts the demo server and sets LOGISTICS_CRM_RPC_URL and
LOGISTICS_CRM_RPC_DB; run alone, the test is skipped.
"""

import os
import threading
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
        rep.env["logistics.tier.policy"].write([policy_id], {"period_months": 50})
    assert "not allowed" in str(caught.value) or "AccessError" in str(caught.value)
    grade_id = admin.env["logistics.customer.grade"].search(
        [("policy_id", "=", policy_id), ("code", "=", "A")]
    )[0]
    with pytest.raises(odoorpc.error.RPCError) as caught:
        rep.env["logistics.customer.grade"].write([grade_id], {"share_percent": 50})
    assert "not allowed" in str(caught.value) or "AccessError" in str(caught.value)
    policy = admin.env["logistics.tier.policy"].read([policy_id], ["period_months"])[0]
    assert policy["period_months"] != 50
    grade = admin.env["logistics.customer.grade"].read([grade_id], ["share_percent"])[0]
    assert grade["share_percent"] != 50


def run_at_once(count, action):
    """`action(index)` from `count` threads started together; returns results or
    the exceptions they raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        barrier.wait()
        try:
            results[index] = action(index)
        except Exception as error:  # noqa: BLE001 - returned to the test
            results[index] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def test_tickets_created_at_once_get_distinct_numbers(admin):
    customer_id = admin.env["res.partner"].create(
        {"name": f"RPC Concurrent Shipper {os.getpid()}", "is_company": True}
    )
    clients = [connect("admin", "admin") for _i in range(4)]

    def create(index):
        return (
            clients[index]
            .env["logistics.ticket"]
            .create({"name": f"Parcel {index} damaged", "partner_id": customer_id})
        )

    ids = run_at_once(4, create)
    assert all(isinstance(ticket_id, int) for ticket_id in ids), ids
    numbers = [
        row["number"] for row in admin.env["logistics.ticket"].read(ids, ["number"])
    ]
    assert len(set(numbers)) == 4, numbers


def test_recomputes_at_once_run_once_or_are_refused(admin):
    company_id = admin.env.user.company_id.id
    policy_id = admin.env["logistics.tier.policy"].search(
        [("company_id", "=", company_id)]
    )[0]
    clients = [connect("admin", "admin") for _i in range(2)]

    def recompute(index):
        return clients[index].execute_kw(
            "logistics.tier.policy", "action_recompute", [[policy_id]], {}
        )

    results = run_at_once(2, recompute)
    done = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert done, results
    for error in refused:
        assert "being recomputed right now" in str(error), error
