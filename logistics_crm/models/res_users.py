from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        # a user's own partner is no customer: no duplicate check (查重) for it
        return super(
            ResUsers, self.with_context(logistics_skip_duplicate_check=True)
        ).create(vals_list)

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
