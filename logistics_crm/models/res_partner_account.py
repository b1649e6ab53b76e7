from collections.abc import Collection

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..compat import (
    SEARCH_WITHOUT_RULES,
    check_field_access,
    read_group_groupby_args,
    search_operands,
)
from ..logic import order_rhythm
from .const import (
    ACCOUNT_ROLE_FIELDS,
    LIFECYCLE_SELECTION,
    TREND_SELECTION,
    grade_selection,
)

# partner field -> column of the account row, read in one query per batch
ACCOUNT_FIELD_COLUMNS = {
    "tier": "tier",
    "computed_tier": "computed_tier",
    "forced_tier": "forced_tier",
    "forced_tier_reason": "forced_reason",
    "tier_value": "value",
    "tier_trend": "trend",
    "tier_override_differs": "override_differs",
    "lifecycle_stage": "lifecycle_stage",
    "last_order_date": "last_order_date",
    "estimated_order_interval_days": "estimated_order_interval_days",
    "proactive_activity_date": "proactive_activity_date",
    "reengage_activity_date": "reengage_activity_date",
    "expected_next_order_manual_date": "expected_next_order_manual_date",
    "key_account_manager_id": "key_account_manager_id",
    "backup_manager_id": "backup_manager_id",
    "executive_sponsor_id": "executive_sponsor_id",
    "payment_avg_days": "payment_avg_days",
    "payment_avg_days_late": "payment_avg_days_late",
    "overdue_amount": "overdue_amount",
    "credit_rating": "credit_rating",
    "health_score": "health_score",
    "health_status": "health_status",
    "health_trend_score": "health_trend_score",
    "health_service_score": "health_service_score",
    "health_satisfaction_score": "health_satisfaction_score",
    "health_visits_score": "health_visits_score",
    "health_payment_score": "health_payment_score",
    "health_survey_score": "health_survey_score",
    "survey_date": "survey_date",
    "survey_score": "survey_score",
    "account_owner_id": "owner_id",
    "pool_protected": "pool_protected",
    "pool_date": "pool_date",
    "pool_reason": "pool_reason",
    "pool_previous_owner_id": "previous_owner_id",
    "pool_claim_blocked_until": "claim_blocked_until",
    "last_followup_date": "last_followup_date",
}

# partner fields computed from the account fields above
ACCOUNT_DEPENDENT_FIELDS = ("in_customer_pool", "expected_next_order_date")

# What only the account's team (owner, key-account, backup manager, sponsor)
# and the managers read: a rep sees the grade and the profile of another rep's
# or a pool customer, never its figures.
PRIVATE_ACCOUNT_FIELDS = (
    "tier_value",
    "tier_trend",
    "forced_tier_reason",
    "payment_avg_days",
    "payment_avg_days_late",
    "overdue_amount",
    "credit_rating",
    "health_score",
    "health_status",
    "health_trend_score",
    "health_service_score",
    "health_satisfaction_score",
    "health_visits_score",
    "health_payment_score",
    "health_survey_score",
    "survey_date",
    "survey_score",
)
TEAM_COLUMNS = (
    "owner_id",
    "key_account_manager_id",
    "backup_manager_id",
    "executive_sponsor_id",
)


class ResPartner(models.Model):
    """The customer's account in the current company: tier and account team."""

    _inherit = "res.partner"

    # The account team is the current company's (see logistics.customer.tier):
    # setting it here writes that company's account of the customer.
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        compute="_compute_account_fields",
        inverse="_inverse_key_account_manager_id",
        search="_search_key_account_manager_id",
        domain="[('share', '=', False), ('company_ids', 'in', current_company_id)]",
        groups="logistics_crm.group_logistics_crm_user",
    )
    backup_manager_id = fields.Many2one(
        "res.users",
        compute="_compute_account_fields",
        inverse="_inverse_backup_manager_id",
        search="_search_backup_manager_id",
        domain="[('share', '=', False), ('company_ids', 'in', current_company_id)]",
        groups="logistics_crm.group_logistics_crm_user",
    )
    executive_sponsor_id = fields.Many2one(
        "res.users",
        compute="_compute_account_fields",
        inverse="_inverse_executive_sponsor_id",
        search="_search_executive_sponsor_id",
        domain="[('share', '=', False), ('company_ids', 'in', current_company_id)]",
        help="The leader who visits this customer on the executive cadence.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    current_company_id = fields.Many2one(
        "res.company",
        compute="_compute_current_company_id",
        groups="logistics_crm.group_logistics_crm_user",
    )
    account_assignment_ids = fields.One2many(
        "logistics.account.assignment",
        "partner_id",
        string="Assignment History",
        groups="logistics_crm.group_logistics_crm_user",
    )

    # Tiers are per company: the fields below show the tier in the company the
    # user works in (env.company), read from logistics.customer.tier in one query.
    # searching customers by their account (grade, lifecycle, pool)
    # reads the rows without the rules, which show a rep only their own accounts
    customer_tier_ids = fields.One2many(
        "logistics.customer.tier",
        "partner_id",
        string="Tiers per Company",
        groups="logistics_crm.group_logistics_crm_user",
        **SEARCH_WITHOUT_RULES,
    )

    tier_history_ids = fields.One2many(
        "logistics.tier.history",
        "partner_id",
        groups="logistics_crm.group_logistics_crm_user",
    )

    tier = fields.Selection(
        grade_selection,
        compute="_compute_account_fields",
        search="_search_tier",
        help="ABC tier in the current company: the forced tier when a manager "
        "set one, the computed tier otherwise.",
        groups="logistics_crm.group_logistics_crm_user",
    )

    computed_tier = fields.Selection(
        grade_selection,
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    forced_tier = fields.Selection(
        grade_selection,
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    forced_tier_reason = fields.Text(
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    tier_value = fields.Float(
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    tier_trend = fields.Selection(
        TREND_SELECTION,
        compute="_compute_account_fields",
        search="_search_tier_trend",
        groups="logistics_crm.group_logistics_crm_user",
    )

    tier_override_differs = fields.Boolean(
        string="Forced Tier Differs",
        compute="_compute_account_fields",
        search="_search_tier_override_differs",
        groups="logistics_crm.group_logistics_crm_user",
    )

    # The lifecycle, order rhythm and activity markers are the current company's
    # too: each company's jobs compute them from its own invoices.
    lifecycle_stage = fields.Selection(
        LIFECYCLE_SELECTION,
        string="Lifecycle",
        compute="_compute_account_fields",
        inverse="_inverse_lifecycle_stage",
        search="_search_lifecycle_stage",
        groups="logistics_crm.group_logistics_crm_user",
    )
    last_order_date = fields.Date(
        compute="_compute_account_fields",
        inverse="_inverse_last_order_date",
        search="_search_last_order_date",
        groups="logistics_crm.group_logistics_crm_user",
    )
    estimated_order_interval_days = fields.Integer(
        string="Estimated Order Interval (days)",
        compute="_compute_account_fields",
        help="Median of the last intervals between the customer's invoices; the "
        "typical order interval, when filled, wins.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    expected_next_order_date = fields.Date(
        compute="_compute_expected_next_order_date",
        inverse="_inverse_expected_next_order_date",
        search="_search_expected_next_order_date",
        help="Last order date plus the typical order interval: call before it. "
        "A date set here is kept (the computed one never replaces it) until an "
        "order is invoiced on or after it; clear it to go back to the computed one.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    expected_next_order_manual_date = fields.Date(
        string="Hand-Set Next Order Date",
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    proactive_activity_date = fields.Date(
        compute="_compute_account_fields",
        help="Expected order date for which a proactive contact was last planned.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    reengage_activity_date = fields.Date(
        compute="_compute_account_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def _logistics_reads_every_account(self):
        """Managers (and jobs, as superuser) read every account's figures; a rep
        only those of the accounts whose team they are on."""
        return self.env.su or self.env.user.has_group(
            "logistics_crm.group_logistics_crm_manager"
        )

    @api.depends_context("company")
    def _compute_current_company_id(self):
        self.current_company_id = self.env.company

    # One inverse per field: fields computed together are protected together
    # during a write, so an inverse may only read the field it writes back.
    def _inverse_key_account_manager_id(self):
        self._write_current_account("key_account_manager_id")

    def _inverse_backup_manager_id(self):
        self._write_current_account("backup_manager_id")

    def _inverse_executive_sponsor_id(self):
        self._write_current_account("executive_sponsor_id")

    def _inverse_lifecycle_stage(self):
        self._write_current_account("lifecycle_stage")

    def _inverse_last_order_date(self):
        self._write_current_account("last_order_date")

    def _inverse_expected_next_order_date(self):
        """A date set by hand is the account's hand-set date; the computed one
        (or an empty one) clears it."""
        customers = self.filtered(lambda p: p == p.commercial_partner_id)
        if not customers:
            return
        rows = self.env["logistics.customer.tier"]._account_rows(
            customers, self.env.company, create=True
        )
        for partner in customers:
            row = rows[partner.id]
            wanted = partner.expected_next_order_date or False
            computed = order_rhythm.expected_next_order_date(
                row.last_order_date,
                partner.order_interval_days or row.estimated_order_interval_days,
            )
            manual = wanted if wanted != computed else False
            if row.expected_next_order_manual_date != manual:
                row.sudo().expected_next_order_manual_date = manual
        # an emptied date shows the computed one again
        customers.invalidate_recordset(
            ["expected_next_order_date", "expected_next_order_manual_date"]
        )

    def write(self, vals):
        result = super().write(vals)
        if not ACCOUNT_FIELD_COLUMNS.keys().isdisjoint(vals):
            # 19.0 computes the account's other fields before the inverse writes
            # the account (a new key-account manager becomes its owner) and keeps
            # them: read them again from the account
            self.invalidate_recordset(
                [
                    name
                    for name in (*ACCOUNT_FIELD_COLUMNS, *ACCOUNT_DEPENDENT_FIELDS)
                    if name not in vals
                ]
            )
        return result

    def _write_current_account(self, field_name):
        """Write a value set on customers into their account in the current
        company (created when missing); contacts show their company's account
        and write nothing."""
        customers = self.filtered(lambda p: p == p.commercial_partner_id)
        if not customers:
            return
        rows = self.env["logistics.customer.tier"]._account_rows(
            customers, self.env.company, create=True
        )
        if field_name in ACCOUNT_ROLE_FIELDS:
            self._logistics_check_team_change(rows.values())
        field = self._fields[field_name]
        by_value = {}
        for partner in customers:
            value = field.convert_to_write(partner[field_name], partner)
            if field.convert_to_write(rows[partner.id][field_name], partner) != value:
                by_value.setdefault(value, []).append(rows[partner.id].id)
        Account = self.env["logistics.customer.tier"].sudo()
        for value, row_ids in by_value.items():
            Account.browse(row_ids).write({field_name: value})
        # the fields computed with this one may have been read before the row
        # existed (Odoo 19's partner write reads the old values first): the
        # write protects them from the new row's invalidation, so drop them here
        customers.invalidate_recordset(
            [
                computed.name
                for computed in self.pool.field_computed.get(field, [field])
                if computed.name != field_name
            ]
        )

    def _logistics_check_team_change(self, rows):
        """A rep changes the team of the accounts they own or manage only: a
        pool customer is claimed, another rep's is handed over by a manager."""
        if self._logistics_reads_every_account():
            return
        user = self.env.user
        for row in rows:
            if user not in (row.owner_id | row.key_account_manager_id):
                raise UserError(
                    self.env._(
                        "Only a manager can change the account team of %(customer)s: "
                        "claim it from the customer pool, or ask its owner.",
                        customer=row.partner_id.display_name,
                    )
                )

    def _search_key_account_manager_id(self, operator, value):
        return self._search_team_role("key_account_manager_id", operator, value)

    def _search_backup_manager_id(self, operator, value):
        return self._search_team_role("backup_manager_id", operator, value)

    def _search_executive_sponsor_id(self, operator, value):
        return self._search_team_role("executive_sponsor_id", operator, value)

    def _search_team_role(self, field_name, operator, value):
        operator, value = search_operands(operator, value)
        if value is False and operator in ("=", "!="):
            # "no manager": no account in this company, or one without it
            has_one = self._search_on_company_tier([(field_name, "!=", False)])
            return ["!", *has_one] if operator == "=" else has_one
        return self._search_on_company_tier([(field_name, operator, value)])

    # the rows' columns as dependencies: a changed account drops cached values
    @api.depends(
        "commercial_partner_id",
        *(
            f"commercial_partner_id.customer_tier_ids.{column}"
            for column in ACCOUNT_FIELD_COLUMNS.values()
        ),
    )
    @api.depends_context("company", "uid")
    def _compute_account_fields(self):
        """The current company's account of each customer (contacts show their
        company's): one SQL query for the whole batch, as lists need."""
        columns = ACCOUNT_FIELD_COLUMNS
        Account = self.env["logistics.customer.tier"]
        Account.flush_model(list(set(columns.values()) | {"partner_id", "company_id"}))
        self.flush_model(["commercial_partner_id"])
        # a partner being edited (form onchange) shows its commercial partner's
        # account: that partner is its own commercial partner in the query
        keys = [
            partner.id
            if isinstance(partner.id, int)
            else partner.commercial_partner_id._origin.id
            for partner in self
        ]
        values = {}
        if any(keys):
            # joined on the commercial partner in SQL: a list does not load it
            self.env.cr.execute(
                SQL(
                    """
                    SELECT p.id, %s, %s
                      FROM res_partner p
                      JOIN logistics_customer_tier t
                        ON t.partner_id = p.commercial_partner_id
                       AND t.company_id = %s
                     WHERE p.id = ANY(%s)
                    """,
                    SQL(", ").join(
                        SQL.identifier("t", column) for column in columns.values()
                    ),
                    # the user is on the account's team
                    SQL(" OR ").join(
                        SQL("%s = %s", SQL.identifier("t", column), self.env.uid)
                        for column in TEAM_COLUMNS
                    ),
                    self.env.company.id,
                    [key for key in keys if key],
                )
            )
            values = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        rows = [values.get(key) for key in keys]
        if not self._logistics_reads_every_account():
            private = [
                i for i, name in enumerate(columns) if name in PRIVATE_ACCOUNT_FIELDS
            ]
            for position, row in enumerate(rows):
                if row and not row[-1]:
                    row = list(row)
                    for index in private:
                        row[index] = None
                    rows[position] = row
        # 15 fields of a whole page of partners: straight into the cache, as
        # field assignments one by one would cost more than the query
        for index, name in enumerate(columns):
            field = self._fields[name]
            self.env.cache.update(
                self,
                field,
                [
                    field.convert_to_cache(
                        row[index] if row else False, self, validate=False
                    )
                    for row in rows
                ],
            )

    @api.depends(
        "last_order_date",
        "order_interval_days",
        "estimated_order_interval_days",
        "expected_next_order_manual_date",
    )
    @api.depends_context("company")
    def _compute_expected_next_order_date(self):
        for partner in self:
            partner.expected_next_order_date = order_rhythm.expected_next_order(
                partner.last_order_date,
                partner.order_interval_days or partner.estimated_order_interval_days,
                partner.expected_next_order_manual_date,
            )

    def _search_lifecycle_stage(self, operator, value):
        return self._search_selection_on_row("lifecycle_stage", operator, value)

    def _search_last_order_date(self, operator, value):
        return self._search_date_on_row("last_order_date", operator, value)

    def _search_expected_next_order_date(self, operator, value):
        return self._search_date_on_row("expected_next_order_date", operator, value)

    def _search_date_on_row(self, field_name, operator, value):
        operator, value = search_operands(operator, value)
        if value in (False, None):
            has_value = self._search_on_company_tier([(field_name, "!=", False)])
            if operator == "=":
                return ["!", *has_value]
            if operator == "!=":
                return has_value
            raise UserError(_("Unsupported search on %(field)s.", field=field_name))
        return self._search_on_company_tier([(field_name, operator, value)])

    def _search_on_company_tier(self, row_domain, negate=False):
        # the rows are joined without their rules (a rep finds every customer of
        # a grade): who may not read accounts at all may not search them either
        self.env["logistics.customer.tier"].check_access("read")
        domain = [
            (
                "commercial_partner_id.customer_tier_ids",
                "any",
                [("company_id", "=", self.env.company.id), *row_domain],
            )
        ]
        return ["!", *domain] if negate else domain

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """The customers' search offers one filter per grade of the current
        company, named as the company names its grades (in the user's language).
        Added after Odoo's view cache: grades differ between companies."""
        result = super().get_view(view_id, view_type, **options)
        if view_type != "search" or "filter_tier_graded" not in result["arch"]:
            return result
        arch = etree.fromstring(result["arch"])
        anchor = arch.find(".//filter[@name='filter_tier_graded']")
        if anchor is None:
            return result
        # read only: a view is no place to create the company's policy
        grades = (
            self.env["logistics.customer.grade"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)], order="sequence, id")
        )
        for grade in grades:
            anchor.addprevious(
                etree.Element(
                    "filter",
                    name=f"filter_tier_{grade.id}",
                    string=grade.name,
                    domain=repr([("tier", "=", grade.code)]),
                )
            )
        result["arch"] = etree.tostring(arch, encoding="unicode")
        return result

    def _read_group_groupby(self, *args):
        """Customers grouped by their grade in the current company (the tier is
        computed from that company's account row, so it has no column here)."""
        table, groupby_spec, query = read_group_groupby_args(self, args)
        if groupby_spec != "tier":
            return super()._read_group_groupby(*args)
        check_field_access(self, "read", "tier")
        self.env["logistics.customer.tier"].flush_model(
            ["partner_id", "company_id", "tier"]
        )
        self.flush_model(["commercial_partner_id"])
        alias = query.make_alias(table, "logistics_tier")
        query.add_join(
            "LEFT JOIN",
            alias,
            "logistics_customer_tier",
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(alias, "partner_id"),
                SQL.identifier(table, "commercial_partner_id"),
                SQL.identifier(alias, "company_id"),
                self.env.company.id,
            ),
        )
        return SQL.identifier(alias, "tier")

    def _search_tier(self, operator, value):
        return self._search_selection_on_row("tier", operator, value)

    def _search_tier_trend(self, operator, value):
        return self._search_selection_on_row("trend", operator, value)

    def _search_selection_on_row(self, field_name, operator, value):
        operator, value = search_operands(operator, value)
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on %(field)s.", field=field_name))
        # 19.0 passes "in"/"not in" a set (its domains normalise "=" and "!=")
        many = isinstance(value, Collection) and not isinstance(value, str)
        values = list(value) if many else [value]
        wanted = [v for v in values if v]
        positive = operator in ("=", "in")
        domain = self._search_on_company_tier([(field_name, "in", wanted)])
        if False in values:
            # "no tier": no row in this company, or a row without it
            no_value = self._search_on_company_tier(
                [(field_name, "!=", False)], negate=True
            )
            domain = ["|", *domain, *no_value] if wanted else no_value
        return domain if positive else ["!", *domain]

    def _search_tier_override_differs(self, operator, value):
        operator, value = search_operands(operator, value)
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on the forced tier flag."))
        positive = (operator == "=") == bool(value)
        return self._search_on_company_tier(
            [("override_differs", "=", True)], negate=not positive
        )

    def action_force_tier(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Force Tier"),
            "res_model": "logistics.tier.force.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_open_tier_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_tier_history_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
        ]
        action["context"] = {}
        return action
