from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..models.const import ACCOUNT_ROLE_FIELDS

# the account row's own identity and audit columns: never combined
_ACCOUNT_SKIP = {
    "id",
    "partner_id",
    "company_id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
}
# the later of the two dates is the customer's (the last order, the last survey
# sent, the last planned contact)
_ACCOUNT_LATEST = (
    "last_order_date",
    "survey_sent_date",
    "proactive_activity_date",
    "reengage_activity_date",
    "collection_activity_date",
    "lapsed_date",
)
_ACCOUNT_FORCED = ("forced_tier", "forced_reason", "forced_by_id", "forced_date")
_ACCOUNT_CHURN = (
    "is_lost",
    "churn_date",
    "churn_reason_id",
    "churn_competitor",
    "churn_note",
    "churn_tier",
    "win_back_status",
    "won_back_date",
)
_ACCOUNT_SURVEY = ("survey_date", "survey_recommend_score", "survey_score")


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge keeps the logistics data of every merged customer.

    Odoo moves each many2one to res.partner with SQL and, where the UPDATE breaks
    a unique constraint, deletes the source's rows. A customer has one account per
    company (unique(partner_id, company_id)) and one cadence-planned visit per
    company and cadence: before the move, the accounts of one company are combined
    into one (both histories kept, the team of the contact the user chose) and the
    duplicate visit plans dropped. After it, the addon's records that changed
    customer are recomputed as if their customer had been written through the ORM.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    logistics_team_partner_id = fields.Many2one(
        "res.partner",
        string="Keep the Account Team of",
        compute="_compute_logistics_team_partner_id",
        store=True,
        readonly=False,
        groups="logistics_crm.group_logistics_crm_user",
        help="Where the merged contacts have customer accounts in the same company, "
        "the combined account keeps this contact's key-account manager, backup "
        "manager and executive sponsor (a role this contact's account leaves empty "
        "comes from the other account).",
    )

    @api.depends("dst_partner_id")
    def _compute_logistics_team_partner_id(self):
        for wizard in self:
            wizard.logistics_team_partner_id = wizard.dst_partner_id

    @api.constrains("logistics_team_partner_id", "partner_ids")
    def _check_logistics_team_partner_id(self):
        for wizard in self.sudo():
            team = wizard.logistics_team_partner_id
            if team and wizard.partner_ids and team not in wizard.partner_ids:
                raise ValidationError(
                    self.env._(
                        "The account team kept must be the team of one of the merged "
                        "contacts."
                    )
                )

    # ------------------------------------------------------------------
    # The merge
    # ------------------------------------------------------------------
    def _update_foreign_keys(self, src_partners, dst_partner):
        team_partner = self._logistics_team_partner(src_partners, dst_partner)
        teams = self._logistics_combine_accounts(
            src_partners, dst_partner, team_partner
        )
        self._logistics_drop_duplicate_visit_plans(src_partners, dst_partner)
        moved = self._logistics_records_of(src_partners)
        result = super()._update_foreign_keys(src_partners, dst_partner)
        self._logistics_after_move(dst_partner, moved, teams)
        return result

    def _logistics_team_partner(self, src_partners, dst_partner):
        """The contact whose account team the combined accounts keep: the user's
        choice on the wizard, the destination otherwise (merges run from code)."""
        chosen = self.sudo().logistics_team_partner_id if len(self) == 1 else None
        if chosen and chosen in src_partners | dst_partner:
            return chosen
        return dst_partner

    @api.model
    def _logistics_team_fields(self):
        """The account's people the user's choice decides (the pool's owner can
        join them in its own module)."""
        return list(ACCOUNT_ROLE_FIELDS)

    def _logistics_combine_accounts(self, src_partners, dst_partner, team_partner):
        """Combine the accounts the merged customers have in the same company into
        one row: the destination's (else the chosen contact's, else the oldest).

        :return: [(kept account, {role: user}, [assignment history vals])], the
            team each kept account takes once every record has moved
        """
        Account = self.env["logistics.customer.tier"].sudo()
        accounts = Account.search(
            [("partner_id", "in", (src_partners | dst_partner).ids)], order="id"
        )
        teams = []
        for rows in accounts.grouped("company_id").values():
            if len(rows) < 2:
                continue
            by_partner = {row.partner_id: row for row in rows}
            keep = (
                by_partner.get(dst_partner) or by_partner.get(team_partner) or rows[0]
            )
            others = rows - keep
            teams.append(
                self._logistics_account_team(
                    keep, others, by_partner.get(team_partner, keep)
                )
            )
            values = self._logistics_combined_account_values(keep, others)
            values.update(
                self._logistics_pool_owner_values(
                    by_partner.get(team_partner, keep), rows
                )
            )
            # the children (assignments, health history, surveys) move onto the
            # kept row before the others are deleted with their cascades
            self.env.flush_all()
            self._update_foreign_keys_generic("logistics.customer.tier", others, keep)
            # the account started when the older of them did
            self.env.cr.execute(
                SQL(
                    "UPDATE logistics_customer_tier SET create_date = %s WHERE id = %s",
                    min(rows.mapped("create_date")),
                    keep.id,
                )
            )
            self.env.invalidate_all()
            others.unlink()
            if values:
                keep.with_context(logistics_account_method=True).write(values)
        return teams

    def _logistics_pool_owner_values(self, team_row, rows):
        """The combined account belongs to the owner of the chosen contact's
        account, else to the first owner found; in the pool when none has one.
        A key-account manager kept with the team takes it over afterwards."""
        owned = team_row if team_row.owner_id else rows.filtered("owner_id")[:1]
        if not owned:
            return {}
        return {
            "owner_id": owned.owner_id.id,
            "owner_since": owned.owner_since,
            "pool_date": False,
            "pool_reason": False,
        }

    def _logistics_account_team(self, keep, others, team_row):
        """The team of the combined account and the history of the people the
        other accounts lose with it (the kept row's changes are recorded by its
        own write)."""
        team, history = {}, []
        rows = team_row | keep | others
        for role in self._logistics_team_fields():
            team[role] = team_row[role] or next(
                (row[role] for row in rows if row[role]), team_row[role]
            )
        for row in others:
            for role, user in team.items():
                if row[role] and row[role] not in (user, keep[role]):
                    history.append(
                        {
                            "account_id": keep.id,
                            "role": role,
                            "from_user_id": row[role].id,
                            "to_user_id": user.id,
                        }
                    )
        return keep, team, history

    def _logistics_combined_account_values(self, keep, others):
        """What the kept account takes from the others: the later dates, the forced
        tier and the latest health, survey answer and churn of whichever account
        has them, and any figure the kept row lacks.

        The value is summed, the computed tier kept: the next recompute ranks the
        customer again from the invoices and volumes, which all moved to it.
        """
        rows = keep | others
        values = {}

        def take(source, names):
            for name in names:
                if name in keep._fields and source[name] != keep[name]:
                    values[name] = keep._fields[name].convert_to_write(
                        source[name], keep
                    )

        def latest(date_field):
            dated = rows.filtered(date_field)
            return max(dated, key=lambda row: row[date_field]) if dated else keep

        handled = set(_ACCOUNT_SKIP) | set(self._logistics_team_fields())
        for name in _ACCOUNT_LATEST:
            if name in keep._fields:
                handled.add(name)
                take(latest(name), [name])
        handled.update(_ACCOUNT_FORCED)
        take(next((row for row in rows if row.forced_tier), keep), _ACCOUNT_FORCED)
        handled.update(_ACCOUNT_SURVEY)
        take(latest("survey_date"), _ACCOUNT_SURVEY)
        health = [
            name
            for name, field in keep._fields.items()
            if name.startswith("health_") and field.store and not field.relational
        ]
        handled.update(health)
        take(latest("health_date"), health)
        # one account still trading makes the customer active: the churn kept is
        # the latest one of the accounts that end the same way
        handled.update(_ACCOUNT_CHURN)
        lost = rows.filtered("is_lost")
        same_end = lost if lost == rows else rows - lost
        take(
            max(same_end, key=lambda row: (bool(row.churn_date), row.churn_date or 0)),
            _ACCOUNT_CHURN,
        )
        handled.add("value")
        values["value"] = sum(rows.mapped("value"))
        # anything else (other modules' figures too): the kept row's, else the
        # first other account's
        for name, field in keep._fields.items():
            if (
                name in handled
                or not field.store
                or field.compute
                or field.type in ("one2many", "many2many")
            ):
                continue
            if not keep[name]:
                source = next((row for row in others if row[name]), None)
                if source:
                    take(source, [name])
        manual = values.get(
            "expected_next_order_manual_date", keep.expected_next_order_manual_date
        )
        last = values.get("last_order_date", keep.last_order_date)
        if manual and last and fields.Date.to_date(manual) <= fields.Date.to_date(last):
            # a hand-set date the later order already passed
            values["expected_next_order_manual_date"] = False
        return values

    def _logistics_drop_duplicate_visit_plans(self, src_partners, dst_partner):
        """One cadence-planned visit per customer, company and cadence: the
        destination's plan stays, the others are dropped the way the visit
        scheduler drops a plan (an overdue one stays as a plain planned visit)."""
        Visit = self.env["logistics.visit"].sudo()
        plans = Visit.search(
            [
                ("partner_id", "in", (src_partners | dst_partner).ids),
                ("state", "=", "planned"),
                ("is_scheduled", "=", True),
            ],
            order="id",
        )
        dropped = Visit
        for visits in plans.grouped(lambda v: (v.company_id, v.cadence)).values():
            if len(visits) > 1:
                kept = visits.filtered(lambda v: v.partner_id == dst_partner)[:1]
                dropped |= visits - (kept or visits[0])
        missed = dropped.filtered("is_overdue")
        missed.write({"is_scheduled": False})
        (dropped - missed).unlink()

    def _logistics_partner_links(self):
        """(model, field) of the addon's stored links to a customer."""
        return [
            (model._name, name)
            for model in self.env.registry.values()
            if model._name.startswith("logistics.")
            and not model._abstract
            and not model._transient
            and model._auto
            for name, field in model._fields.items()
            if field.type == "many2one"
            and field.comodel_name == "res.partner"
            and field.store
            and not field.company_dependent
        ]

    def _logistics_records_of(self, partners):
        """{(model, field): ids} of the addon's records linked to the partners."""
        self.env.flush_all()
        moved = {}
        for model_name, name in self._logistics_partner_links():
            Model = self.env[model_name]
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE %s IN %s",
                    SQL.identifier(Model._table),
                    SQL.identifier(name),
                    tuple(partners.ids),
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if ids:
                moved[model_name, name] = ids
        return moved

    def _logistics_after_move(self, dst_partner, moved, teams):
        """The moved records' stored fields that follow their customer (a ticket's
        tier and key-account manager, an account's region) are recomputed, the
        combined accounts take their team, and the visit plan follows."""
        self.env.invalidate_all()
        for (model_name, name), ids in moved.items():
            self.env[model_name].sudo().browse(ids).exists().modified([name])
        self.env.flush_all()
        reason = self.env._("Customers merged")
        Assignment = self.env["logistics.account.assignment"].sudo()
        for keep, team, history in teams:
            keep = keep.exists()
            changed = {
                role: user.id for role, user in team.items() if keep[role] != user
            }
            if changed:
                keep.with_context(logistics_assignment_reason=reason).write(changed)
            if history:
                # the kept row may have been a source's: its customer is known now
                Assignment.create(
                    [
                        dict(vals, partner_id=keep.partner_id.id, reason=reason)
                        for vals in history
                    ]
                )
        accounts = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search([("partner_id", "=", dst_partner.id)])
        )
        accounts._sync_ticket_managers()
        Policy = self.env["logistics.tier.policy"].sudo()
        Visit = self.env["logistics.visit"].sudo()
        for company in accounts.company_id:
            policy = Policy._get_company_policy(company)
            if policy:
                Visit._schedule_visits(dst_partner, policy=policy.sudo())
