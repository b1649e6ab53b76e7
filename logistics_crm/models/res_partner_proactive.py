from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..logic import cadence

# order dates kept to estimate the rhythm: the last six intervals
ORDER_RHYTHM_DATES = 7


class ResPartner(models.Model):
    """Order rhythm, proactive contacts, re-engagements and birthday greetings."""

    _inherit = "res.partner"

    proactive_activity_date = fields.Date(
        readonly=True,
        copy=False,
        help="Expected order date for which a proactive contact was last planned.",
        groups="logistics_crm.group_logistics_crm_user",
    )

    reengage_activity_date = fields.Date(
        readonly=True, copy=False, groups="logistics_crm.group_logistics_crm_user"
    )

    birthday_activity_year = fields.Integer(
        readonly=True, copy=False, groups="logistics_crm.group_logistics_crm_user"
    )

    @api.model
    def _cron_proactive_activities(self):
        self.env["logistics.tier.policy"]._cron_run_per_company(
            "cron_planner_date", "_cron_plan_company_activities"
        )

    @api.model
    def _update_order_rhythm(self, policy, today):
        """Last order date and estimated interval of every invoiced customer."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id,
                       (array_agg(DISTINCT invoice_date
                                  ORDER BY invoice_date DESC))[1:%(keep)s]
                  FROM account_move
                 WHERE company_id = %(company)s AND state = 'posted'
                   AND move_type = 'out_invoice' AND invoice_date <= %(today)s
                 GROUP BY commercial_partner_id
                """,
                keep=ORDER_RHYTHM_DATES,
                company=policy.company_id.id,
                today=today,
            )
        )
        rows = [
            (pid, dates[0], cadence.typical_order_interval(dates) or 0)
            for pid, dates in self.env.cr.fetchall()
        ]
        if not rows:
            return
        # contacts carry their company's rhythm (commercial fields): one UPDATE
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET last_order_date = r.last_date,
                       estimated_order_interval_days = r.interval_days
                  FROM unnest(%(ids)s::int[], %(dates)s::date[], %(days)s::int[])
                       AS r(id, last_date, interval_days)
                 WHERE p.commercial_partner_id = r.id
                   AND (p.last_order_date IS DISTINCT FROM r.last_date
                        OR p.estimated_order_interval_days
                           IS DISTINCT FROM r.interval_days)
                RETURNING p.id
                """,
                ids=[row[0] for row in rows],
                dates=[row[1] for row in rows],
                days=[row[2] for row in rows],
            )
        )
        changed = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.invalidate_model(["last_order_date", "estimated_order_interval_days"])
        # keep the stored expected date in step with what SQL wrote
        self.env.add_to_compute(self._fields["expected_next_order_date"], changed)
        self.env.flush_all()

    def _account_owner(self, policy):
        """Who acts for this customer: its key-account manager, else the policy's
        responsible."""
        return (
            self.commercial_partner_id.key_account_manager_id
            or policy.responsible_user_id
        )

    @api.model
    def _plan_proactive_contacts(self, policy, today):
        horizon = today + timedelta(days=policy.proactive_notice_days)
        customers = self.search(
            [
                ("is_company", "=", True),
                ("company_id", "in", [policy.company_id.id, False]),
                ("expected_next_order_date", "!=", False),
                ("expected_next_order_date", "<=", horizon),
                ("expected_next_order_date", ">=", today - timedelta(days=30)),
            ]
        ).filtered(
            lambda p: p.proactive_activity_date != p.expected_next_order_date
            and p.last_order_date < p.expected_next_order_date
        )
        activity_type = self.env.ref("logistics_crm.mail_activity_type_proactive")
        self._create_customer_activities(
            policy,
            customers,
            activity_type,
            lambda p: p.env._(
                "Next order expected on %(date)s: call before the customer runs out",
                date=format_date(p.env, p.expected_next_order_date),
            ),
        )
        for customer in customers:
            customer.proactive_activity_date = customer.expected_next_order_date

    @api.model
    def _plan_reengagements(self, policy, today):
        cutoff = today - relativedelta(months=policy.reengage_months)
        customers = self.search(
            [
                ("is_company", "=", True),
                ("company_id", "in", [policy.company_id.id, False]),
                ("last_order_date", "!=", False),
                ("last_order_date", "<=", cutoff),
            ]
        ).filtered(
            lambda p: not p.reengage_activity_date
            or p.reengage_activity_date < p.last_order_date
        )
        activity_type = self.env.ref("logistics_crm.mail_activity_type_reengage")
        self._create_customer_activities(
            policy,
            customers,
            activity_type,
            lambda p: p.env._(
                "No order since %(date)s: re-engage the customer",
                date=format_date(p.env, p.last_order_date),
            ),
        )
        customers.write({"reengage_activity_date": today})

    @api.model
    def _plan_birthday_greetings(self, policy, today):
        horizon = today + timedelta(days=policy.birthday_notice_days)
        contacts = self.search(
            [
                ("is_company", "=", False),
                ("birthday", "!=", False),
                ("company_id", "in", [policy.company_id.id, False]),
            ]
        )
        due = self.browse()
        for contact in contacts:
            upcoming = cadence.next_birthday(contact.birthday, today)
            if upcoming <= horizon and contact.birthday_activity_year != upcoming.year:
                due |= contact
        activity_type = self.env.ref("logistics_crm.mail_activity_type_birthday")
        self._create_customer_activities(
            policy,
            due,
            activity_type,
            lambda p: p.env._(
                "Birthday of %(name)s on %(date)s: send greetings",
                name=p.name,
                date=format_date(p.env, cadence.next_birthday(p.birthday, today)),
            ),
        )
        for contact in due:
            contact.birthday_activity_year = cadence.next_birthday(
                contact.birthday, today
            ).year

    @api.model
    def _create_customer_activities(self, policy, partners, activity_type, summary):
        """``summary(partner)`` is rendered in the language of the activity's user."""
        vals = []
        for partner in partners:
            user = partner._account_owner(policy)
            if user:
                text = summary(partner.with_context(lang=user.lang))
                vals.append(policy._alert_vals(activity_type, partner, user, text))
        if vals:
            self.env["mail.activity"].sudo().create(vals)
