from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


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
        cls.env.user.groups_id |= cls.env.ref(
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
