import uuid

from odoo import fields, models
from odoo.tools import SQL


class LogisticsTicket(models.Model):
    """Every ticket carries its portal token from the start.

    Odoo's portal mixin writes a record's token the first time a link to it is
    rendered (``_portal_ensure_token``): a write inside the portal's ticket list
    and page, which are read-only requests served on a replica. With the token
    set on creation (and back-filled on update) those pages never write.
    """

    _inherit = "logistics.ticket"

    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_ticket SET access_token = gen_random_uuid()::text"
                " WHERE access_token IS NULL"
            )
        )
        return res
