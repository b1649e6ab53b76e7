from odoo.tests import TransactionCase, tagged

from odoo.addons.logistics_crm.tests.test_field_labels import (
    FieldLabelCollisionMixin,
)

EXTENDED_MODELS = (
    "crm.lead",
    "res.partner",
    "res.company",
    "res.config.settings",
    "logistics.visit",
)


@tagged("post_install", "-at_install")
class TestLeadFieldLabels(FieldLabelCollisionMixin, TransactionCase):
    """The bridge's fields on crm.lead (and the other models it extends) are
    labelled apart from every other field there, in English and in zh_CN."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_chinese("logistics_crm_lead", EXTENDED_MODELS)

    def test_no_label_collides(self):
        self.assertEqual(self._collisions("logistics_crm_lead", EXTENDED_MODELS), [])

    def test_the_check_sees_a_collision(self):
        own = self.env["ir.model.data"].search(
            [
                ("module", "=", "logistics_crm_lead"),
                ("model", "=", "ir.model.fields"),
            ]
        )
        field = (
            self.env["ir.model.fields"]
            .browse(own.mapped("res_id"))
            .filtered(lambda f: f.model == "crm.lead")[:1]
        )
        stage = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
        field.with_context(lang="zh_CN").field_description = stage.with_context(
            lang="zh_CN"
        ).field_description
        collisions = self._collisions("logistics_crm_lead", ["crm.lead"])
        self.assertTrue(
            [c for c in collisions if c[0] == "zh_CN" and "stage_id" in c[3]]
        )
