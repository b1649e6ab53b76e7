from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# where a company's time zone comes from, first found wins
TZ_SOURCES = [
    ("company", "Company Contact"),
    ("calendar", "Company Working Hours"),
    ("users", "Most Users' Time Zone"),
    ("default", "UTC by Default"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_tier_policy_id = fields.Many2one(
        "logistics.tier.policy",
        string="Tier Policy",
        copy=False,
        readonly=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    logistics_claim_approval_limit = fields.Monetary(
        string="Claim Approval Limit",
        currency_field="currency_id",
        default=5000.0,
        help="Logistics CRM users approve claim settlements up to this amount (and "
        "never above the amount claimed); above it a manager approves.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    logistics_block_duplicate_customers = fields.Boolean(
        string="Block Duplicate Customers",
        help="A new customer matching an existing one of the company (same company "
        "name, credit code or phone number) is refused, on the form and on import. "
        "Unticked, it is created with a note naming the existing customer.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    logistics_ticket_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Service Ticket Sequence",
        copy=False,
        readonly=True,
        groups="base.group_system",
    )

    @api.constrains("logistics_claim_approval_limit")
    def _check_logistics_claim_approval_limit(self):
        for company in self.sudo():
            if company.logistics_claim_approval_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The claim approval limit of %(company)s cannot be negative.",
                        company=company.name,
                    )
                )

    def _logistics_tz_source(self):
        """(zone name, where it came from) of the company's clock.

        The company contact's zone; else its working calendar's; else the most
        common zone of its active internal users (the name first on a tie);
        else UTC. `_logistics_tz_sql` says the same in SQL: keep them together.
        """
        self.ensure_one()
        company = self.sudo()
        if company.partner_id.tz:
            return company.partner_id.tz, "company"
        if company.resource_calendar_id.tz:
            return company.resource_calendar_id.tz, "calendar"
        counts = (
            self.env["res.users"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("share", "=", False),
                    ("tz", "!=", False),
                ],
                groupby=["tz"],
                aggregates=["__count"],
            )
        )
        if counts:
            return min(counts, key=lambda row: (-row[1], row[0]))[0], "users"
        return "UTC", "default"

    def _logistics_tz(self):
        """The company's time zone name: its nightly jobs' clock."""
        return self._logistics_tz_source()[0]

    @api.model
    def _logistics_tz_sql(self, company):
        """The chain of `_logistics_tz_source` as an SQL expression on the
        company table alias `company` (for checks over every company in one
        query)."""
        return SQL(
            """
            COALESCE(
                (SELECT NULLIF(cp.tz, '') FROM res_partner cp
                  WHERE cp.id = %(company)s.partner_id),
                (SELECT NULLIF(rc.tz, '') FROM resource_calendar rc
                  WHERE rc.id = %(company)s.resource_calendar_id),
                (SELECT up.tz FROM res_users u
                   JOIN res_partner up ON up.id = u.partner_id
                  WHERE u.company_id = %(company)s.id AND u.active
                    AND NOT COALESCE(u.share, FALSE)
                    AND COALESCE(up.tz, '') != ''
                  GROUP BY up.tz
                  ORDER BY COUNT(*) DESC, up.tz
                  LIMIT 1),
                'UTC')
            """,
            company=SQL.identifier(company),
        )

    def _logistics_today(self):
        """Today in the company's time zone: a nightly job's "today"."""
        self.ensure_one()
        return fields.Date.context_today(self.with_context(tz=self._logistics_tz()))

    def _logistics_day_start(self):
        """The company's local midnight of today, as a naive UTC datetime: what
        counts "per day" (planner activities, pool claims) starts there."""
        self.ensure_one()
        tz = pytz.timezone(self._logistics_tz())
        local = tz.localize(datetime.combine(self._logistics_today(), time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _logistics_calendar_tz_warning(self, calendar, tz=None):
        """What to tell when `calendar` counts working hours in another zone than
        the company's (`tz` when given); else False."""
        self.ensure_one()
        tz = tz or self._logistics_tz()
        if not calendar or not calendar.tz or calendar.tz == tz:
            return False
        return self.env._(
            "The working hours %(calendar)s count in %(calendar_tz)s, the company "
            "lives in %(company_tz)s: SLA deadlines fall at %(calendar_tz)s hours.",
            calendar=calendar.name,
            calendar_tz=calendar.tz,
            company_tz=tz,
        )

    def _logistics_calendar_in_company_tz(self, calendar):
        """The same working hours in the company's zone: "<name> (<zone>)",
        copied once and then reused."""
        self.ensure_one()
        tz = self._logistics_tz()
        if calendar.tz == tz:
            return calendar
        Calendar = self.env["resource.calendar"].sudo()
        name = f"{calendar.name} ({tz})"
        existing = Calendar.search(
            [
                ("name", "=", name),
                ("tz", "=", tz),
                ("company_id", "in", [self.id, False]),
            ],
            limit=1,
        )
        if existing:
            return existing
        copy = calendar.sudo().copy({"tz": tz, "company_id": self.id})
        # copy() names it "(copy)" whatever the default says
        copy.name = name
        return copy

    def _logistics_use_calendar_in_company_tz(self):
        """Give the company working hours in its own zone."""
        for company in self:
            calendar = company.resource_calendar_id
            if calendar:
                company.resource_calendar_id = (
                    company._logistics_calendar_in_company_tz(calendar)
                )
        return True

    @api.model_create_multi
    def create(self, vals_list):
        # the company's own partner is no customer: no duplicate check (查重)
        companies = super(
            ResCompany, self.with_context(logistics_skip_duplicate_check=True)
        ).create(vals_list)
        companies = companies.with_env(self.env)
        for company in companies:
            self.env["logistics.tier.policy"]._get_company_policy(company)
            # created with the company: two first tickets cannot race to create it
            self.env["logistics.ticket"]._ticket_sequence(company)
        return companies
