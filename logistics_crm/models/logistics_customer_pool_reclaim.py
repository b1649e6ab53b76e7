from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .logistics_tier_policy_cron import MORE_WORK

# a call of the nightly reclaim warns or returns at most this many accounts of
# its company, then commits and lets the runner call again (`MORE_WORK`)
RECLAIM_BATCH = 500


class LogisticsTierPolicy(models.Model):
    """The company's reclaim rules (回收规则) and the nightly reclaim job."""

    _inherit = "logistics.tier.policy"

    pool_reclaim_rule_ids = fields.One2many(
        "logistics.pool.reclaim.rule",
        "policy_id",
        string="Reclaim Rules",
        copy=True,
    )
    cron_reclaim_date = fields.Datetime(
        string="Last Scheduled Pool Reclaim", readonly=True, copy=False
    )
    cron_reclaim_day = fields.Date(
        string="Last Scheduled Pool Reclaim Day",
        readonly=True,
        copy=False,
        help="The company's local day of its last scheduled pool reclaim.",
    )
    cron_reclaim_run_id = fields.Many2one(
        "logistics.job.run",
        string="Last Pool Reclaim Run",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    pool_followups_run_id = fields.Many2one(
        "logistics.job.run",
        string="Follow-Ups Read in Run",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The pool reclaim run that last read the owners' follow-ups of the "
        "company: its later batches use them.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        Rule = self.env["logistics.pool.reclaim.rule"]
        for vals in vals_list:
            if "pool_reclaim_rule_ids" not in vals:
                vals["pool_reclaim_rule_ids"] = [
                    fields.Command.create(Rule._default_rule_values())
                ]
        return super().create(vals_list)

    @api.model
    def _cron_pool_reclaim(self):
        self._cron_run_per_company("reclaim", "_cron_pool_reclaim_company")

    def _cron_pool_reclaim_company(self, today):
        """One batch of the company's reclaim; `MORE_WORK` when accounts remain
        due (the runner commits and calls again for the same company)."""
        self.ensure_one()
        # the follow-ups are read once per run: the run's later batches (and
        # the runner's calls between them) only pick the next due accounts
        run = (
            self.env["logistics.job.run"]
            .sudo()
            .search([("job", "=", "reclaim"), ("state", "=", "running")], limit=1)
        )
        fresh = not run or self.pool_followups_run_id != run
        result = (
            self.env["logistics.customer.tier"]
            .sudo()
            ._pool_reclaim(self, today, limit=RECLAIM_BATCH, update_followups=fresh)
        )
        if run and fresh:
            self.sudo().pool_followups_run_id = run
        return result

    def _pool_reclaim_scopes(self):
        """[(rule, grade codes, whether the not-ranked customers are in it)]:
        each grade is ruled by the first active rule naming it or naming no
        grade; the grades needing a dedicated manager by none."""
        self.ensure_one()
        rules = self.pool_reclaim_rule_ids.filtered("active").sorted(
            lambda rule: (rule.sequence, rule.id)
        )
        grades = self.grade_ids.filtered(lambda grade: not grade.key_account_required)
        scopes = {}
        for grade in grades:
            rule = next(
                (r for r in rules if not r.grade_ids or grade in r.grade_ids), None
            )
            if rule:
                scopes.setdefault(rule, [[], False])[0].append(grade.code)
        unranked = next((r for r in rules if not r.grade_ids), None)
        if unranked:
            scopes.setdefault(unranked, [[], False])[1] = True
        return [
            (rule, codes, with_unranked)
            for rule, (codes, with_unranked) in scopes.items()
            if rule.unattended_days or rule.not_won_days
        ]


class LogisticsCustomerTier(models.Model):
    """The nightly reclaim of the customer pool: follow-up dates in SQL, one
    warning to the owner, then the return."""

    _inherit = "logistics.customer.tier"

    pool_warned_date = fields.Date(
        string="Owner Warned On",
        readonly=True,
        help="When the owner was last warned that the customer returns to the pool.",
    )

    def _method_only_fields(self):
        return super()._method_only_fields() + ["pool_warned_date"]

    @api.model
    def _pool_reclaim_scope_sql(self, policy, codes, with_unranked):
        """The owned accounts of the company a rule may return."""
        return SQL(
            """
            t.company_id = %(company)s AND t.owner_id IS NOT NULL
            AND t.owner_since IS NOT NULL AND NOT COALESCE(t.pool_protected, FALSE)
            AND t.key_account_manager_id IS NULL
            AND (t.tier = ANY(%(codes)s) OR (%(unranked)s AND t.tier IS NULL))
            """,
            company=policy.company_id.id,
            codes=codes,
            unranked=with_unranked,
        )

    @api.model
    def _pool_update_followups(self, policy, rule, scope, today):
        """Store the last follow-up the rule counts on each account of `scope`,
        in the company's local day, in one statement: activities done and notes
        posted by the owner on the customer or its contacts, visits the owner
        did, posted customer invoices. The reclaim's own warnings done do not
        count."""
        tz = policy.company_id._logistics_tz()
        warning_type = self.env.ref(
            "logistics_crm.mail_activity_type_pool_return", raise_if_not_found=False
        )
        sources = []
        message_kinds = []
        if rule.count_activities:
            message_kinds.append(
                SQL(
                    "(m.mail_activity_type_id IS NOT NULL "
                    "AND m.mail_activity_type_id != %s)",
                    warning_type.id if warning_type else 0,
                )
            )
        if rule.count_messages:
            message_kinds.append(
                SQL("(m.message_type = 'comment' AND m.mail_activity_type_id IS NULL)")
            )
        if message_kinds:
            sources.append(
                SQL(
                    """
                    SELECT s.id, ((MAX(m.date) AT TIME ZONE 'UTC')
                                  AT TIME ZONE %(tz)s)::date AS day
                      FROM scope s
                      JOIN res_partner c ON c.commercial_partner_id = s.partner_id
                      JOIN mail_message m
                        ON m.model = 'res.partner' AND m.res_id = c.id
                       AND m.author_id = s.owner_partner_id
                     WHERE (%(kinds)s)
                     GROUP BY s.id
                    """,
                    tz=tz,
                    kinds=SQL(" OR ").join(message_kinds),
                )
            )
        if rule.count_visits:
            sources.append(
                SQL(
                    """
                    SELECT s.id, ((MAX(COALESCE(v.done_date, v.date))
                                   AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date
                      FROM scope s
                      JOIN res_partner c ON c.commercial_partner_id = s.partner_id
                      JOIN logistics_visit v
                        ON v.partner_id = c.id AND v.state = 'done'
                       AND v.user_id = s.owner_id AND v.company_id = %(company)s
                     GROUP BY s.id
                    """,
                    tz=tz,
                    company=policy.company_id.id,
                )
            )
        if rule.count_orders:
            sources.append(
                SQL(
                    """
                    SELECT s.id, MAX(am.invoice_date)
                      FROM scope s
                      JOIN account_move am
                        ON am.commercial_partner_id = s.partner_id
                       AND am.company_id = %(company)s AND am.state = 'posted'
                       AND am.move_type = 'out_invoice'
                     GROUP BY s.id
                    """,
                    company=policy.company_id.id,
                )
            )
        followups = (
            SQL(" UNION ALL ").join(sources)
            if sources
            else SQL("SELECT NULL::int AS id, NULL::date AS day WHERE FALSE")
        )
        self.env.cr.execute(
            SQL(
                """
                WITH scope AS (
                    SELECT t.id, t.partner_id, t.owner_id,
                           u.partner_id AS owner_partner_id
                      FROM logistics_customer_tier t
                      JOIN res_users u ON u.id = t.owner_id
                     WHERE %(scope)s
                ),
                followups (id, day) AS (%(followups)s),
                latest AS (
                    SELECT s.id, MAX(f.day) FILTER (WHERE f.day <= %(today)s) AS day
                      FROM scope s LEFT JOIN followups f ON f.id = s.id
                     GROUP BY s.id
                )
                UPDATE logistics_customer_tier t
                   SET last_followup_date = latest.day
                  FROM latest
                 WHERE t.id = latest.id
                   AND t.last_followup_date IS DISTINCT FROM latest.day
                """,
                scope=scope,
                followups=followups,
                today=today,
            )
        )

    @api.model
    def _pool_due_accounts(self, policy, rule, scope, today):
        """[(account id, return day, reason, warned day)] of the accounts whose
        warning day (the return day less the rule's warning days) has come. The
        return day is the day the owner's clock runs out: the claim (or the last
        follow-up) plus the unattended days, or the claim plus the days to win
        the customer when no posted invoice came since."""
        tz = policy.company_id._logistics_tz()
        self.env.cr.execute(
            SQL(
                """
                WITH owned AS (
                    SELECT t.id, t.partner_id, t.last_followup_date,
                           t.pool_warned_date,
                           ((t.owner_since AT TIME ZONE 'UTC')
                            AT TIME ZONE %(tz)s)::date AS since
                      FROM logistics_customer_tier t
                     WHERE %(scope)s
                ),
                due AS (
                    SELECT o.id, o.pool_warned_date,
                           CASE WHEN %(unattended)s > 0
                                THEN GREATEST(o.since, o.last_followup_date)
                                     + %(unattended)s END AS unattended_day,
                           CASE WHEN %(not_won)s > 0 AND NOT EXISTS(
                                    SELECT 1 FROM account_move am
                                     WHERE am.commercial_partner_id = o.partner_id
                                       AND am.company_id = %(company)s
                                       AND am.state = 'posted'
                                       AND am.move_type = 'out_invoice'
                                       AND am.invoice_date >= o.since)
                                THEN o.since + %(not_won)s END AS not_won_day
                      FROM owned o
                )
                SELECT id, LEAST(unattended_day, not_won_day),
                       CASE WHEN not_won_day <= unattended_day
                              OR unattended_day IS NULL
                            THEN 'not_won' ELSE 'unattended' END,
                       pool_warned_date
                  FROM due
                 WHERE LEAST(unattended_day, not_won_day) - %(warn)s <= %(today)s
                 ORDER BY id
                """,
                tz=tz,
                scope=scope,
                unattended=rule.unattended_days,
                not_won=rule.not_won_days,
                company=policy.company_id.id,
                warn=rule.warn_days,
                today=today,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _pool_reclaim(self, policy, today, limit=None, update_followups=True):
        """Warn the owners whose customers return within the rules' warning days,
        and return the customers whose day has come and whose owner was warned
        early enough. A customer returns only after one warning given the rule's
        warning days before: a rule made or changed late gives the owner those
        days from its warning.

        :param limit: accounts warned or returned at most in this call
        :param update_followups: read the owners' follow-ups first (False: the
            run's earlier batch did)
        :return: `MORE_WORK` when more accounts are due than `limit`
        """
        self.env.flush_all()
        warnings, returns = [], []
        for rule, codes, with_unranked in policy._pool_reclaim_scopes():
            scope = self._pool_reclaim_scope_sql(policy, codes, with_unranked)
            if update_followups:
                self._pool_update_followups(policy, rule, scope, today)
            warn = timedelta(days=rule.warn_days)
            for account_id, day, reason, warned in self._pool_due_accounts(
                policy, rule, scope, today
            ):
                if rule.warn_days and (not warned or warned < day - warn):
                    warnings.append((account_id, max(day, today + warn), reason))
                elif today >= day and (not rule.warn_days or today >= warned + warn):
                    returns.append((account_id, rule, reason))
        self.invalidate_model(["last_followup_date"])
        more = limit and len(warnings) + len(returns) > limit
        if limit:
            warnings = warnings[:limit]
            returns = returns[: limit - len(warnings)]
        self._pool_warn_owners(policy, warnings, today)
        self._pool_return_due(returns)
        return MORE_WORK if more else None

    @api.model
    def _pool_warn_owners(self, policy, warnings, today):
        """One activity per account to its owner, in the owner's language, due
        the day the customer returns."""
        if not warnings:
            return
        accounts = self.browse([account_id for account_id, _day, _r in warnings])
        accounts.fetch(["partner_id", "owner_id"])
        accounts.partner_id.mapped("display_name")
        activity_type = self.env.ref("logistics_crm.mail_activity_type_pool_return")
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for account, (_id, day, reason) in zip(accounts, warnings, strict=True):
            env = account.owner_id._logistics_in_lang(account, policy.company_id).env
            if reason == "not_won":
                summary = env._(
                    "Not won yet: returns to the pool on %(date)s",
                    date=format_date(env, day),
                )
            else:
                summary = env._(
                    "Not followed up: returns to the pool on %(date)s",
                    date=format_date(env, day),
                )
            vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": account.partner_id.id,
                    "user_id": account.owner_id.id,
                    "summary": summary,
                    "date_deadline": day,
                }
            )
        policy._create_activities(vals_list)
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_customer_tier SET pool_warned_date = %s "
                "WHERE id = ANY(%s)",
                today,
                accounts.ids,
            )
        )
        accounts.invalidate_recordset(["pool_warned_date"])

    @api.model
    def _pool_return_due(self, returns):
        """Return the due accounts, grouped by rule and reason."""
        groups = {}
        for account_id, rule, reason in returns:
            groups.setdefault((rule, reason), []).append(account_id)
        for (rule, reason), ids in groups.items():
            if reason == "not_won":
                note = self.env._(
                    "Not won within %(days)s days (reclaim rule)",
                    days=rule.not_won_days,
                )
            else:
                note = self.env._(
                    "Not followed up for %(days)s days (reclaim rule)",
                    days=rule.unattended_days,
                )
            accounts = self.browse(ids)
            accounts._pool_return(reason, block_days=rule.block_days, note=note)
            accounts._pool_write({"pool_warned_date": False})
