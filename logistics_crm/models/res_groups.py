from odoo import Command, api, models

from .. import compat


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model
    def _logistics_crm_place_groups(self, category_xmlid, group_xmlids, members):
        """Called from security/logistics_crm_groups.xml: the fields that place a
        group in its section and list its users differ between Odoo versions."""
        compat.place_groups(self.env, category_xmlid, group_xmlids, members)

    @api.model
    def _logistics_crm_set_groups(self, record_xmlid, group_xmlids):
        """Called from data files: gives a user, or restricts an action to, these
        groups (the field is ``groups_id`` in Odoo 18.0, ``group_ids`` in 19.0)."""
        groups = [self.env.ref(xmlid).id for xmlid in group_xmlids]
        self.env.ref(record_xmlid).write({compat.GROUPS_FIELD: [Command.set(groups)]})
