import json

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.logistics_crm.compat import GROUPS_FIELD


def set_shares(policy, *shares):
    """Give the first grades of `policy` these shares (%), best first."""
    grades = policy.grade_ids.sorted(lambda g: (g.sequence, g.id))
    # the later grades first: the shares add up to 100 at most at every step
    for grade, share in reversed(list(zip(grades, shares, strict=False))):
        grade.share_percent = share


class LogisticsCrmCase(TransactionCase):
    """Builds its own users and customers: never relies on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.rep = new_test_user(
            cls.env,
            login="lcrm_rep",
            name="Rep Ruby",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="lcrm_manager",
            name="Manager Mia",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="lcrm_employee", name="Plain Paul", groups="base.group_user"
        )
        ServiceType = cls.env["logistics.service.type"]
        cls.service_ftl = ServiceType.create({"name": "Test FTL", "code": "T-FTL"})
        cls.service_air = ServiceType.create({"name": "Test Air", "code": "T-AIR"})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Test Shipper Inc.",
                "is_company": True,
                "customer_rank": 1,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Tess Contact", "parent_id": cls.customer.id}
        )


class LogisticsTierCase(AccountTestInvoicingCommon):
    """Real posted invoices in a company with a chart of accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.env.user.company_ids |= cls.company
        cls.env.user[GROUPS_FIELD] |= cls.env.ref(
            "logistics_crm.group_logistics_crm_manager"
        )
        cls.policy = cls.env["logistics.tier.policy"]._get_company_policy(cls.company)
        # shared prospects (e.g. demo data) would be in every company's scope
        cls.env["res.partner"].search(
            [("company_id", "=", False), ("customer_rank", ">", 0)]
        ).customer_rank = 0
        cls.rep = cls._logistics_user("lcrm_tier_rep")
        cls.manager = cls._logistics_user(
            "lcrm_tier_manager", "logistics_crm.group_logistics_crm_manager"
        )

    @classmethod
    def _logistics_user(cls, login, group="logistics_crm.group_logistics_crm_user"):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{group}",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _customers(cls, count, prefix="Customer", **vals):
        return cls.env["res.partner"].create(
            [
                {"name": f"{prefix} {i:03d}", "is_company": True, **vals}
                for i in range(count)
            ]
        )

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, move_type="out_invoice", **extra):
        company = extra.pop("company", cls.company)
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Freight",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    **extra,
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _volume(cls, partner, month, revenue=0.0, shipments=0, company=None):
        return cls.env["logistics.volume"].create(
            {
                "partner_id": partner.id,
                "date": month,
                "revenue": revenue,
                "shipment_count": shipments,
                "company_id": (company or cls.company).id,
            }
        )

    def _tier_row(self, partner, company=None):
        return self.env["logistics.customer.tier"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company).id),
            ]
        )


class LogisticsTicketCase(LogisticsCrmCase):
    """A service team on a 9-17 Monday-Friday calendar (UTC) and its SLA."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # SLA policies of other data (e.g. demo) must not match the tests' tickets
        cls.env["logistics.sla.policy"].search([]).active = False
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Test 9-17 weekdays",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.leader = new_test_user(
            cls.env,
            login="lcrm_leader",
            name="Leader Lea",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.other_rep = new_test_user(
            cls.env,
            login="lcrm_other_rep",
            name="Other Otto",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.team = cls.env["logistics.ticket.team"].create(
            {
                "name": "Test Service Desk",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set(cls.rep.ids)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.other_team = cls.env["logistics.ticket.team"].create(
            {
                "name": "Other Desk",
                "member_ids": [Command.set(cls.other_rep.ids)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.policy = cls.env["logistics.sla.policy"].create(
            {
                "name": "Test standard",
                "response_hours": 4,
                "resolution_hours": 16,
                "at_risk_percent": 25,
            }
        )
        ref = cls.env.ref
        cls.stage_new = ref("logistics_crm.logistics_ticket_stage_new")
        cls.stage_progress = ref("logistics_crm.logistics_ticket_stage_in_progress")
        cls.stage_waiting = ref("logistics_crm.logistics_ticket_stage_waiting")
        cls.stage_resolved = ref("logistics_crm.logistics_ticket_stage_resolved")
        cls.stage_closed = ref("logistics_crm.logistics_ticket_stage_closed")
        cls.type_damage = ref("logistics_crm.logistics_ticket_type_damage")
        cls.type_complaint = ref("logistics_crm.logistics_ticket_type_complaint")
        cls.type_tracking = ref("logistics_crm.logistics_ticket_type_tracking")

    @classmethod
    def _set_tier(cls, partner, tier, company=None):
        # the account may exist already (e.g. its team was set first)
        Account = cls.env["logistics.customer.tier"]
        rows = Account._account_rows(partner, company or cls.env.company, create=True)
        rows[partner.commercial_partner_id.id].computed_tier = tier
        partner.invalidate_recordset()

    @classmethod
    def _ticket(cls, **vals):
        values = {
            "name": "Where is my pallet?",
            "partner_id": cls.contact.id,
            "team_id": cls.team.id,
            "user_id": cls.rep.id,
            "type_id": cls.type_tracking.id,
            **vals,
        }
        return cls.env["logistics.ticket"].create(values)


def load_chinese(env):
    """zh_CN active, with the addon's catalogue loaded (as a Chinese company has it)."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search(
        [("name", "=", "logistics_crm")]
    )._update_translations(["zh_CN"])


def last_bus_id(env):
    """The newest bus message: the notifications sent after it are new."""
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM bus_bus")
    return env.cr.fetchone()[0]


def bus_notifications(env, user, after_id):
    """The simple_notification payloads sent to `user` after bus message
    `after_id`, oldest first."""
    payloads = []
    for row in env["bus.bus"].sudo().search([("id", ">", after_id)], order="id"):
        if json.loads(row.channel)[1:] != ["res.partner", user.partner_id.id]:
            continue
        message = json.loads(row.message)
        if message["type"] == "simple_notification":
            payloads.append(message["payload"])
    return payloads
