from markupsafe import Markup

from odoo import Command, models
from odoo.tools import SQL

from odoo.addons.logistics_crm.logic import abc_ranking, account_load, lanes

# the prospect's key among the account ids of the ranking
PROSPECT = -1


class CrmLead(models.Model):
    """Winning an opportunity makes its company a profiled logistics customer:
    the qualification reaches the profile, the lifecycle becomes
    new, and a key-account manager comes from the pool when the expected value
    ranks it in a grade that needs one."""

    _inherit = "crm.lead"

    def write(self, vals):
        newly_won = self.browse()
        if vals.get("stage_id"):
            stage = self.env["crm.stage"].browse(vals["stage_id"])
            if stage.is_won:
                newly_won = self.filtered(lambda lead: not lead.stage_id.is_won)
        result = super().write(vals)
        if newly_won:
            newly_won._logistics_won()
        return result

    def _logistics_won(self):
        for lead in self:
            customer = lead.partner_id.commercial_partner_id
            if not customer:
                continue
            company = lead.company_id or self.env.company
            customer = customer.sudo().with_company(company)
            lead._logistics_fill_profile(customer)
            lead._logistics_assign_manager(customer, company)

    def _logistics_fill_profile(self, customer):
        """Bring the qualification to the profile: the services, commodities
        and lanes join those of the customer, the figures fill the empty ones
        (what a rep entered on the customer stays)."""
        self.ensure_one()
        values = {}
        services = self.logistics_service_type_ids - customer.service_type_ids
        if services:
            values["service_type_ids"] = [Command.link(s.id) for s in services]
        categories = (
            self.logistics_commodity_category_ids - customer.commodity_category_ids
        )
        if categories:
            values["commodity_category_ids"] = [Command.link(c.id) for c in categories]
        new_lanes = self._logistics_new_lanes(customer)
        if new_lanes:
            values["lane_ids"] = [
                Command.create({"origin": origin, "destination": destination})
                for origin, destination in new_lanes
            ]
        if not customer.annual_shipment_estimate:
            values["annual_shipment_estimate"] = self.logistics_annual_shipments
        if not customer.annual_tonnage_estimate:
            values["annual_tonnage_estimate"] = self.logistics_annual_tonnes
        if not customer.customer_rank:
            values["customer_rank"] = 1
        if customer.lifecycle_stage in (False, "potential"):
            values["lifecycle_stage"] = "new"
        if customer.logistics_provider_contract_end:
            # the account is ours now: no renewal watch on the former provider
            values["logistics_current_provider"] = False
            values["logistics_provider_contract_end"] = False
        customer.write(values)

    def _logistics_new_lanes(self, customer):
        """The lanes typed on the lead that neither the customer nor one of its
        contacts has yet, as (origin, destination)."""
        self.ensure_one()
        known = {
            lanes.lane_key(lane.origin, lane.destination)
            for lane in self.env["logistics.partner.lane"]
            .sudo()
            .search([("partner_id", "child_of", customer.id)])
        }
        return [
            lane
            for lane in lanes.parse_lanes(self.logistics_lanes)
            if lanes.lane_key(*lane) not in known
        ]

    def _logistics_estimated_grade(self, policy):
        """The grade the expected revenue (scaled to the policy's period) would
        rank the prospect in among the company's current customers."""
        self.ensure_one()
        value = (self.expected_revenue or 0.0) * policy.period_months / 12.0
        # one plain read of the ranked values: 100,000 accounts rank in a second
        self.env["logistics.customer.tier"].flush_model(["company_id", "tier", "value"])
        self.env.cr.execute(
            SQL(
                "SELECT id, value FROM logistics_customer_tier "
                "WHERE company_id = %s AND tier IS NOT NULL",
                policy.company_id.id,
            )
        )
        values = dict(self.env.cr.fetchall())
        values[PROSPECT] = value
        ranking = abc_ranking.assign_tiers(
            values, policy._ranking_grades(), policy.method
        )
        return policy._service_level(ranking[PROSPECT].tier)

    def _logistics_assign_manager(self, customer, company):
        self.ensure_one()
        if customer.key_account_manager_id or not self.expected_revenue:
            return
        policy = self.env["logistics.tier.policy"]._get_company_policy(company)
        grade = self._logistics_estimated_grade(policy)
        if not grade.key_account_required:
            return
        user_id = account_load.least_loaded(
            policy._manager_loads(),
            policy._pool_capacities(),
            grade.account_load_weight or 1,
        )
        if not user_id:
            return
        manager = self.env["res.users"].browse(user_id)
        customer.key_account_manager_id = manager
        self._logistics_log_note(
            Markup("<p>%s</p>")
            % self.env._(
                "Expected to rank as %(grade)s: key-account manager %(manager)s "
                "assigned to %(customer)s.",
                grade=grade.name,
                manager=manager.name,
                customer=customer.name,
            )
        )
