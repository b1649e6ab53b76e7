from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..logic import cadence
from .invoice_sql import posted_customer_invoices

# order dates kept to estimate the rhythm: the last six intervals
ORDER_RHYTHM_DATES = 7


class ResPartner(models.Model):
    """Order rhythm, proactive contacts, re-engagements and birthday greetings."""

    _inherit = "res.partner"

    # a contact shared by several companies is greeted by each: one year per company
    birthday_activity_year = fields.Integer(
        company_dependent=True,
        readonly=True,
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )

    def init(self):
        result = super().init()
        # the birthday planner selects contacts by month-day, whatever the year
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS res_partner_birthday_month_day_index
                ON res_partner (((EXTRACT(MONTH FROM birthday) * 100
                                  + EXTRACT(DAY FROM birthday))::int))
             WHERE birthday IS NOT NULL
            """
        )
        return result

    @api.model
    def _cron_proactive_activities(self):
        self.env["logistics.tier.policy"]._cron_run_per_company(
            "planner", "_cron_plan_company_activities"
        )

    @api.model
    def _update_order_rhythm(self, policy, today):
        """Last order date and estimated interval of every invoiced customer."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       (array_agg(DISTINCT m.invoice_date
                                  ORDER BY m.invoice_date DESC))[1:%(keep)s]
                  FROM account_move m
                 WHERE %(invoices)s AND m.invoice_date <= %(today)s
                 GROUP BY m.commercial_partner_id
                """,
                keep=ORDER_RHYTHM_DATES,
                invoices=posted_customer_invoices(policy.company_id.id, refunds=False),
                today=today,
            )
        )
        rows = [
            (pid, dates[0], cadence.typical_order_interval(dates) or 0)
            for pid, dates in self.env.cr.fetchall()
        ]
        if not rows:
            return
        # a last order date set by hand is never lowered by an earlier invoice,
        # and an expected date set by hand wins while it is ahead of it (as
        # order_rhythm.expected_next_order); the interval is the inserted row's
        last = SQL("GREATEST(t.last_order_date, EXCLUDED.last_order_date)")
        expected = SQL(
            """
            CASE WHEN t.expected_next_order_manual_date > %(last)s
                 THEN t.expected_next_order_manual_date
                 ELSE %(last)s + (EXCLUDED.expected_next_order_date
                                  - EXCLUDED.last_order_date)
            END
            """,
            last=last,
        )
        # the company's accounts of these customers, created where missing
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_customer_tier AS t (
                    partner_id, company_id, last_order_date,
                    estimated_order_interval_days, expected_next_order_date,
                    create_uid, create_date, write_uid, write_date)
                SELECT r.id, %(company)s, r.last_date, r.interval_days,
                       -- as order_rhythm.expected_next_order_date: the typical
                       -- interval wins over the estimate, none without either
                       r.last_date + NULLIF(GREATEST(COALESCE(
                           NULLIF(p.order_interval_days, 0), r.interval_days), 0), 0),
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(dates)s::date[], %(days)s::int[])
                       AS r(id, last_date, interval_days)
                  JOIN res_partner p ON p.id = r.id
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET last_order_date = %(last)s,
                       estimated_order_interval_days
                           = EXCLUDED.estimated_order_interval_days,
                       expected_next_order_date = %(expected)s,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                 WHERE t.last_order_date IS DISTINCT FROM %(last)s
                    OR t.estimated_order_interval_days
                       IS DISTINCT FROM EXCLUDED.estimated_order_interval_days
                    OR t.expected_next_order_date IS DISTINCT FROM %(expected)s
                """,
                last=last,
                expected=expected,
                ids=[row[0] for row in rows],
                dates=[row[1] for row in rows],
                days=[row[2] for row in rows],
                company=policy.company_id.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        # the stored expected date was written with them, in SQL
        self.env["logistics.customer.tier"].invalidate_model()
        self.env["logistics.customer.tier"]._pool_init_new_rows(policy.company_id)

    def _account_owner(self, policy):
        """Who acts for this customer: its key-account manager, else the policy's
        responsible."""
        customer = self.with_company(policy.company_id).commercial_partner_id
        return customer.key_account_manager_id or policy.responsible_user_id

    @api.model
    def _due_accounts(self, policy, condition, **params):
        """The company's accounts of active customers matching an SQL condition
        on the account row `t` (indexed date comparisons, no partner loaded)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id
                  FROM logistics_customer_tier t
                  JOIN res_partner p ON p.id = t.partner_id
                 WHERE t.company_id = %(company)s
                   AND p.active AND p.is_company
                   AND (p.company_id IS NULL OR p.company_id = %(company)s)
                   AND %(condition)s
                """,
                company=policy.company_id.id,
                condition=SQL(condition, **params),
            )
        )
        return self.env["logistics.customer.tier"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    @api.model
    def _plan_proactive_contacts(self, policy, today):
        """One call per expected order still ahead: an order already late is the
        re-engage and at-risk path's, not a call "before the customer runs out"."""
        accounts = self._due_accounts(
            policy,
            "t.expected_next_order_date BETWEEN %(since)s AND %(horizon)s "
            "AND t.last_order_date < t.expected_next_order_date "
            "AND t.proactive_activity_date IS DISTINCT FROM t.expected_next_order_date "
            "AND (t.tier IS NULL OR t.tier = ANY(%(tiers)s))",
            since=today,
            horizon=today + timedelta(days=policy.proactive_notice_days),
            tiers=policy._proactive_tiers(),
        )
        expected = {row.partner_id.id: row.expected_next_order_date for row in accounts}
        activity_type = self.env.ref("logistics_crm.mail_activity_type_proactive")
        self._create_customer_activities(
            policy,
            accounts.partner_id,
            activity_type,
            lambda p: p.env._(
                "Next order expected on %(date)s: call before the customer runs out",
                date=format_date(p.env, expected[p.id]),
            ),
        )
        # one write per expected date, not per account
        for expected_date, rows in accounts.grouped("expected_next_order_date").items():
            rows.write({"proactive_activity_date": expected_date})

    @api.model
    def _plan_reengagements(self, policy, today):
        accounts = self._due_accounts(
            policy,
            "t.last_order_date <= %(cutoff)s AND (t.reengage_activity_date IS NULL "
            "OR t.reengage_activity_date < t.last_order_date) "
            "AND (t.tier IS NULL OR t.tier = ANY(%(tiers)s))",
            cutoff=today - relativedelta(months=policy.reengage_months),
            tiers=policy._proactive_tiers(),
        )
        last_orders = {row.partner_id.id: row.last_order_date for row in accounts}
        activity_type = self.env.ref("logistics_crm.mail_activity_type_reengage")
        self._create_customer_activities(
            policy,
            accounts.partner_id,
            activity_type,
            lambda p: p.env._(
                "No order since %(date)s: re-engage the customer",
                date=format_date(p.env, last_orders[p.id]),
            ),
        )
        accounts.write({"reengage_activity_date": today})

    @api.model
    def _plan_birthday_greetings(self, policy, today):
        horizon = today + timedelta(days=policy.birthday_notice_days)
        self.env.flush_all()
        # an expression index on the birthday's month-day serves this query
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE active AND NOT is_company AND birthday IS NOT NULL
                   AND (company_id IS NULL OR company_id = %(company)s)
                   AND (EXTRACT(MONTH FROM birthday) * 100
                        + EXTRACT(DAY FROM birthday))::int = ANY(%(month_days)s)
                """,
                company=policy.company_id.id,
                month_days=cadence.birthday_month_days(today, horizon),
            )
        )
        # birthday_activity_year is the job's company's (company_dependent)
        contacts = self.with_company(policy.company_id).browse(
            [row[0] for row in self.env.cr.fetchall()]
        )
        due_years = {}
        for contact in contacts:
            upcoming = cadence.next_birthday(contact.birthday, today)
            if upcoming <= horizon and contact.birthday_activity_year != upcoming.year:
                due_years[contact] = upcoming
        due = contacts.browse([contact.id for contact in due_years])
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
        by_year = {}
        for contact, upcoming in due_years.items():
            by_year.setdefault(upcoming.year, contacts.browse())
            by_year[upcoming.year] |= contact
        for year, greeted in by_year.items():
            greeted.write({"birthday_activity_year": year})

    @api.model
    def _create_customer_activities(
        self, policy, partners, activity_type, summary, note=None
    ):
        """``summary(partner)`` (and ``note(partner)``, when given) are rendered in
        the language of the activity's user.

        A user gets at most the policy's number of planner activities a day, key
        customers first; the others are listed in one digest activity of the day.
        """
        vals = []
        tiers = {}
        # the company's account teams and tiers, read for all the partners at once
        for partner in partners.with_company(policy.company_id):
            user = partner._account_owner(policy)
            if user:
                localised = user._logistics_in_lang(partner, policy.company_id)
                text = summary(localised)
                vals.append(policy._alert_vals(activity_type, partner, user, text))
                if note:
                    vals[-1]["note"] = note(localised)
                tiers[partner.id] = partner.commercial_partner_id.tier
        order = policy._grade_order()
        vals.sort(key=lambda v: order.get(tiers[v["res_id"]], len(order)))
        individual, overflow = policy._split_by_daily_limit(vals)
        policy._create_activities(individual)
        if overflow:
            policy._add_to_planner_digests(overflow)
