import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from odoo.addons.logistics_crm.compat import notify_progress

_logger = logging.getLogger(__name__)

# opportunities opened per cron call; Odoo's runner calls again while some remain
RENEWAL_CRON_BATCH = 200
SALES = "sales_team.group_sale_salesman"
PROVIDER_FIELDS = ("logistics_current_provider", "logistics_provider_contract_end")


class CrmLead(models.Model):
    """Renewal watch: the current provider's contract of a target account is
    about to end, so an opportunity opens for its salesperson in time."""

    _inherit = "crm.lead"

    logistics_renewal_contract_end = fields.Date(
        string="Renewal of Contract Ending",
        readonly=True,
        copy=False,
        help="Opened by the renewal watch for the provider contract ending on this "
        "date.",
        groups=SALES,
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._logistics_keep_provider_on_partner()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in PROVIDER_FIELDS + ("partner_id",)):
            self._logistics_keep_provider_on_partner()
        return result

    def _merge_get_fields(self):
        # a merged renewal keeps its contract end: the watch does not reopen it
        return super()._merge_get_fields() + [
            "logistics_renewal_contract_end",
            *PROVIDER_FIELDS,
        ]

    def _logistics_keep_provider_on_partner(self):
        """The provider and its contract end are what the lead's company knows of
        the prospect: kept on the prospect for that company (also after the lead
        is lost), unless the prospect already has a later contract end there."""
        for lead in self:
            end = lead.logistics_provider_contract_end
            partner = lead.partner_id.commercial_partner_id
            if (
                not (partner.is_company and end)
                or end == lead.logistics_renewal_contract_end
                or lead.stage_id.is_won
            ):
                continue
            partner = partner.sudo().with_company(lead.company_id or self.env.company)
            known = partner.logistics_provider_contract_end
            if known and known >= end:
                continue
            partner.write(
                {
                    "logistics_provider_contract_end": end,
                    "logistics_current_provider": lead.logistics_current_provider
                    or partner.logistics_current_provider,
                }
            )

    @api.model
    def _renewal_watch_due(self, company, today, limit):
        """Target accounts of the company whose provider contract ends within
        its window, with no open lead or opportunity of the company and none
        opened yet for this contract end.

        :return: list of (partner id, contract end)
        """
        Partner = self.env["res.partner"].with_company(company)
        end = Partner._field_to_sql("p", "logistics_provider_contract_end")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, %(end)s
                  FROM res_partner p
                 WHERE p.active AND p.is_company
                   AND %(target_year)s >= %(year)s
                   AND %(end)s BETWEEN %(today)s AND %(until)s
                   AND (p.company_id IS NULL OR p.company_id = ANY(%(companies)s))
                   AND NOT EXISTS (
                       SELECT 1 FROM crm_lead l
                         JOIN res_partner lp ON lp.id = l.partner_id
                         LEFT JOIN crm_stage s ON s.id = l.stage_id
                        WHERE lp.commercial_partner_id = p.id
                          AND (l.company_id IS NULL OR l.company_id = %(company)s)
                          AND (l.logistics_renewal_contract_end = %(end)s
                               OR (l.active AND s.is_won IS NOT TRUE)))
                 ORDER BY 2, p.id
                 LIMIT %(limit)s
                """,
                end=end,
                target_year=Partner._field_to_sql("p", "logistics_target_year"),
                year=today.year,
                today=today,
                until=today + timedelta(days=company.logistics_renewal_watch_days),
                # a branch sees the partners of its parent companies
                companies=company.parent_ids.ids,
                company=company.id,
                limit=limit,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _cron_renewal_watch(self):
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("logistics_renewal_watch_days", ">", 0)], order="id")
        )
        opened = self.browse()
        more = False
        for company in companies:
            room = RENEWAL_CRON_BATCH - len(opened)
            today = company._logistics_today()
            due = self._renewal_watch_due(company, today, room + 1)
            more = len(due) > room
            opened |= self.with_company(company)._open_renewal_opportunities(
                company, due[:room], today
            )
            if more:
                break
        notify_progress(self.env, len(opened), 1 if more else 0)
        return opened

    @api.model
    def _renewal_texts(self, env, partner, provider, end):
        """(name, description) of a renewal opportunity, in env's language."""
        values = {
            "account": partner.name,
            "provider": provider,
            "date": format_date(env, end),
        }
        if provider:
            return (
                env._("%(account)s: %(provider)s contract ends %(date)s", **values),
                env._(
                    "Opened by the renewal watch: %(account)s is a target account "
                    "and its contract with %(provider)s ends on %(date)s.",
                    **values,
                ),
            )
        return (
            env._("%(account)s: provider contract ends %(date)s", **values),
            env._(
                "Opened by the renewal watch: %(account)s is a target account and "
                "its provider contract ends on %(date)s.",
                **values,
            ),
        )

    @api.model
    def _open_renewal_opportunities(self, company, due, today):
        """One opportunity per (partner id, contract end), for the account's
        salesperson when they work in the company, with a call before the end."""
        if not due:
            return self.browse()
        partners = (
            self.env["res.partner"]
            .with_company(company)
            .browse([row[0] for row in due])
        )
        vals_list = []
        for partner, (_partner_id, end) in zip(partners, due, strict=True):
            user = partner.user_id
            if not user.active or user.share or company not in user.company_ids:
                user = self.env["res.users"]
            env = user._logistics_in_lang(self, company).env
            provider = partner.logistics_current_provider
            name, note = self._renewal_texts(env, partner, provider, end)
            vals_list.append(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "user_id": user.id,
                    "logistics_current_provider": provider,
                    "logistics_provider_contract_end": end,
                    "logistics_renewal_contract_end": end,
                    "date_deadline": end,
                    "description": Markup("<p>%s</p>") % note,
                }
            )
        leads = self.create(vals_list)
        call = self.env.ref("mail.mail_activity_data_call")
        lead_model = self.env["ir.model"]._get_id("crm.lead")
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": lead_model,
                    "res_id": lead.id,
                    "activity_type_id": call.id,
                    "summary": lead.user_id._logistics_in_lang(
                        lead, lead.company_id
                    ).env._("Call before the provider contract ends"),
                    "date_deadline": max(
                        today, lead.logistics_renewal_contract_end - timedelta(days=30)
                    ),
                    "user_id": lead.user_id.id,
                }
                for lead in leads
                if lead.user_id
            ]
        )
        _logger.info(
            "Logistics CRM: renewal watch opened %s opportunities in company %s",
            len(leads),
            company.id,
        )
        return leads
