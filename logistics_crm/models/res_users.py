from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _logistics_lang(self, company=None):
        """The language texts written for this user are in (activity summaries
        and notes the jobs create for them): the user's, else the company's
        (its partner's), else the current one."""
        company = company or self.env.company
        return (
            self[:1].lang or company.sudo().partner_id.lang or self.env.lang or "en_US"
        )

    def _logistics_in_lang(self, records, company=None):
        """``records`` in this user's language: ``.env._()`` and
        ``format_date(records.env, ...)`` then write for the user."""
        return records.with_context(lang=self._logistics_lang(company))
