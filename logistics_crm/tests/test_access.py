from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install")
class TestAccess(LogisticsCrmCase):
    def test_plain_employee_cannot_write_configuration(self):
        ServiceType = self.env["logistics.service.type"].with_user(self.employee)
        with self.assertRaises(AccessError):
            ServiceType.create({"name": "Smuggled service"})
        with self.assertRaises(AccessError):
            self.service_ftl.with_user(self.employee).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.service_ftl.with_user(self.employee).unlink()
        # reading the list is harmless and keeps partner forms working
        self.assertTrue(ServiceType.search([("id", "=", self.service_ftl.id)]))

    def test_rep_cannot_write_configuration(self):
        with self.assertRaises(AccessError):
            self.env["logistics.service.type"].with_user(self.rep).create(
                {"name": "Rep service"}
            )
        with self.assertRaises(AccessError):
            self.service_ftl.with_user(self.rep).write({"name": "Renamed"})

    def test_rep_can_edit_profiles_and_lanes(self):
        customer = self.customer.with_user(self.rep)
        customer.write({"customer_size": "large", "order_interval_days": 5})
        self.assertEqual(self.customer.customer_size, "large")
        lane = (
            self.env["logistics.partner.lane"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "origin": "Tianjin",
                    "destination": "Moscow",
                    "service_type_id": self.service_ftl.id,
                }
            )
        )
        self.assertEqual(lane.display_name, "Tianjin → Moscow")
        lane.unlink()

    def test_plain_employee_cannot_write_lanes(self):
        with self.assertRaises(AccessError):
            self.env["logistics.partner.lane"].with_user(self.employee).create(
                {"partner_id": self.customer.id, "origin": "A", "destination": "B"}
            )

    def test_manager_can_edit_service_types(self):
        service = (
            self.env["logistics.service.type"]
            .with_user(self.manager)
            .create({"name": "Cold chain", "code": "COLD"})
        )
        service.write({"name": "Cold Chain"})
        self.assertEqual(service.name, "Cold Chain")
        service.unlink()
        self.assertFalse(service.exists())

    def test_service_types_of_other_company_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Logistics Co"})
        foreign = self.env["logistics.service.type"].create(
            {"name": "Foreign only", "company_id": other_company.id}
        )
        shared = self.service_ftl
        visible = (
            self.env["logistics.service.type"]
            .with_user(self.rep)
            .search([("id", "in", (foreign | shared).ids)])
        )
        self.assertEqual(visible, shared)
