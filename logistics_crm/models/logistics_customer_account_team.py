from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .const import ACCOUNT_ROLE_FIELDS


class LogisticsCustomerTier(models.Model):
    """The account team of a customer in one company, with its history.

    A shared customer has one team per company: company A's key-account manager
    (from A's pool) never receives company B's visits, tickets or load.
    """

    _inherit = "logistics.customer.tier"

    key_account_manager_id = fields.Many2one(
        "res.users",
        string="Key-Account Manager",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        index="btree_not_null",
    )
    backup_manager_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    executive_sponsor_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="The leader who visits this customer on the executive cadence.",
    )
    assignment_ids = fields.One2many(
        "logistics.account.assignment", "account_id", string="Assignment History"
    )

    @api.constrains(*ACCOUNT_ROLE_FIELDS)
    def _check_team_company_access(self):
        for row in self:
            for name in ACCOUNT_ROLE_FIELDS:
                row._check_team_member(row[name])

    def _check_team_member(self, user):
        """A portal user, or someone without access to the account's company,
        cannot be on its team (they could not open its records)."""
        self.ensure_one()
        if not user:
            return
        if user.share:
            raise ValidationError(
                _(
                    "%(user)s is a portal user and cannot look after %(customer)s.",
                    user=user.name,
                    customer=self.partner_id.display_name,
                )
            )
        if self.company_id not in user.company_ids:
            raise ValidationError(
                _(
                    "%(user)s has no access to %(company)s and cannot look after "
                    "its account of %(customer)s.",
                    user=user.name,
                    company=self.company_id.name,
                    customer=self.partner_id.display_name,
                )
            )

    def write(self, vals):
        roles = [name for name in ACCOUNT_ROLE_FIELDS if name in vals]
        # checked before writing: a refused member never reaches the cache
        Users = self.env["res.users"].sudo()
        for name in roles:
            for row in self:
                row._check_team_member(Users.browse(vals[name]))
        before = {row.id: {name: row[name].id for name in roles} for row in self}
        result = super().write(vals)
        if roles:
            self._account_team_changed(before, roles)
        return result

    def _account_team_changed(self, before, roles):
        reason = self.env.context.get("logistics_assignment_reason")
        history = [
            {
                "account_id": row.id,
                "partner_id": row.partner_id.id,
                "role": role,
                "from_user_id": before[row.id][role] or False,
                "to_user_id": row[role].id or False,
                "reason": reason,
            }
            for row in self
            for role in roles
            if before[row.id][role] != row[role].id
        ]
        if not history:
            return
        self.env["logistics.account.assignment"].sudo().create(history)
        self.browse({h["account_id"] for h in history})._apply_team_effects(roles)

    @api.model
    def _claim_key_account_managers(self, assignments, reason):
        """Give managers to accounts still without one, in two statements, and
        record the history; an account another server assigned meanwhile is
        left alone (the UPDATE only takes rows still without a manager).

        :param assignments: {account id: user id}; the users were picked among
            the pool members who can open the company's records
        :return: the accounts that got their manager
        """
        if not assignments:
            return self.browse()
        self.flush_model(["key_account_manager_id"])
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH claimed AS (
                    UPDATE logistics_customer_tier t
                       SET key_account_manager_id = m.user_id,
                           -- the owner follows the key-account manager
                           -- (logistics_customer_pool.py)
                           owner_id = m.user_id,
                           owner_since = CASE WHEN t.owner_id = m.user_id
                                              THEN t.owner_since ELSE %(now)s END,
                           pool_date = NULL, pool_reason = NULL,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(users)s::int[]) AS m(id, user_id)
                     WHERE t.id = m.id AND t.key_account_manager_id IS NULL
                    RETURNING t.id, t.partner_id, t.company_id, t.key_account_manager_id
                )
                INSERT INTO logistics_account_assignment (
                    account_id, partner_id, company_id, role, to_user_id, date,
                    reason, changed_by_id,
                    create_uid, create_date, write_uid, write_date)
                SELECT c.id, c.partner_id, c.company_id, 'key_account_manager_id',
                       c.key_account_manager_id, %(now)s, %(reason)s, %(uid)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM claimed c
                RETURNING account_id
                """,
                ids=list(assignments),
                users=list(assignments.values()),
                uid=self.env.uid,
                now=now,
                reason=reason,
            )
        )
        claimed = self.browse([row[0] for row in self.env.cr.fetchall()])
        # SQL wrote them: drop what the caches hold (partner fields read the rows)
        self.invalidate_model(
            ["key_account_manager_id", "assignment_ids", "owner_id", "owner_since"]
            + ["pool_date", "pool_reason"]
        )
        self.env["logistics.account.assignment"].invalidate_model()
        self.env["res.partner"].invalidate_model(list(ACCOUNT_ROLE_FIELDS))
        return claimed

    def _apply_team_effects(self, roles, plan_visits=True):
        """What follows a new team: the company's tickets follow the key-account
        manager, and the new manager or sponsor takes over the planned visits."""
        if "key_account_manager_id" in roles:
            self._sync_ticket_managers()
        if not plan_visits:
            return
        Visit = self.env["logistics.visit"].sudo()
        Policy = self.env["logistics.tier.policy"].sudo()
        for company, rows in self.grouped("company_id").items():
            policy = Policy._get_company_policy(company)
            if policy:
                Visit._schedule_visits(rows.partner_id, policy=policy)

    def _sync_ticket_managers(self):
        """The company's tickets of the customer show (and are visible to) the
        account's key-account manager; the manager follows the open ones."""
        tickets = (
            self.env["logistics.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("commercial_partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        manager = {
            (row.partner_id.id, row.company_id.id): row.key_account_manager_id
            for row in self
        }
        by_manager = {}
        for ticket in tickets:
            key = (ticket.commercial_partner_id.id, ticket.company_id.id)
            if key in manager and ticket.key_account_manager_id != manager[key]:
                by_manager.setdefault(manager[key], []).append(ticket.id)
        for user, ticket_ids in by_manager.items():
            changed = tickets.browse(ticket_ids)
            changed.write({"key_account_manager_id": user.id})
            changed.filtered(lambda t: not t.is_closed)._subscribe_account_team(
                contacts=False
            )
