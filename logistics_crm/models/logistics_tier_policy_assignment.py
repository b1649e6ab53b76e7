from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..logic import account_load

# Assign Managers Now on up to this many customers without a manager runs in the
# button's request; above it the button starts a background job. Not timed on
# its own: in `make bench` the monthly job assigns 20,000 customers (with their
# history and visit planning) as a part of its 33 s, so 500 stay well inside
# the second or two a button may take.
ASSIGN_AT_ONCE_ACCOUNTS = 500


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
        self._check_no_assignment_job()
        if (
            sum(
                policy._unmanaged_accounts(count=True)
                for policy in self
                if policy.manager_ids
            )
            > ASSIGN_AT_ONCE_ACCOUNTS
        ):
            return self._request_assignment()
        for policy in self:
            policy._auto_assign_key_accounts()
        return True

    def _check_no_assignment_job(self):
        """A company whose assignment runs in the background is not asked again."""
        open_runs = (
            self.env["logistics.job.run"]
            .sudo()
            .search(
                [
                    ("job", "=", "assign"),
                    ("requested", "=", True),
                    ("state", "in", ("queued", "running")),
                    ("company_id", "in", self.company_id.ids),
                ],
                limit=1,
            )
        )
        if open_runs:
            raise UserError(
                self.env._(
                    "Key-account managers of %(company)s are already being "
                    "assigned in the background. You get a notification when it "
                    "ends.",
                    company=open_runs.company_id.name,
                )
            )

    def _request_assignment(self):
        """One background request per company (each is one call of the runner)."""
        notification = None
        for policy in self.filtered("manager_ids"):
            _run, notification = self.env["logistics.job.run"]._start_request(
                "assign",
                policy.company_id,
                policy._unmanaged_accounts(count=True),
                {},
                "logistics_crm.ir_cron_job_requests",
                (
                    self.env._("Assignment started in the background"),
                    self.env._(
                        "Key-account managers are assigned to the customers of "
                        "%(company)s in the background. You get a notification "
                        "when it ends.",
                        company=policy.company_id.name,
                    ),
                    {"type": "ir.actions.client", "tag": "soft_reload"},
                ),
            )
        return notification

    def _unmanaged_accounts(self, count=False):
        """The company's accounts whose grade needs a key-account manager and
        that have none, the most valuable first (their number with `count`)."""
        self.ensure_one()
        needing_tiers = [
            grade.code for grade in self.grade_ids if grade.key_account_required
        ]
        Account = self.env["logistics.customer.tier"].sudo()
        if not needing_tiers:
            return 0 if count else Account
        domain = [
            ("company_id", "=", self.company_id.id),
            ("tier", "in", needing_tiers),
            ("key_account_manager_id", "=", False),
            ("partner_id.active", "=", True),
        ]
        if count:
            return Account.search_count(domain)
        return Account.search(domain, order="value desc, id")

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
        Account = self.env["logistics.customer.tier"].sudo()
        rows = self._unmanaged_accounts()
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
