from odoo import _, models
from odoo.tools import SQL


class LogisticsTierPolicy(models.Model):
    """Key-account managers from the policy's pool, by load and capacity."""

    _inherit = "logistics.tier.policy"

    def _load_weights(self):
        return {line.tier: line.account_load_weight for line in self.line_ids}

    def _manager_loads(self):
        """{user id: load points} of the accounts each user manages in the company."""
        self.ensure_one()
        weights = self._load_weights()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.key_account_manager_id, ct.tier, COUNT(*)
                  FROM res_partner p
                  JOIN logistics_customer_tier ct
                    ON ct.partner_id = p.id AND ct.company_id = %s
                 WHERE p.key_account_manager_id IS NOT NULL AND p.active
                 GROUP BY p.key_account_manager_id, ct.tier
                """,
                self.company_id.id,
            )
        )
        loads = {}
        for user_id, tier, count in self.env.cr.fetchall():
            loads[user_id] = loads.get(user_id, 0) + weights.get(tier, 0) * count
        return loads

    def action_auto_assign_key_accounts(self):
        self.check_access("write")
        for policy in self:
            policy._auto_assign_key_accounts()
        return True

    def _auto_assign_key_accounts(self):
        """Give a manager from the pool to customers whose tier needs one.

        The least-loaded manager (load / capacity) who can take the account's
        weight gets it; customers that already have a manager keep theirs. When
        nobody has room, the policy's responsible gets an activity instead.
        :return: (assigned partners, partners left without manager)
        """
        self.ensure_one()
        Partner = self.env["res.partner"]
        if not self.manager_ids:
            # no pool configured: automatic assignment is off
            return Partner, Partner
        needing_tiers = [
            line.tier for line in self.line_ids if line.key_account_required
        ]
        if not needing_tiers:
            return Partner, Partner
        rows = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("tier", "in", needing_tiers),
                    ("partner_id.key_account_manager_id", "=", False),
                    ("partner_id.active", "=", True),
                ],
                order="value desc, id",
            )
        )
        if not rows:
            return Partner, Partner
        weights = self._load_weights()
        loads = self._manager_loads()
        pool = {
            member.user_id: member.capacity
            for member in self.manager_ids
            if member.user_id.active
        }
        assignments = {}
        unassigned = Partner
        for row in rows:
            weight = weights.get(row.tier, 1)
            candidates = [
                (loads.get(user.id, 0) / capacity, loads.get(user.id, 0), user.id, user)
                for user, capacity in pool.items()
                if capacity and loads.get(user.id, 0) + weight <= capacity
            ]
            if not candidates:
                unassigned |= row.partner_id
                continue
            user = min(candidates, key=lambda c: c[:3])[3]
            loads[user.id] = loads.get(user.id, 0) + weight
            assignments.setdefault(user, Partner)
            assignments[user] |= row.partner_id
        assigned = Partner
        for user, partners in assignments.items():
            partners.sudo().with_context(
                logistics_assignment_reason=_("Automatic assignment by tier")
            ).write({"key_account_manager_id": user.id})
            assigned |= partners
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
        summary = self.with_context(lang=responsible.lang).env._(
            "No key-account manager with free capacity: assign one"
        )
        self.env["mail.activity"].sudo().create(
            [
                self._alert_vals(activity_type, partner, responsible, summary)
                for partner in todo
            ]
        )
