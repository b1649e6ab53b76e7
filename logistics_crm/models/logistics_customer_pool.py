from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .const import POOL_REASON_SELECTION


class LogisticsCustomerTier(models.Model):
    """The customer pool (公海): an account belongs to its owner, a rep of the
    company, or to the company's pool, where reps claim it and managers assign it.

    The owner is the key-account manager where there is one, else the rep who
    claimed or was assigned the account (at first, the contact's salesperson).
    Only the addon's methods change it: the limits are checked there.
    """

    _inherit = "logistics.customer.tier"

    owner_id = fields.Many2one(
        "res.users",
        readonly=True,
        index="btree_not_null",
        help="The rep the account belongs to in this company; empty: the account "
        "is in the company's customer pool.",
    )
    owner_since = fields.Datetime(
        readonly=True, help="When the owner claimed or was given the account."
    )
    pool_protected = fields.Boolean(
        string="Protected",
        help="Never returns to the pool on its own (signed contract, key account).",
    )
    pool_date = fields.Datetime(string="In Pool Since", readonly=True)
    pool_reason = fields.Selection(
        POOL_REASON_SELECTION, string="Why in the Pool", readonly=True
    )
    previous_owner_id = fields.Many2one(
        "res.users", string="Former Owner", readonly=True
    )
    claim_blocked_until = fields.Date(
        string="Former Owner Waits Until",
        readonly=True,
        help="The former owner cannot claim the account back before this day.",
    )
    last_followup_date = fields.Date(
        string="Last Follow-Up",
        readonly=True,
        help="Last activity done, visit, logged call or note, order or invoice "
        "counted by the reclaim rules.",
    )

    _POOL_METHOD_FIELDS = (
        "owner_id",
        "owner_since",
        "pool_date",
        "pool_reason",
        "previous_owner_id",
        "claim_blocked_until",
        "last_followup_date",
    )

    def _method_only_fields(self):
        return super()._method_only_fields() + list(self._POOL_METHOD_FIELDS)

    # ------------------------------------------------------------------
    # Owner at creation, and following the key-account manager
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        for company in rows.company_id:
            self._pool_init_new_rows(company)
        return rows

    @api.model
    def _pool_init_new_rows(self, company):
        """Give the company's new accounts their first owner, in one statement:
        the key-account manager, else the contact's salesperson when they work
        for the company; without either the account starts in the pool. A row
        is new while it has neither an owner nor a reason to be in the pool
        (the recompute and the planner insert rows in bulk, in SQL)."""
        self.flush_model()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH first AS (
                    SELECT t.id, COALESCE(t.key_account_manager_id, (
                               SELECT u.id FROM res_users u
                                 JOIN res_company_users_rel r
                                   ON r.user_id = u.id AND r.cid = t.company_id
                                WHERE u.id = p.user_id AND u.active AND NOT u.share
                           )) AS owner
                      FROM logistics_customer_tier t
                      JOIN res_partner p ON p.id = t.partner_id
                     WHERE t.company_id = %(company)s
                       AND t.owner_id IS NULL AND t.pool_reason IS NULL
                )
                UPDATE logistics_customer_tier t
                   SET owner_id = f.owner,
                       owner_since = CASE WHEN f.owner IS NOT NULL THEN %(now)s END,
                       pool_date = CASE WHEN f.owner IS NULL THEN %(now)s END,
                       pool_reason = CASE WHEN f.owner IS NULL THEN 'never_owned' END
                  FROM first f
                 WHERE t.id = f.id
                """,
                company=company.id,
                now=now,
            )
        )
        self.invalidate_model(list(self._POOL_METHOD_FIELDS))

    def write(self, vals):
        before = {}
        if "key_account_manager_id" in vals:
            before = {row.id: row.key_account_manager_id for row in self}
        result = super().write(vals)
        if before:
            self._pool_follow_key_account_manager(before)
        return result

    def _pool_follow_key_account_manager(self, before):
        """A new key-account manager owns the account; removing the manager who
        owned it (a handover to no one) returns it to the pool."""
        for row in self.sudo():
            manager = row.key_account_manager_id
            if manager and row.owner_id != manager:
                row._pool_write(
                    {
                        "owner_id": manager.id,
                        "owner_since": fields.Datetime.now(),
                        "pool_date": False,
                        "pool_reason": False,
                    }
                )
            elif not manager and before[row.id] and row.owner_id == before[row.id]:
                row._pool_return("released", block_days=0)

    def _pool_write(self, vals):
        return self.sudo().with_context(logistics_account_method=True).write(vals)

    # ------------------------------------------------------------------
    # Limits
    # ------------------------------------------------------------------
    def _pool_claimed_today(self, user, company):
        """{grade or False: accounts the user claimed today in the company}."""
        self.env.cr.execute(
            SQL(
                """
                SELECT t.tier, COUNT(*)
                  FROM logistics_account_assignment a
                  JOIN logistics_customer_tier t ON t.id = a.account_id
                 WHERE a.company_id = %s AND a.to_user_id = %s
                   AND a.pool_event = 'claim' AND a.date >= %s
                 GROUP BY t.tier
                """,
                company.id,
                user.id,
                company._logistics_day_start(),
            )
        )
        return dict(self.env.cr.fetchall())

    def _pool_owned(self, user, company):
        """{grade or False: accounts the user owns in the company}."""
        self.env.cr.execute(
            SQL(
                """
                SELECT tier, COUNT(*) FROM logistics_customer_tier
                 WHERE company_id = %s AND owner_id = %s
                 GROUP BY tier
                """,
                company.id,
                user.id,
            )
        )
        return dict(self.env.cr.fetchall())

    def _pool_check_limits(self, user, claiming):
        """Refuse when the accounts would take `user` past the company's or a
        grade's limits: claims per day (when `claiming`) and own customers."""
        self.flush_model()
        self.env["logistics.account.assignment"].flush_model()
        for company, rows in self.grouped("company_id").items():
            policy = self.env["logistics.tier.policy"]._get_company_policy(company)
            grades = {grade.code: grade for grade in policy.grade_ids}
            adding = {}
            for row in rows:
                adding[row.tier] = adding.get(row.tier, 0) + 1
            checks = [(self._pool_owned(user, company), "owned")]
            if claiming:
                checks.append((self._pool_claimed_today(user, company), "daily"))
            for counts, kind in checks:
                company_limit = policy[f"pool_{kind}_limit"]
                total = sum(counts.values()) + len(rows)
                if company_limit and total > company_limit:
                    raise UserError(
                        self._pool_limit_message(kind, user, company_limit, None)
                    )
                for code, count in adding.items():
                    grade = grades.get(code)
                    limit = grade and grade[f"pool_{kind}_limit"]
                    if limit and counts.get(code, 0) + count > limit:
                        raise UserError(
                            self._pool_limit_message(kind, user, limit, grade)
                        )

    def _pool_limit_message(self, kind, user, limit, grade):
        if kind == "daily" and grade:
            return self.env._(
                "%(user)s may claim %(limit)s customers of grade %(grade)s a day "
                "and reached that limit: claim again tomorrow or ask a manager "
                "to assign them.",
                user=user.name,
                limit=limit,
                grade=grade.display_name,
            )
        if kind == "daily":
            return self.env._(
                "%(user)s may claim %(limit)s customers a day and reached that "
                "limit: claim again tomorrow or ask a manager to assign them.",
                user=user.name,
                limit=limit,
            )
        if grade:
            return self.env._(
                "%(user)s may own at most %(limit)s customers of grade %(grade)s: "
                "return some to the pool first, or ask a manager.",
                user=user.name,
                limit=limit,
                grade=grade.display_name,
            )
        return self.env._(
            "%(user)s may own at most %(limit)s customers: return some to the pool "
            "first, or ask a manager.",
            user=user.name,
            limit=limit,
        )

    # ------------------------------------------------------------------
    # Claim, assign, return
    # ------------------------------------------------------------------
    def _pool_check_claimable(self, user):
        """Refuse accounts the user may not claim, with the reason."""
        today = {}
        grades = self._pool_grades()
        for row in self:
            if row.owner_id:
                raise row._pool_owned_error()
            grade = grades[row]
            if grade and grade.key_account_required:
                raise UserError(
                    self.env._(
                        "%(customer)s is a %(grade)s customer: it gets a dedicated "
                        "key-account manager, assigned by a manager, not claimed.",
                        customer=row.partner_id.display_name,
                        grade=grade.display_name,
                    )
                )
            if row.company_id not in today:
                today[row.company_id] = row.company_id._logistics_today()
            if (
                row.previous_owner_id == user
                and row.claim_blocked_until
                and row.claim_blocked_until > today[row.company_id]
            ):
                raise UserError(
                    self.env._(
                        "%(customer)s returned to the pool from %(user)s, who can "
                        "claim it again from %(date)s.",
                        customer=row.partner_id.display_name,
                        user=user.name,
                        date=format_date(self.env, row.claim_blocked_until),
                    )
                )

    def _pool_grades(self):
        """{account: its grade record (empty when not ranked)}, one policy read
        per company."""
        Grade = self.env["logistics.customer.grade"]
        Policy = self.env["logistics.tier.policy"]
        grades = {}
        for company, rows in self.grouped("company_id").items():
            by_code = {g.code: g for g in Policy._get_company_policy(company).grade_ids}
            grades.update({row: by_code.get(row.tier, Grade) for row in rows})
        return grades

    def _pool_lock_user(self, user):
        """One claim or assignment per user and company at a time: the limits are
        counted, then written, without another request slipping in between."""
        for company in self.company_id:
            self.env.cr.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    user.id,
                    company.id,
                )
            )

    def _pool_claim(self, user=None):
        """The user (default: the current one) claims the pool accounts."""
        user = user or self.env.user
        rows = self.sudo()
        if user.share or any(row.company_id not in user.company_ids for row in rows):
            raise UserError(
                self.env._("Only a rep of the customer's company can claim it.")
            )
        rows._pool_lock_user(user)
        rows.invalidate_recordset()
        rows._pool_check_claimable(user)
        rows._pool_check_limits(user, claiming=True)
        return rows._pool_take(user, "claim")

    def _pool_assign(self, user, ignore_limits=False):
        """A manager gives the accounts to `user`; the grades that need a
        dedicated manager get `user` as key-account manager."""
        rows = self.sudo()
        rows._pool_lock_user(user)
        rows.invalidate_recordset()
        owned = rows.filtered("owner_id")
        if owned:
            raise owned[0]._pool_owned_error()
        if not ignore_limits:
            rows._pool_check_limits(user, claiming=False)
        return rows._pool_take(user, "assign")

    def _pool_take(self, user, event):
        """Give pool accounts to `user`: an account another request took
        meanwhile is refused (the UPDATE only takes rows still in the pool)."""
        now = fields.Datetime.now()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_customer_tier
                   SET owner_id = %(user)s, owner_since = %(now)s,
                       pool_date = NULL, pool_reason = NULL,
                       write_uid = %(uid)s, write_date = %(now)s
                 WHERE id = ANY(%(ids)s) AND owner_id IS NULL
                RETURNING id
                """,
                user=user.id,
                now=now,
                uid=self.env.uid,
                ids=self.ids,
            )
        )
        taken = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.invalidate_recordset(list(self._POOL_METHOD_FIELDS))
        if taken != self:
            lost = self - taken
            raise UserError(
                self.env._(
                    "%(customer)s was just taken by %(owner)s.",
                    customer=lost[0].partner_id.display_name,
                    owner=lost[0].owner_id.name,
                )
            )
        self._pool_history(event, False, user)
        if event == "assign":
            grades = taken._pool_grades()
            dedicated = taken.filtered(lambda row: grades[row].key_account_required)
            dedicated.with_context(
                logistics_assignment_reason=self.env._("Assigned from the pool")
            ).write({"key_account_manager_id": user.id})
        return taken

    def _pool_owned_error(self):
        self.ensure_one()
        return UserError(
            self.env._(
                "%(customer)s is not in the pool: %(owner)s owns it.",
                customer=self.partner_id.display_name,
                owner=self.owner_id.name,
            )
        )

    def _pool_history(self, event, from_user, to_user, reason=None):
        reasons = {
            "claim": self.env._("Claimed from the pool"),
            "assign": self.env._("Assigned from the pool"),
            "return": self.env._("Returned to the pool"),
        }
        self.env["logistics.account.assignment"].sudo().create(
            [
                {
                    "account_id": row.id,
                    "partner_id": row.partner_id.id,
                    "role": "owner_id",
                    "pool_event": event,
                    "from_user_id": from_user.id if from_user else False,
                    "to_user_id": to_user.id if to_user else False,
                    "reason": reason or reasons[event],
                }
                for row in self
            ]
        )

    def _pool_return(self, reason, block_days=None, note=None):
        """Return the accounts to the pool: the owner and account team leave, the
        open activities and planned visits are cancelled with a note, the open
        tickets go back to their team's queue. The former owner waits
        `block_days` (default: the policy's) before claiming it back."""
        rows = self.sudo().filtered("owner_id")
        if not rows:
            return rows
        now = fields.Datetime.now()
        owners = {row.id: row.owner_id for row in rows}
        for company, group in rows.grouped("company_id").items():
            days = block_days
            if days is None:
                days = (
                    self.env["logistics.tier.policy"]
                    ._get_company_policy(company)
                    .pool_block_days
                )
            blocked = company._logistics_today() + timedelta(days=days)
            # one write per former owner: the nightly reclaim returns many
            for owner, same_owner in group.grouped("owner_id").items():
                same_owner._pool_write(
                    {
                        "previous_owner_id": owner.id,
                        "claim_blocked_until": blocked if days else False,
                    }
                )
        rows._pool_write(
            {
                "owner_id": False,
                "owner_since": False,
                "pool_date": now,
                "pool_reason": reason,
            }
        )
        reason_text = note or dict(
            self._fields["pool_reason"]._description_selection(self.env)
        ).get(reason)
        by_owner = {}
        for row in rows:
            by_owner.setdefault(owners[row.id], []).append(row.id)
        for owner, ids in by_owner.items():
            rows.browse(ids)._pool_history("return", owner, False, reason_text)
        team = rows.filtered(
            lambda row: row.key_account_manager_id or row.backup_manager_id
        )
        if team:
            team.with_context(logistics_assignment_reason=reason_text).write(
                {"key_account_manager_id": False, "backup_manager_id": False}
            )
        rows._pool_release_open_work(owners, reason_text)
        return rows

    def _pool_release_open_work(self, owners, reason_text):
        """What the former owner still had open on the account goes to no one.
        Read and written for all the accounts at once (the nightly reclaim
        returns many), one note per customer."""
        if not self:
            return
        partners = self.partner_id
        contacts = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "in", [*self.company_id.ids, False]),
                ]
            )
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", contacts.ids),
                    ("user_id", "in", [owner.id for owner in owners.values()]),
                ]
            )
        )
        visits = (
            self.env["logistics.visit"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", contacts.ids),
                    ("state", "=", "planned"),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        tickets = (
            self.env["logistics.ticket"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", partners.ids),
                    ("user_id", "in", [owner.id for owner in owners.values()]),
                    ("is_closed", "=", False),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        contacts_of = contacts.grouped("commercial_partner_id")
        activities_of = activities.grouped("res_id")
        visits_of = visits.grouped("partner_id")
        tickets_of = tickets.grouped("commercial_partner_id")
        released_activities = self.env["mail.activity"].sudo()
        released_visits = self.env["logistics.visit"].sudo()
        released_tickets = self.env["logistics.ticket"].sudo()
        bodies = {}
        for row in self:
            owner = owners[row.id]
            partner = row.partner_id
            row_contacts = contacts_of.get(partner, contacts.browse()).filtered(
                lambda c, company=row.company_id: not c.company_id
                or c.company_id == company
            )
            row_activities = self.env["mail.activity"].sudo()
            row_visits = self.env["logistics.visit"].sudo()
            for contact in row_contacts:
                row_activities |= activities_of.get(
                    contact.id, row_activities.browse()
                ).filtered(lambda a, owner=owner: a.user_id == owner)
                row_visits |= visits_of.get(contact, row_visits.browse()).filtered(
                    lambda v, company=row.company_id: v.company_id == company
                )
            row_tickets = tickets_of.get(partner, tickets.browse()).filtered(
                lambda t, owner=owner, company=row.company_id: t.user_id == owner
                and t.company_id == company
            )
            lines = [
                Markup("<p><b>%s</b></p>")
                % self.env._(
                    "Returned to the pool from %(owner)s: %(reason)s",
                    owner=owner.name,
                    reason=reason_text,
                )
            ]
            if row_activities:
                lines.append(
                    Markup("<p>%s</p><ul>%s</ul>")
                    % (
                        self.env._("Cancelled activities:"),
                        Markup().join(
                            Markup("<li>%s</li>")
                            % (activity.summary or activity.activity_type_id.name)
                            for activity in row_activities
                        ),
                    )
                )
            if row_visits:
                lines.append(
                    Markup("<p>%s %s</p>")
                    % (self.env._("Cancelled planned visits:"), len(row_visits))
                )
            if row_tickets:
                lines.append(
                    Markup("<p>%s %s</p>")
                    % (
                        self.env._("Open tickets back in their team's queue:"),
                        ", ".join(row_tickets.mapped("display_name")),
                    )
                )
            released_activities |= row_activities
            released_visits |= row_visits
            released_tickets |= row_tickets
            # a customer returned in two companies at once gets one note
            bodies[partner.id] = bodies.get(partner.id, Markup()) + Markup().join(lines)
        released_activities.unlink()
        released_visits.write({"state": "cancelled"})
        released_tickets.write({"user_id": False})
        partners._logistics_log_note(bodies)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_pool_return(self):
        """The owner (or a manager) gives the customer back to the pool."""
        is_manager = self.env.user.has_group(
            "logistics_crm.group_logistics_crm_manager"
        )
        for row in self:
            if row.owner_id != self.env.user and not is_manager:
                raise UserError(
                    self.env._(
                        "Only the owner of %(customer)s or a manager can return it "
                        "to the pool.",
                        customer=row.partner_id.display_name,
                    )
                )
        self._pool_return("released")
        return True
