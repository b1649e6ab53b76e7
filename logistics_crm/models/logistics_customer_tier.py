import io

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date

from ..compat import Constraint
from ..logic import bulk_copy, order_rhythm
from .const import LIFECYCLE_SELECTION, TREND_SELECTION, grade_selection


class LogisticsCustomerTier(models.Model):
    """A customer's account in one company: its tier (a partner can be A in one
    company, C in another), lifecycle, order rhythm and activity markers.

    Partners are shared between companies: whatever a company's jobs compute for
    a customer lives here, never in a global partner column. Rows are written in
    bulk by the recompute and the daily planner; managers only set overrides.
    """

    _name = "logistics.customer.tier"
    _description = "Customer Account"
    _order = "company_id, value desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    computed_tier = fields.Selection(grade_selection, readonly=True)
    forced_tier = fields.Selection(grade_selection, readonly=True)
    forced_reason = fields.Text(readonly=True)
    forced_by_id = fields.Many2one("res.users", readonly=True)
    forced_date = fields.Datetime(readonly=True)
    tier = fields.Selection(
        grade_selection,
        compute="_compute_tier",
        store=True,
        index=True,
        help="The forced tier when a manager set one, the computed tier otherwise.",
    )
    previous_tier = fields.Selection(grade_selection, readonly=True)
    tier_changed_date = fields.Datetime(readonly=True)
    value = fields.Float(readonly=True, aggregator="sum")
    trend = fields.Selection(TREND_SELECTION, readonly=True)
    trend_percent = fields.Float(string="3-Month Trend (%)", readonly=True)
    override_differs = fields.Boolean(
        string="Forced Tier Differs",
        compute="_compute_override_differs",
        store=True,
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_SELECTION, string="Lifecycle", index="btree_not_null"
    )
    last_order_date = fields.Date(readonly=True, index="btree_not_null")
    estimated_order_interval_days = fields.Integer(
        string="Estimated Order Interval (days)", readonly=True
    )
    expected_next_order_date = fields.Date(
        compute="_compute_expected_next_order_date",
        store=True,
        index="btree_not_null",
    )
    expected_next_order_manual_date = fields.Date(
        string="Hand-Set Next Order Date",
        help="Set by a rep: the expected next order date until an order is "
        "invoiced on or after it; the computed one is never written over it.",
    )
    proactive_activity_date = fields.Date(
        readonly=True,
        help="Expected order date for which a proactive contact was last planned.",
    )
    reengage_activity_date = fields.Date(readonly=True)

    # given at creation, never changed: a customer has one account per company
    _FIXED_FIELDS = ("partner_id", "company_id")

    _partner_company_uniq = Constraint(
        "unique(partner_id, company_id)",
        "A customer has one tier per company.",
    )

    @api.depends("computed_tier", "forced_tier")
    def _compute_tier(self):
        for row in self:
            row.tier = row.forced_tier or row.computed_tier

    @api.depends(
        "last_order_date",
        "estimated_order_interval_days",
        "partner_id.order_interval_days",
        "expected_next_order_manual_date",
    )
    def _compute_expected_next_order_date(self):
        for row in self:
            row.expected_next_order_date = order_rhythm.expected_next_order(
                row.last_order_date,
                row.partner_id.order_interval_days or row.estimated_order_interval_days,
                row.expected_next_order_manual_date,
            )

    @api.constrains("expected_next_order_manual_date")
    def _check_expected_next_order_manual_date(self):
        for row in self:
            manual, last = row.expected_next_order_manual_date, row.last_order_date
            if manual and last and manual <= last:
                raise ValidationError(
                    self.env._(
                        "The next order of %(customer)s is expected after its last "
                        "order (%(last)s).",
                        customer=row.partner_id.display_name,
                        last=format_date(self.env, last),
                    )
                )

    @api.model
    def _account_rows(self, partners, company, create=False):
        """{commercial partner id: row} of the partners' accounts in the company,
        creating the missing ones when `create`."""
        Row = self.sudo()
        commercial = partners.commercial_partner_id
        rows = Row.search(
            [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)]
        )
        by_partner = {row.partner_id.id: row for row in rows}
        missing = [pid for pid in commercial.ids if pid not in by_partner]
        if create and missing:
            for row in Row.create(
                [{"partner_id": pid, "company_id": company.id} for pid in missing]
            ):
                by_partner[row.partner_id.id] = row
        return by_partner

    @api.model
    def _key_account_managers(self, records, partner_field):
        """{record id: the key-account manager of its customer's account in the
        record's company} for records with a company and a customer field
        (tickets, visits)."""
        managers = {}
        for company, group in records.grouped("company_id").items():
            if not company:
                continue
            rows = self._account_rows(group[partner_field], company)
            for record in group:
                row = rows.get(record[partner_field].commercial_partner_id.id)
                if row:
                    managers[record.id] = row.key_account_manager_id
        return managers

    @api.depends("computed_tier", "forced_tier")
    def _compute_override_differs(self):
        for row in self:
            row.override_differs = bool(
                row.forced_tier and row.forced_tier != row.computed_tier
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_method_only_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_method_only_fields(vals)
        for name in self._FIXED_FIELDS:
            if name in vals and any(row[name].id != vals[name] for row in self):
                raise ValidationError(
                    self.env._(
                        "The %(field)s of a customer account cannot change: each "
                        "customer has one account per company.",
                        field=self._fields[name]._description_string(self.env),
                    )
                )
        return super().write(vals)

    def _method_only_fields(self):
        """Fields the addon's own methods write (the recompute's SQL,
        _set_forced_tier): the effective tier and the audit trail of its
        changes and overrides. A direct write (JSON-RPC, import, server action)
        would forge them. The computed tier and value stay writable (seeded
        accounts; the next recompute replaces them), within the grades."""
        return [
            "tier",
            "override_differs",
            "previous_tier",
            "tier_changed_date",
            "forced_by_id",
            "forced_date",
        ]

    def _check_method_only_fields(self, vals):
        """Refuse the fields only the addon's methods write, unless one of them
        (superuser, or the `logistics_account_method` context key) writes."""
        if self.env.su or self.env.context.get("logistics_account_method"):
            return
        written = [name for name in self._method_only_fields() if name in vals]
        if written:
            raise ValidationError(
                self.env._(
                    "Logistics CRM itself sets these fields of a customer account "
                    "(tier recompute, Force Tier, Mark as Lost, Customer Won Back); "
                    "they cannot be written directly: %(fields)s",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in written
                    ),
                )
            )

    @api.model
    def _check_grade_of_company(self, code, company):
        if code not in self.env["logistics.customer.grade"]._grade_order(company):
            raise ValidationError(
                self.env._(
                    "Grade %(grade)s is not one of the grades of %(company)s.",
                    grade=code,
                    company=company.name,
                )
            )

    @api.constrains("forced_tier", "computed_tier", "company_id")
    def _check_tier_grades(self):
        # one read of the grades per company, whatever the number of rows
        for company, rows in self.grouped("company_id").items():
            codes = set(rows.mapped("forced_tier")) | set(rows.mapped("computed_tier"))
            for code in sorted(codes - {False}):
                self._check_grade_of_company(code, company)

    @api.constrains("forced_tier", "forced_reason")
    def _check_forced_reason(self):
        for row in self:
            if row.forced_tier and not (row.forced_reason or "").strip():
                raise ValidationError(
                    _(
                        "Forcing the tier of %(partner)s needs a reason.",
                        partner=row.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Bulk writes used by the recompute (SQL: 100k rows in one statement)
    # ------------------------------------------------------------------
    @api.model
    def _current_rows(self, company):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, computed_tier, forced_tier, tier, value, trend
                  FROM logistics_customer_tier
                 WHERE company_id = %s
                """,
                company.id,
            )
        )
        return {
            pid: {
                "computed_tier": computed,
                "forced_tier": forced,
                "tier": tier,
                "value": value,
                "trend": trend,
            }
            for pid, computed, forced, tier, value, trend in self.env.cr.fetchall()
        }

    @api.model
    def _copy_to_temp_table(self, table, columns, rows):
        """Load rows into a session temp table with COPY (bulk path for 100k rows).

        The table is emptied first: recomputes may run twice in one transaction.
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TEMP TABLE IF NOT EXISTS %s (%s) ON COMMIT DELETE ROWS",
                SQL.identifier(table),
                SQL(", ".join(f"{name} {kind}" for name, kind in columns)),
            )
        )
        cr.execute(SQL("TRUNCATE %s", SQL.identifier(table)))
        cr.copy_expert(
            f"COPY {table} FROM STDIN",
            io.StringIO(bulk_copy.copy_text(rows)),
        )

    @api.model
    def _apply_computed_tiers(self, policy, values, results, source):
        """Write the rows whose computed tier or value changed, and their history.

        :return: {partner id: (previous effective tier, new effective tier)} for the
            customers whose effective tier changed
        """
        company = policy.company_id
        rows = self._current_rows(company)
        upserts = []
        history = []
        changes = {}
        for pid, result in results.items():
            value = round(values.get(pid, 0.0), 6)
            row = rows.get(pid)
            if row and row["computed_tier"] == result.tier and row["value"] == value:
                continue
            old_tier = row["tier"] if row else None
            new_tier = (row and row["forced_tier"]) or result.tier
            tier_changed = old_tier != new_tier
            upserts.append(
                (
                    pid,
                    result.tier,
                    new_tier,
                    old_tier if tier_changed else None,
                    tier_changed,
                    value,
                    row is None,
                )
            )
            if tier_changed:
                changes[pid] = (old_tier, new_tier)
                history.append(
                    (pid, old_tier, new_tier, value, result.rank, result.percentile)
                )
        if upserts:
            self._copy_to_temp_table(
                "logistics_tier_upsert",
                [
                    ("pid", "int"),
                    ("computed", "varchar"),
                    ("tier", "varchar"),
                    ("previous", "varchar"),
                    ("changed", "bool"),
                    ("value", "float8"),
                    ("is_new", "bool"),
                ],
                upserts,
            )
            params = {
                "company": company.id,
                "now": fields.Datetime.now(),
                "uid": self.env.uid,
            }
            # existing rows first (UPDATE), then the new ones (plain INSERT: cheaper
            # than ON CONFLICT for the 100k rows of a first run)
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_customer_tier t
                       SET computed_tier = v.computed,
                           tier = v.tier,
                           value = v.value,
                           previous_tier = CASE WHEN v.changed THEN v.previous
                                                ELSE t.previous_tier END,
                           tier_changed_date = CASE WHEN v.changed THEN %(now)s
                                                    ELSE t.tier_changed_date END,
                           override_differs = t.forced_tier IS NOT NULL
                               AND t.forced_tier <> v.computed,
                           write_uid = %(uid)s,
                           write_date = %(now)s
                      FROM logistics_tier_upsert v
                     WHERE NOT v.is_new
                       AND t.partner_id = v.pid
                       AND t.company_id = %(company)s
                    """,
                    **params,
                )
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO logistics_customer_tier (
                        partner_id, company_id, computed_tier, tier, previous_tier,
                        tier_changed_date, value, override_differs,
                        create_uid, create_date, write_uid, write_date)
                    SELECT v.pid, %(company)s, v.computed, v.tier, NULL,
                           %(now)s, v.value, FALSE,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM logistics_tier_upsert v
                     WHERE v.is_new
                    """,
                    **params,
                )
            )
            self._pool_init_new_rows(company)
        if history:
            self._copy_to_temp_table(
                "logistics_tier_history_new",
                [
                    ("pid", "int"),
                    ("previous", "varchar"),
                    ("new", "varchar"),
                    ("value", "float8"),
                    ("rank", "int"),
                    ("pct", "float8"),
                ],
                history,
            )
            self.env["logistics.tier.history"]._bulk_insert_from(
                "logistics_tier_history_new", company, source
            )
        self.invalidate_model()
        return changes

    @api.model
    def _write_trends(self, company, rows, new_trends):
        """Store the trend of every account of the company: the flag and the
        3-month growth (None without a base to compare), whether the flag changed
        or not, in one statement; the unchanged rows are not rewritten.

        :param new_trends: {partner id: (trend, growth)}; an account missing from
            it has neither
        :return: {partner id: (trend, growth)} newly flagged
        """
        ids, trends, percents = [], [], []
        newly_flagged = {}
        for pid, row in rows.items():
            trend, growth = new_trends.get(pid, (False, None))
            ids.append(pid)
            trends.append(trend or None)
            percents.append(round(growth, 2) if growth is not None else None)
            if trend and (row.get("trend") or False) != trend:
                newly_flagged[pid] = (trend, growth)
        if ids:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE logistics_customer_tier t
                       SET trend = v.trend, trend_percent = v.pct
                      FROM unnest(%(ids)s::int[], %(trends)s::varchar[],
                                  %(pcts)s::float8[]) AS v(pid, trend, pct)
                     WHERE t.partner_id = v.pid AND t.company_id = %(company)s
                       AND (t.trend IS DISTINCT FROM v.trend
                            OR t.trend_percent IS DISTINCT FROM v.pct)
                    """,
                    ids=ids,
                    trends=trends,
                    pcts=percents,
                    company=company.id,
                )
            )
            self.invalidate_model(["trend", "trend_percent"])
        return newly_flagged

    # ------------------------------------------------------------------
    # Overrides (managers)
    # ------------------------------------------------------------------
    def _set_forced_tier(self, forced_tier, reason):
        """Force (or, with no tier, release) the tier; history keeps the change."""
        now = fields.Datetime.now()
        history_vals = []
        if forced_tier:
            for company in self.company_id:
                self._check_grade_of_company(forced_tier, company)
        # the override's audit fields are the method's to write
        for row in self.with_context(logistics_account_method=True):
            old_tier = row.tier
            row.write(
                {
                    "forced_tier": forced_tier or False,
                    "forced_reason": reason if forced_tier else False,
                    "forced_by_id": self.env.user.id if forced_tier else False,
                    "forced_date": now if forced_tier else False,
                }
            )
            if row.tier != old_tier:
                row.sudo().write(
                    {
                        "previous_tier": old_tier,
                        "tier_changed_date": now,
                    }
                )
                history_vals.append(
                    {
                        "partner_id": row.partner_id.id,
                        "company_id": row.company_id.id,
                        "previous_tier": old_tier,
                        "new_tier": row.tier,
                        "value": row.value,
                        "source": "override",
                        "reason": reason,
                    }
                )
        if history_vals:
            self.env["logistics.tier.history"].sudo().create(history_vals)
