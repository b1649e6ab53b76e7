from odoo import models
from odoo.tools import SQL

from ..logic import account_load


class LogisticsTierPolicy(models.Model):
    """Key-account managers from the policy's pool, by load and capacity."""

    _inherit = "logistics.tier.policy"

    def _load_weights(self):
        return {grade.code: grade.account_load_weight for grade in self.grade_ids}

    def _manager_loads(self):
        """{user id: load points} of the accounts each user manages in the company."""
        self.ensure_one()
        weights = self._load_weights()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT ct.key_account_manager_id, ct.tier, COUNT(*)
                  FROM logistics_customer_tier ct
                  JOIN res_partner p ON p.id = ct.partner_id
                 WHERE ct.company_id = %s
                   AND ct.key_account_manager_id IS NOT NULL AND p.active
                 GROUP BY ct.key_account_manager_id, ct.tier
                """,
                self.company_id.id,
            )
        )
        loads = {}
        for user_id, tier, count in self.env.cr.fetchall():
            loads[user_id] = loads.get(user_id, 0) + weights.get(tier, 0) * count
        return loads

    def _pool_capacities(self, exclude=None):
        """{user id: capacity} of the pool's active members who can open the
        company's records (a manager never gets an account they cannot see)."""
        self.ensure_one()
        return {
            member.user_id.id: member.capacity
            for member in self.manager_ids
            if member.user_id.active
            and self.company_id in member.user_id.company_ids
            and member.user_id != exclude
        }

    def action_auto_assign_key_accounts(self):
        self.check_access("write")
        for policy in self:
            policy._auto_assign_key_accounts()
        return True

    def _auto_assign_key_accounts(self, plan_visits=True):
        """Give a manager from the pool to customers whose tier needs one.

        The least-loaded manager (load / capacity) who can take the account's
        weight gets it; customers that already have a manager keep theirs. When
        nobody has room, the policy's responsible gets an activity instead.
        :param plan_visits: False when the caller plans the company's visits next
        :return: (assigned partners, partners left without manager)
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        if not self.manager_ids:
            # no pool configured: automatic assignment is off
            return Partner, Partner
        needing_tiers = [
            grade.code for grade in self.grade_ids if grade.key_account_required
        ]
        if not needing_tiers:
            return Partner, Partner
        Account = self.env["logistics.customer.tier"].sudo()
        rows = Account.search(
            [
                ("company_id", "=", self.company_id.id),
                ("tier", "in", needing_tiers),
                ("key_account_manager_id", "=", False),
                ("partner_id.active", "=", True),
            ],
            order="value desc, id",
        )
        if not rows:
            return Partner, Partner
        assigned_ids, left_ids = account_load.spread(
            [(row.id, row.tier) for row in rows],
            self._manager_loads(),
            self._pool_capacities(),
            self._load_weights(),
            # a customer its owner grew keeps them when they manage key accounts
            preferred={row.id: row.owner_id.id for row in rows if row.owner_id},
        )
        claimed = Account._claim_key_account_managers(
            assigned_ids, self.env._("Automatic assignment by tier")
        )
        claimed._apply_team_effects(["key_account_manager_id"], plan_visits=plan_visits)
        assigned = claimed.partner_id
        unassigned = Account.browse(left_ids).partner_id
        if unassigned and self.responsible_user_id:
            self._notify_no_manager_available(unassigned)
        return assigned, unassigned

    def _notify_no_manager_available(self, partners):
        activity_type = self.env.ref("logistics_crm.mail_activity_type_no_manager")
        already = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        todo = partners - self.env["res.partner"].browse(already.mapped("res_id"))
        responsible = self.responsible_user_id
        # read by the responsible: in the responsible's language
        summary = responsible._logistics_in_lang(self, self.company_id).env._(
            "No key-account manager with free capacity: assign one"
        )
        self._create_activities(
            [
                self._alert_vals(activity_type, partner, responsible, summary)
                for partner in todo
            ]
        )
