from odoo.tests import TransactionCase, new_test_user


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
