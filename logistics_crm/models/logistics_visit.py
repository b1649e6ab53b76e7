from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..compat import search_operands
from .const import grade_selection

KIND_SELECTION = [
    ("onsite", "On-Site Visit"),
    ("phone", "Phone Call"),
    ("video", "Video Call"),
    ("executive", "Executive Visit"),
]
# The hour (UTC) planned visits are put at; reps move them to the real time.


class LogisticsVisit(models.Model):
    _name = "logistics.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    contact_ids = fields.Many2many(
        "res.partner",
        "logistics_visit_contact_rel",
        "visit_id",
        "partner_id",
        string="Contacts Met",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('is_company', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Visited By",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, tracking=True, index=True
    )
    duration = fields.Float(string="Duration (hours)", default=1.0)
    due_date = fields.Date(
        readonly=True,
        help="When the tier's visit cadence wanted this visit: the measure of "
        "on-time visits.",
    )
    kind = fields.Selection(
        KIND_SELECTION, required=True, default="onsite", tracking=True
    )
    cadence = fields.Selection(
        [("regular", "Regular"), ("executive", "Executive")],
        compute="_compute_cadence",
        store=True,
        help="Executive visits follow the executive cadence of the tier, the others "
        "the regular one.",
    )
    purpose = fields.Char()
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
        index=True,
    )
    is_scheduled = fields.Boolean(
        string="Planned by Cadence",
        readonly=True,
        help="Planned by the visit scheduler from the customer's tier policy.",
    )
    tier = fields.Selection(grade_selection, help="The customer's tier when planned.")
    outcome = fields.Html()
    satisfaction = fields.Selection(
        [
            ("1", "Very Unhappy"),
            ("2", "Unhappy"),
            ("3", "Neutral"),
            ("4", "Happy"),
            ("5", "Very Happy"),
        ],
        string="Customer Satisfaction",
    )
    next_steps = fields.Text()
    done_date = fields.Datetime(readonly=True, copy=False)
    ticket_ids = fields.Many2many(
        "logistics.ticket",
        "logistics_visit_ticket_rel",
        "visit_id",
        "ticket_id",
        string="Linked Tickets",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    overdue_since = fields.Datetime(
        readonly=True,
        copy=False,
        help="When a visit already overdue was moved to a later date: it stays "
        "overdue until it is done or cancelled.",
    )
    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        compute="_compute_key_account_manager_id",
        help="The key-account manager of the customer in the visit's company.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_key_account_manager_id(self):
        managers = self.env["logistics.customer.tier"]._key_account_managers(
            self, "partner_id"
        )
        for visit in self:
            visit.key_account_manager_id = managers.get(visit.id, False)

    @api.depends("kind")
    def _compute_cadence(self):
        for visit in self:
            visit.cadence = "executive" if visit.kind == "executive" else "regular"

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for visit in self:
            visit.is_overdue = visit.state == "planned" and bool(
                visit.overdue_since or visit.date < now
            )

    def _search_is_overdue(self, operator, value):
        operator, value = search_operands(operator, value)
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue visits."))
        overdue = [
            ("state", "=", "planned"),
            "|",
            ("overdue_since", "!=", False),
            ("date", "<", fields.Datetime.now()),
        ]
        return overdue if (operator == "=") == value else ["!", "&", *overdue]

    def write(self, vals):
        if "date" in vals:
            # moving a visit already overdue does not make it on time
            moved = self.filtered(
                lambda v: v.state == "planned"
                and not v.overdue_since
                and v.date < fields.Datetime.now()
            )
            for visit in moved:
                super(LogisticsVisit, visit).write({"overdue_since": visit.date})
        return super().write(vals)

    @api.depends("partner_id", "kind", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for visit in self:
            visit.display_name = _(
                "%(kind)s: %(customer)s",
                kind=kinds.get(visit.kind, ""),
                customer=visit.partner_id.display_name or "",
            )

    @api.constrains("duration")
    def _check_duration(self):
        for visit in self:
            if visit.duration < 0:
                raise ValidationError(_("A visit cannot last a negative time."))

    def action_done(self):
        if self.filtered(lambda v: v.state != "planned"):
            raise UserError(_("Only planned visits can be marked as done."))
        self.write({"state": "done", "done_date": fields.Datetime.now()})
        # the cadence starts again from this visit
        self._schedule_visits(self.partner_id)
        return True

    def action_open_customer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_cancel(self):
        self.filtered(lambda v: v.state == "planned").write({"state": "cancelled"})
        return True

    def action_reset_to_planned(self):
        self.filtered(lambda v: v.state == "cancelled").write({"state": "planned"})
        return True

    def action_schedule_follow_up(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Schedule Follow-Up"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_res_id": self.partner_id.id,
                "default_user_id": self.user_id.id,
                "default_summary": _(
                    "Follow up on the visit of %(date)s",
                    # the visit's day where the user is, not in UTC
                    date=format_date(
                        self.env, fields.Datetime.context_timestamp(self, self.date)
                    ),
                ),
                "default_note": self.next_steps or "",
            },
        }

    # ------------------------------------------------------------------
    # Cadence scheduler: one planned visit per customer and cadence
    # ------------------------------------------------------------------
    @api.model
    def _cron_schedule_visits(self):
        self.env["logistics.tier.policy"]._cron_run_per_company(
            "visits", "_cron_schedule_company_visits"
        )

    @api.model
    def _schedule_visits(self, partners=None, policy=None, today=None):
        """Create, move or drop cadence-planned visits, in bulk.

        Wanted: for each customer whose tier's service level has an interval, one
        planned visit per cadence, due `interval` days after the last done visit
        of that cadence (today when none), for the key-account manager (executive
        visits: the executive sponsor). Planned visits nobody wants any more (tier
        left, interval removed, no manager, customer archived) are dropped.

        :param partners: limit to these customers (None: every customer)
        :return: dict with the numbers of created, moved and dropped visits
        """
        policies = (
            policy
            if policy is not None
            else self.env["logistics.tier.policy"]
            .sudo()
            .search(
                [("company_id", "in", (partners.company_id or self.env.companies).ids)]
                if partners
                else []
            )
        )
        totals = {"created": 0, "moved": 0, "dropped": 0}
        for company_policy in policies:
            counts = self._schedule_company_visits(company_policy, partners, today)
            for key, count in counts.items():
                totals[key] += count
        self.invalidate_model()
        return totals

    def _schedule_company_visits(self, policy, partners, today):
        cr = self.env.cr
        self.env.flush_all()
        today = today or fields.Date.context_today(self)
        company = policy.company_id.id
        partner_filter = (
            SQL("AND ct.partner_id = ANY(%s)", partners.commercial_partner_id.ids)
            if partners
            else SQL()
        )
        # wanted plans: (partner, cadence) -> (user, due date, tier)
        cr.execute(
            SQL(
                """
                WITH members AS (
                    -- visits go to people who can open the company's records
                    SELECT user_id FROM res_company_users_rel
                     WHERE cid = %(company)s
                ), tiers AS (
                    SELECT ct.partner_id, ct.tier,
                           kam.user_id AS key_account_manager_id,
                           sponsor.user_id AS executive_sponsor_id
                      FROM logistics_customer_tier ct
                      JOIN res_partner p ON p.id = ct.partner_id
                      LEFT JOIN members kam
                        ON kam.user_id = ct.key_account_manager_id
                      LEFT JOIN members sponsor
                        ON sponsor.user_id = ct.executive_sponsor_id
                     WHERE ct.company_id = %(company)s AND p.active
                           %(partner_filter)s
                ), wanted AS (
                    SELECT t.partner_id, 'regular' AS cadence,
                           l.visit_interval_days AS interval_days,
                           t.key_account_manager_id AS user_id, t.tier
                      FROM tiers t
                      JOIN logistics_customer_grade l
                        ON l.policy_id = %(policy)s AND l.code = t.tier
                     WHERE l.visit_interval_days > 0
                       AND t.key_account_manager_id IS NOT NULL
                     UNION ALL
                    SELECT t.partner_id, 'executive',
                           l.executive_visit_interval_days,
                           t.executive_sponsor_id, t.tier
                      FROM tiers t
                      JOIN logistics_customer_grade l
                        ON l.policy_id = %(policy)s AND l.code = t.tier
                     WHERE l.executive_visit_interval_days > 0
                       AND t.executive_sponsor_id IS NOT NULL
                ), last_done AS (
                    SELECT v.partner_id, v.cadence, MAX(v.date)::date AS last_date
                      FROM logistics_visit v
                     WHERE v.company_id = %(company)s AND v.state = 'done'
                       AND v.partner_id IN (SELECT partner_id FROM wanted)
                     GROUP BY v.partner_id, v.cadence
                )
                SELECT w.partner_id, w.cadence, w.user_id, w.tier,
                       COALESCE(d.last_date + w.interval_days, %(today)s::date),
                       d.last_date IS NULL
                  FROM wanted w
                  LEFT JOIN last_done d
                    ON d.partner_id = w.partner_id AND d.cadence = w.cadence
                """,
                company=company,
                policy=policy.id,
                partner_filter=partner_filter,
                today=today,
            )
        )
        wanted = {
            (partner_id, cadence): (user_id, tier, due, never_visited)
            for partner_id, cadence, user_id, tier, due, never_visited in cr.fetchall()
        }
        existing_filter = (
            SQL("AND v.partner_id = ANY(%s)", partners.commercial_partner_id.ids)
            if partners
            else SQL()
        )
        cr.execute(
            SQL(
                """
                SELECT v.id, v.partner_id, v.cadence, v.user_id, v.due_date
                  FROM logistics_visit v
                 WHERE v.company_id = %(company)s AND v.state = 'planned'
                   AND v.is_scheduled %(existing_filter)s
                """,
                company=company,
                existing_filter=existing_filter,
            )
        )
        to_drop, to_move = [], []
        for visit_id, partner_id, cadence, user_id, due_date in cr.fetchall():
            plan = wanted.pop((partner_id, cadence), None)
            if plan is None:
                to_drop.append(visit_id)
                continue
            new_user, tier, due, never_visited = plan
            if never_visited and due_date:
                # a first visit is due from the day it was first planned, not
                # pushed to "today" every night
                due = due_date
            if (user_id, due_date) != (new_user, due):
                to_move.append((visit_id, new_user, tier, due))
        to_create = [
            (partner_id, cadence, user_id, tier, due)
            for (partner_id, cadence), (user_id, tier, due, _never) in wanted.items()
        ]
        self._bulk_create_planned(policy, to_create)
        if to_move:
            # a new due date resets the planned time; a new manager keeps it
            cr.execute(
                SQL(
                    """
                    UPDATE logistics_visit v
                       SET user_id = m.user_id, tier = m.tier,
                           overdue_since = CASE
                               WHEN v.overdue_since IS NULL AND v.date < %(now)s
                                    AND v.due_date IS DISTINCT FROM m.due
                               THEN v.date ELSE v.overdue_since END,
                           date = CASE WHEN v.due_date IS DISTINCT FROM m.due
                                       THEN %(moment)s ELSE v.date END,
                           due_date = m.due, write_uid = %(uid)s,
                           write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(users)s::int[],
                                  %(tiers)s::varchar[], %(dues)s::date[])
                           AS m(id, user_id, tier, due)
                      LEFT JOIN res_users u ON u.id = m.user_id
                      LEFT JOIN res_partner up ON up.id = u.partner_id
                     WHERE v.id = m.id
                    """,
                    moment=self._planned_moment(
                        policy, SQL("m.due"), SQL.identifier("up", "tz")
                    ),
                    uid=self.env.uid,
                    now=fields.Datetime.now(),
                    ids=[row[0] for row in to_move],
                    users=[row[1] for row in to_move],
                    tiers=[row[2] for row in to_move],
                    dues=[row[3] for row in to_move],
                )
            )
        if to_drop:
            # a visit already overdue is not dropped with its plan: it leaves the
            # cadence and stays overdue until someone does or cancels it
            dropped = self.browse(to_drop).sudo()
            missed = dropped.filtered(lambda v: v.is_overdue)
            missed.write({"is_scheduled": False})
            (dropped - missed).unlink()
        return {
            "created": len(to_create),
            "moved": len(to_move),
            "dropped": len(to_drop),
        }

    @api.model
    def _planned_moment(self, policy, due, user_tz):
        """SQL of the UTC moment of a planned visit: the policy's local hour on
        the due date, in the owner's time zone (the company's when none)."""
        return SQL(
            "(((%(due)s + make_interval(mins => %(minutes)s))"
            " AT TIME ZONE COALESCE(NULLIF(%(user_tz)s, ''), %(company_tz)s))"
            " AT TIME ZONE 'UTC')",
            due=due,
            minutes=round(policy.visit_planned_hour * 60),
            user_tz=user_tz,
            company_tz=policy.company_id._logistics_tz(),
        )

    def _bulk_create_planned(self, policy, plans):
        """INSERT the planned visits in one statement (100k customers: no ORM loop).

        Planned visits need no chatter yet: followers and messages come with the
        first human edit.
        """
        if not plans:
            return
        CustomerTier = self.env["logistics.customer.tier"]
        CustomerTier._copy_to_temp_table(
            "logistics_visit_plan",
            [
                ("partner_id", "int"),
                ("cadence", "varchar"),
                ("user_id", "int"),
                ("tier", "varchar"),
                ("due", "date"),
            ],
            plans,
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_visit (
                    partner_id, company_id, user_id, kind, cadence, state,
                    is_scheduled, tier, due_date, date, duration,
                    create_uid, create_date, write_uid, write_date)
                SELECT p.partner_id, %(company)s, p.user_id,
                       CASE WHEN p.cadence = 'executive' THEN 'executive'
                            ELSE 'onsite' END,
                       p.cadence, 'planned', TRUE, p.tier, p.due,
                       %(moment)s, 1.0,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM logistics_visit_plan p
                  LEFT JOIN res_users u ON u.id = p.user_id
                  LEFT JOIN res_partner up ON up.id = u.partner_id
                """,
                company=policy.company_id.id,
                moment=self._planned_moment(
                    policy, SQL("p.due"), SQL.identifier("up", "tz")
                ),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )

    def init(self):
        # exactly one cadence-planned visit per customer, company and cadence, even
        # if two schedulers ran at once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS logistics_visit_one_scheduled_idx
                ON logistics_visit (partner_id, company_id, cadence)
             WHERE state = 'planned' AND is_scheduled
            """
        )
