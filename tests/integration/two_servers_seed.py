"""Seeds the two-server test's database (scripts/test.sh, run_two_server_tests).

    python tests/integration/two_servers_seed.py --db DB --out FILE [--customers 120]

The database has logistics_crm and logistics_crm_lead installed without demo
data. Odoo runs as a library here, as in the simulation (tests/simulation). It
makes three companies, each in a time zone where the nightly jobs are due now
(two_servers_logic.choose_zones), with a tier policy, a key-account manager
pool of reps, a service desk, customers with posted invoices (so tiers compute),
a few open tickets and open opportunities for the reps to win. Every scheduled
action of both addons is put off a day, and every company's markers say its jobs
ran today: nothing of the addons runs until the test makes it due. Prints one
JSON file (--out): what the test needs (companies, zones, users, leads).
"""

import argparse
import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "scripts"))

import two_servers_logic as logic  # noqa: E402
from odoo_script import add_connection_arguments, load_odoo  # noqa: E402

ADDONS = ("logistics_crm", "logistics_crm_lead")
COMPANY_NAMES = ("Two Servers East", "Two Servers Centre", "Two Servers West")
REPS_PER_COMPANY = 3
JOBS = ("recompute", "visits", "planner", "reclaim")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=120, help="per company")
    parser.add_argument("--leads", type=int, default=12, help="per company")
    parser.add_argument("--tickets", type=int, default=5, help="open, per company")
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--out", required=True, help="the JSON file written")
    add_connection_arguments(parser)
    return parser.parse_args(argv)


def setup_companies(env, zones):
    from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

    main = env.ref("base.main_company")
    main.name = COMPANY_NAMES[0]
    if not main.chart_template:
        env["account.chart.template"].try_loading(
            "generic_coa", company=main, install_demo=False
        )
    companies = main
    for name in COMPANY_NAMES[1:]:
        company = env["res.company"].create(
            {"name": name, "currency_id": main.currency_id.id}
        )
        env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        companies |= company
    for company, zone in zip(companies, zones, strict=True):
        company.partner_id.tz = zone
    admin = env.ref("base.user_admin")
    admin.write(
        {
            "company_ids": [(6, 0, companies.ids)],
            GROUPS_FIELD: [
                (4, env.ref("logistics_crm.group_logistics_crm_manager").id)
            ],
        }
    )
    return companies


def setup_people(env, company, zone, key):
    """The company's manager and reps; reps sell (crm) and serve (tickets)."""
    from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

    Users = env["res.users"].with_context(no_reset_password=True)
    base_groups = [
        env.ref("base.group_user").id,
        env.ref("sales_team.group_sale_salesman").id,
    ]
    people = {}
    for role in ["manager"] + [f"rep{n}" for n in range(1, REPS_PER_COMPANY + 1)]:
        login = f"{key}_{role}"
        group = env.ref(
            "logistics_crm.group_logistics_crm_manager"
            if role == "manager"
            else "logistics_crm.group_logistics_crm_user"
        )
        people[login] = Users.create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": f"{login}-pw",
                "email": f"{login}@two-servers.example.com",
                "tz": zone,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                GROUPS_FIELD: [(6, 0, [*base_groups, group.id])],
            }
        )
    return people


def setup_policy(env, company, people, key):
    policy = env["logistics.tier.policy"]._get_company_policy(company).sudo()
    reps = [user for login, user in people.items() if "_rep" in login]
    policy.write(
        {
            "responsible_user_id": people[f"{key}_manager"].id,
            "manager_ids": [
                (0, 0, {"user_id": rep.id, "capacity": 60}) for rep in reps
            ],
        }
    )
    env["logistics.ticket.team"].create(
        {
            "name": f"Desk {company.name}",
            "company_id": company.id,
            "member_ids": [(6, 0, [rep.id for rep in reps])],
        }
    )
    return policy


def setup_customers(env, company, zone, count, rng):
    Partner = env["res.partner"]
    customers = Partner.create(
        [
            {
                "name": f"{company.name} Shipper {n:03d}",
                "is_company": True,
                "customer_rank": 1,
                "email": f"shipper{n:03d}@c{company.id}.example.com",
                "tz": zone,
                "company_id": company.id,
            }
            for n in range(count)
        ]
    )
    contacts = Partner.create(
        [
            {
                "name": f"Contact of {customer.name}",
                "parent_id": customer.id,
                "email": f"contact{n:03d}@c{company.id}.example.com",
                "company_id": company.id,
            }
            for n, customer in enumerate(customers)
        ]
    )
    today = datetime.now().date()
    Move = env["account.move"].with_company(company)
    values = []
    for customer in customers:
        for _invoice in range(rng.randint(1, 3)):
            day = today - timedelta(days=rng.randint(5, 300))
            values.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": day,
                    "invoice_date_due": day + timedelta(days=30),
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Freight",
                                "quantity": 1,
                                "price_unit": rng.choice((800, 5000, 40000))
                                * rng.uniform(0.5, 2),
                                "tax_ids": [(5, 0, 0)],
                            },
                        )
                    ],
                }
            )
    Move.create(values).action_post()
    return customers, contacts


def setup_tickets(env, company, contacts, count):
    Ticket = env["logistics.ticket"].with_company(company)
    return Ticket.create(
        [
            {
                "name": f"Open question {n}",
                "partner_id": contact.id,
                "company_id": company.id,
            }
            for n, contact in enumerate(contacts[:count])
        ]
    )


def setup_leads(env, company, people, count, rng):
    """Opportunities for prospects (new companies), each owned by a rep."""
    reps = [user for login, user in people.items() if "_rep" in login]
    prospects = env["res.partner"].create(
        [
            {
                "name": f"{company.name} Prospect {n:02d}",
                "is_company": True,
                "company_id": company.id,
            }
            for n in range(count)
        ]
    )
    leads = env["crm.lead"].create(
        [
            {
                "name": f"Freight for {prospect.name}",
                "type": "opportunity",
                "partner_id": prospect.id,
                "company_id": company.id,
                "user_id": reps[n % len(reps)].id,
                "team_id": False,
                "expected_revenue": rng.choice((2000.0, 30000.0, 200000.0)),
            }
            for n, prospect in enumerate(prospects)
        ]
    )
    return {
        rep.login: leads.filtered(lambda lead, rep=rep: lead.user_id == rep).ids
        for rep in reps
    }


def put_off_jobs(env, policies):
    """No scheduled action runs before the test makes the addons' due, and
    Odoo's own never run (all due on a new database, they would only delay
    the addons'; some are triggered by the reps' work, and CRM's lead
    enrichment calls Odoo's IAP servers, out of reach here); returns the
    addons' ones."""
    tomorrow = datetime.now() + timedelta(days=1)
    crons = env["ir.cron"].browse(
        env["ir.model.data"]
        .search([("model", "=", "ir.cron"), ("module", "in", ADDONS)])
        .mapped("res_id")
    )
    (env["ir.cron"].search([]) - crons).write({"active": False})
    crons.write({"active": True, "nextcall": tomorrow})
    for policy in policies:
        today = policy.company_id._logistics_today()
        policy.write({f"cron_{job}_day": today for job in JOBS})
    return crons


def main(argv=None):
    args = parse_args(argv)
    odoo = load_odoo(args)
    from odoo import SUPERUSER_ID, api

    rng = random.Random(args.seed)
    zones = logic.choose_zones(datetime.utcnow(), len(COMPANY_NAMES))
    registry = odoo.modules.registry.Registry(args.db)
    result = {"companies": [], "cron_ids": []}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        companies = setup_companies(env, zones)
        policies = env["logistics.tier.policy"]
        for n, (company, zone) in enumerate(zip(companies, zones, strict=True)):
            key = f"c{n + 1}"
            people = setup_people(env, company, zone, key)
            policy = setup_policy(env, company, people, key)
            policies |= policy
            customers, contacts = setup_customers(
                env, company, zone, args.customers, rng
            )
            setup_tickets(env, company, contacts, args.tickets)
            leads = setup_leads(env, company, people, args.leads, rng)
            result["companies"].append(
                {
                    "id": company.id,
                    "name": company.name,
                    "zone": zone,
                    "policy_id": policy.id,
                    "reps": {
                        login: {"password": f"{login}-pw", "leads": leads[login]}
                        for login in people
                        if "_rep" in login
                    },
                    "contact_ids": contacts.ids,
                    "customer_ids": customers.ids,
                    "customer_count": len(customers),
                }
            )
        result["cron_ids"] = put_off_jobs(env, policies).ids
        cr.commit()
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
