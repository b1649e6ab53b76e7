from odoo import api, fields, models


class ResPartner(models.Model):
    """Service tickets of the customer: counts, rating and complaint rate."""

    _inherit = "res.partner"

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
