from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..logic import cadence, order_rhythm
from .const import TIER_SELECTION

# Company-level profile fields: they live on the commercial partner and are
# copied to its contacts by Odoo's commercial-field sync.
COMMERCIAL_PROFILE_FIELDS = [
    "customer_size",
    "customer_nature",
    "service_type_ids",
    "lifecycle_stage",
    "commodities",
    "annual_shipment_estimate",
    "annual_tonnage_estimate",
    "preferred_contact_channel",
    "preferred_contact_time",
    "order_interval_days",
    "last_order_date",
    "payment_day",
    "profile_verified_date",
    "profile_verified_by_id",
    "key_account_manager_id",
    "backup_manager_id",
    "executive_sponsor_id",
    "estimated_order_interval_days",
]
# order dates kept to estimate the rhythm: the last six intervals
ORDER_RHYTHM_DATES = 7
ACCOUNT_ROLE_FIELDS = (
    "key_account_manager_id",
    "backup_manager_id",
    "executive_sponsor_id",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_size = fields.Selection(
        [("large", "Large"), ("medium", "Medium"), ("small", "Small")],
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    customer_nature = fields.Selection(
        [
            ("retailer", "Retailer"),
            ("shipper", "Business / Shipper"),
            ("agent", "Channel Partner / Agent"),
            ("internal", "Internal"),
        ],
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    service_type_ids = fields.Many2many(
        "logistics.service.type",
        "res_partner_logistics_service_type_rel",
        "partner_id",
        "service_type_id",
        string="Services Bought",
        groups="logistics_crm.group_logistics_crm_user",
    )
    demand_type = fields.Selection(
        [
            (order_rhythm.SINGLE_DEMAND, "Single Demand"),
            (order_rhythm.COMPREHENSIVE_DEMAND, "Comprehensive Demand"),
        ],
        compute="_compute_demand_type",
        store=True,
        help="Single demand: the customer buys one logistics service. "
        "Comprehensive demand: it buys two or more.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    lifecycle_stage = fields.Selection(
        [
            ("potential", "Potential"),
            ("new", "New"),
            ("active", "Active"),
            ("at_risk", "At Risk"),
            ("lapsed", "Lapsed"),
        ],
        string="Lifecycle",
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    commodities = fields.Text(
        string="Typical Commodities", groups="logistics_crm.group_logistics_crm_user"
    )
    lane_ids = fields.One2many(
        "logistics.partner.lane",
        "partner_id",
        string="Lanes",
        groups="logistics_crm.group_logistics_crm_user",
    )
    annual_shipment_estimate = fields.Integer(
        string="Annual Shipments (est.)",
        groups="logistics_crm.group_logistics_crm_user",
    )
    annual_tonnage_estimate = fields.Float(
        string="Annual Tonnes (est.)",
        digits=(16, 2),
        groups="logistics_crm.group_logistics_crm_user",
    )
    preferred_contact_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("instant_message", "Instant Message"),
            ("video", "Video Call"),
            ("visit", "Visit"),
        ],
        groups="logistics_crm.group_logistics_crm_user",
    )
    preferred_contact_time = fields.Char(
        help="e.g. weekday mornings, after 14:00",
        groups="logistics_crm.group_logistics_crm_user",
    )
    order_interval_days = fields.Integer(
        string="Typical Order Interval (days)",
        help="How many days usually pass between two orders of this customer.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    last_order_date = fields.Date(groups="logistics_crm.group_logistics_crm_user")
    expected_next_order_date = fields.Date(
        compute="_compute_expected_next_order_date",
        store=True,
        help="Last order date plus the typical order interval: call before it.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    payment_day = fields.Integer(
        string="Payment Day of Month",
        help="Day of the month (1-31) on which the customer pays.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    communication_style = fields.Selection(
        [
            ("impulsive_emotional", "Impulsive / Emotional"),
            ("warm_outgoing", "Warm / Outgoing"),
            ("slick_difficult", "Slick / Difficult"),
            ("stubborn", "Stubborn"),
            ("indecisive", "Indecisive"),
        ],
        groups="logistics_crm.group_logistics_crm_user",
    )
    birthday = fields.Date(groups="logistics_crm.group_logistics_crm_user")
    preference_notes = fields.Text(
        string="Preferences", groups="logistics_crm.group_logistics_crm_user"
    )
    profile_verified_date = fields.Date(
        string="Profile Verified On",
        copy=False,
        groups="logistics_crm.group_logistics_crm_user",
    )
    profile_verified_by_id = fields.Many2one(
        "res.users", copy=False, groups="logistics_crm.group_logistics_crm_user"
    )

    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        domain="[('share', '=', False)]",
        tracking=True,
        index="btree_not_null",
        groups="logistics_crm.group_logistics_crm_user",
    )
    backup_manager_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        tracking=True,
        groups="logistics_crm.group_logistics_crm_user",
    )
    executive_sponsor_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        tracking=True,
        help="The leader who visits this customer on the executive cadence.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    account_assignment_ids = fields.One2many(
        "logistics.account.assignment",
        "partner_id",
        string="Assignment History",
        groups="logistics_crm.group_logistics_crm_user",
    )
    visit_ids = fields.One2many(
        "logistics.visit",
        "partner_id",
        string="Visits",
        groups="logistics_crm.group_logistics_crm_user",
    )
    visit_count = fields.Integer(
        compute="_compute_visit_stats", groups="logistics_crm.group_logistics_crm_user"
    )
    next_visit_date = fields.Datetime(
        compute="_compute_visit_stats", groups="logistics_crm.group_logistics_crm_user"
    )
    estimated_order_interval_days = fields.Integer(
        string="Estimated Order Interval (days)",
        readonly=True,
        help="Median of the last intervals between the customer's invoices; the "
        "typical order interval, when filled, wins.",
        groups="logistics_crm.group_logistics_crm_user",
    )
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
    # Tiers are per company: the fields below show the tier in the company the
    # user works in (env.company), read from logistics.customer.tier in one query.
    customer_tier_ids = fields.One2many(
        "logistics.customer.tier",
        "partner_id",
        string="Tiers per Company",
        groups="logistics_crm.group_logistics_crm_user",
    )
    tier_history_ids = fields.One2many(
        "logistics.tier.history",
        "partner_id",
        groups="logistics_crm.group_logistics_crm_user",
    )
    tier = fields.Selection(
        TIER_SELECTION,
        compute="_compute_tier_fields",
        search="_search_tier",
        help="ABC tier in the current company: the forced tier when a manager "
        "set one, the computed tier otherwise.",
        groups="logistics_crm.group_logistics_crm_user",
    )
    computed_tier = fields.Selection(
        TIER_SELECTION,
        compute="_compute_tier_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    forced_tier = fields.Selection(
        TIER_SELECTION,
        compute="_compute_tier_fields",
        groups="logistics_crm.group_logistics_crm_user",
    )
    forced_tier_reason = fields.Text(
        compute="_compute_tier_fields", groups="logistics_crm.group_logistics_crm_user"
    )
    tier_value = fields.Float(
        compute="_compute_tier_fields", groups="logistics_crm.group_logistics_crm_user"
    )
    tier_trend = fields.Selection(
        [("at_risk", "At Risk"), ("rising_star", "Rising Star")],
        compute="_compute_tier_fields",
        search="_search_tier_trend",
        groups="logistics_crm.group_logistics_crm_user",
    )
    tier_override_differs = fields.Boolean(
        string="Forced Tier Differs",
        compute="_compute_tier_fields",
        search="_search_tier_override_differs",
        groups="logistics_crm.group_logistics_crm_user",
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_tier_fields(self):
        rows = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        )
        by_partner = {row.partner_id.id: row for row in rows}
        for partner in self:
            row = by_partner.get(partner.commercial_partner_id.id)
            partner.tier = row.tier if row else False
            partner.computed_tier = row.computed_tier if row else False
            partner.forced_tier = row.forced_tier if row else False
            partner.forced_tier_reason = row.forced_reason if row else False
            partner.tier_value = row.value if row else 0.0
            partner.tier_trend = row.trend if row else False
            partner.tier_override_differs = row.override_differs if row else False

    def _search_on_company_tier(self, row_domain, negate=False):
        domain = [
            (
                "commercial_partner_id.customer_tier_ids",
                "any",
                [("company_id", "=", self.env.company.id), *row_domain],
            )
        ]
        return ["!", *domain] if negate else domain

    def _search_tier(self, operator, value):
        return self._search_selection_on_row("tier", operator, value)

    def _search_tier_trend(self, operator, value):
        return self._search_selection_on_row("trend", operator, value)

    def _search_selection_on_row(self, field_name, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on %(field)s.", field=field_name))
        values = value if isinstance(value, list | tuple) else [value]
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

    @api.depends("service_type_ids")
    def _compute_demand_type(self):
        for partner in self:
            partner.demand_type = order_rhythm.demand_type(
                len(partner.service_type_ids)
            )

    @api.depends(
        "last_order_date", "order_interval_days", "estimated_order_interval_days"
    )
    def _compute_expected_next_order_date(self):
        for partner in self:
            partner.expected_next_order_date = order_rhythm.expected_next_order_date(
                partner.last_order_date,
                partner.order_interval_days or partner.estimated_order_interval_days,
            )

    def _compute_visit_stats(self):
        Visit = self.env["logistics.visit"]
        commercial = self.commercial_partner_id
        counts = dict(
            Visit._read_group(
                [("partner_id", "in", commercial.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        next_dates = dict(
            Visit._read_group(
                [("partner_id", "in", commercial.ids), ("state", "=", "planned")],
                groupby=["partner_id"],
                aggregates=["date:min"],
            )
        )
        for partner in self:
            customer = partner.commercial_partner_id
            partner.visit_count = counts.get(customer, 0)
            partner.next_visit_date = next_dates.get(customer, False)

    def write(self, vals):
        changed_roles = [
            name
            for name in ACCOUNT_ROLE_FIELDS
            if name in vals and not self.env.context.get("logistics_skip_assignment")
        ]
        before = {}
        if changed_roles:
            before = {
                partner.id: {name: partner[name].id for name in changed_roles}
                for partner in self
                if partner.is_company or not partner.parent_id
            }
        result = super().write(vals)
        if before:
            self._record_assignments(before, changed_roles)
        if vals.get("key_account_manager_id"):
            # the new key-account manager follows the account's open tickets
            self.env["logistics.ticket"].sudo().search(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("is_closed", "=", False),
                ]
            )._subscribe_account_team()
        return result

    def _record_assignments(self, before, roles):
        reason = self.env.context.get("logistics_assignment_reason")
        history = []
        for partner in self.browse(list(before)):
            for role in roles:
                old, new = before[partner.id][role], partner[role].id
                if old != new:
                    history.append(
                        {
                            "partner_id": partner.id,
                            "role": role,
                            "from_user_id": old or False,
                            "to_user_id": new or False,
                            "reason": reason,
                        }
                    )
        if history:
            self.env["logistics.account.assignment"].sudo().create(history)
            # a new manager takes over the planned visits of the cadence
            self.env["logistics.visit"].sudo()._schedule_visits(
                self.browse(list(before))
            )

    def action_open_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_visit_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "search_default_filter_planned": 0,
        }
        return action

    # ------------------------------------------------------------------
    # Proactive and re-engagement activities (cron)
    # ------------------------------------------------------------------
    @api.model
    def _cron_proactive_activities(self):
        today = fields.Date.context_today(self)
        for policy in self.env["logistics.tier.policy"].sudo().search([]):
            self.sudo().with_company(policy.company_id)._update_order_rhythm(
                policy, today
            )
            self.sudo()._plan_proactive_contacts(policy, today)
            self.sudo()._plan_reengagements(policy, today)
            self.sudo()._plan_birthday_greetings(policy, today)

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

    @api.constrains("order_interval_days")
    def _check_order_interval_days(self):
        for partner in self:
            if partner.order_interval_days < 0:
                raise ValidationError(
                    _(
                        "The typical order interval of %(partner)s cannot be "
                        "negative (%(days)s days).",
                        partner=partner.display_name,
                        days=partner.order_interval_days,
                    )
                )

    @api.constrains("payment_day")
    def _check_payment_day(self):
        for partner in self:
            if not order_rhythm.is_valid_payment_day(partner.payment_day):
                raise ValidationError(
                    _(
                        "The payment day of %(partner)s must be a day of the month "
                        "between 1 and 31, not %(day)s.",
                        partner=partner.display_name,
                        day=partner.payment_day,
                    )
                )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + COMMERCIAL_PROFILE_FIELDS

    def action_mark_profile_verified(self):
        self.commercial_partner_id.write(
            {
                "profile_verified_date": fields.Date.context_today(self),
                "profile_verified_by_id": self.env.user.id,
            }
        )
        return True

    # ------------------------------------------------------------------
    # Service tickets: counts, rating and complaint rate
    # ------------------------------------------------------------------
    ticket_count = fields.Integer(
        compute="_compute_ticket_counts",
        groups="logistics_crm.group_logistics_crm_user",
    )
    open_ticket_count = fields.Integer(
        compute="_compute_ticket_counts",
        groups="logistics_crm.group_logistics_crm_user",
    )
    ticket_rating_avg = fields.Float(
        string="Average Ticket Rating",
        compute="_compute_ticket_service_stats",
        digits=(16, 2),
        groups="logistics_crm.group_logistics_crm_user",
    )
    complaint_count = fields.Integer(
        compute="_compute_ticket_service_stats",
        groups="logistics_crm.group_logistics_crm_user",
    )
    complaint_rate = fields.Float(
        string="Complaints per 100 Shipments",
        compute="_compute_ticket_service_stats",
        digits=(16, 2),
        groups="logistics_crm.group_logistics_crm_user",
        help="Complaint tickets per 100 shipments of the volume statements of the "
        "current company (0 without statements).",
    )

    def _compute_ticket_counts(self):
        # one grouped query for every partner on screen
        commercial = self.commercial_partner_id
        counts = {}
        if commercial.ids:
            for partner, is_closed, count in self.env["logistics.ticket"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                groupby=["commercial_partner_id", "is_closed"],
                aggregates=["__count"],
            ):
                total, open_count = counts.get(partner.id, (0, 0))
                counts[partner.id] = (
                    total + count,
                    open_count + (0 if is_closed else count),
                )
        for partner in self:
            total, open_count = counts.get(partner.commercial_partner_id.id, (0, 0))
            partner.ticket_count = total
            partner.open_ticket_count = open_count

    @api.depends_context("company")
    def _compute_ticket_service_stats(self):
        commercial = self.commercial_partner_id
        Ticket = self.env["logistics.ticket"]
        ratings = dict(
            Ticket._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("rating_last_value", ">", 0),
                ],
                groupby=["commercial_partner_id"],
                aggregates=["rating_last_value:avg"],
            )
        )
        complaints = dict(
            Ticket._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("is_complaint", "=", True),
                    ("company_id", "=", self.env.company.id),
                ],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        shipments = dict(
            self.env["logistics.volume"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                groupby=["commercial_partner_id"],
                aggregates=["shipment_count:sum"],
            )
        )
        for partner in self:
            customer = partner.commercial_partner_id
            partner.ticket_rating_avg = ratings.get(customer, 0.0)
            partner.complaint_count = complaints.get(customer, 0)
            partner.complaint_rate = (
                Ticket._complaint_rate(
                    complaints.get(customer, 0), shipments.get(customer, 0)
                )
                or 0.0
            )

    def action_open_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_crm.logistics_ticket_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("commercial_partner_id", "=", customer.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_filter_open": 1,
        }
        return action
