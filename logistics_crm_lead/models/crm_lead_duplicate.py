from odoo import api, fields, models

from odoo.addons.logistics_crm.compat import PHONE_FIELDS, phone_numbers

from .crm_lead import SALES


class CrmLead(models.Model):
    """The duplicate check (查重) on leads: a lead for a customer that already
    exists, or that another rep owns, says so (its name, city and owner or the
    Customer Pool; nothing else of the customer)."""

    _inherit = "crm.lead"

    logistics_existing_customer_id = fields.Many2one(
        "res.partner",
        string="Existing Customer",
        compute="_compute_logistics_duplicate",
        help="The customer this lead is for, found by company name, phone "
        "number, or its own customer, when it is another rep's or already "
        "exists.",
        groups=SALES,
    )
    logistics_duplicate_warning = fields.Text(
        string="Duplicate Check",
        compute="_compute_logistics_duplicate",
        groups=SALES,
    )

    @api.depends(
        "partner_id",
        "partner_name",
        *PHONE_FIELDS,
        "country_id",
        "company_id",
        "user_id",
    )
    @api.depends_context("uid")
    def _compute_logistics_duplicate(self):
        found = self._logistics_find_customers()
        for lead in self:
            existing, lines = found.get(lead, (False, []))
            lead.logistics_existing_customer_id = existing
            lead.logistics_duplicate_warning = "\n".join(lines) or False

    def _logistics_find_customers(self):
        """{lead: (existing customer, lines to show)} for the leads that are
        for an existing customer owned by another than their salesperson, or
        that have no customer yet and match existing ones."""
        Partner = self.env["res.partner"].sudo()
        result = {}
        owned = {}
        probes = {}
        for lead in self:
            company = lead.company_id or self.env.company
            customer = lead.partner_id.commercial_partner_id
            if customer:
                owned.setdefault(company, []).append((lead, customer.sudo()))
            elif lead.partner_name or any(phone_numbers(lead)):
                probes[lead] = Partner.new(
                    {
                        "name": lead.partner_name or lead.contact_name or "",
                        "is_company": bool(lead.partner_name),
                        **dict(zip(PHONE_FIELDS, phone_numbers(lead), strict=False)),
                        "country_id": lead.country_id.id,
                        "company_id": company.id,
                    }
                )
        for company, items in owned.items():
            accounts = {
                row.partner_id: row
                for row in self.env["logistics.customer.tier"]
                .sudo()
                .search(
                    [
                        ("partner_id", "in", [c.id for _lead, c in items]),
                        ("company_id", "=", company.id),
                    ]
                )
            }
            for lead, customer in items:
                owner = Partner._logistics_duplicate_owner(
                    accounts.get(customer, self.env["logistics.customer.tier"])
                )
                if owner and owner != lead.user_id:
                    result[lead] = (
                        customer,
                        Partner._logistics_duplicate_lines({customer: set()}, company),
                    )
        if probes:
            new_partners = Partner.browse()
            for partner in probes.values():
                new_partners |= partner
            duplicates = new_partners._logistics_find_duplicates()
            for lead, partner in probes.items():
                found = duplicates.get(partner)
                if found:
                    company = lead.company_id or self.env.company
                    result[lead] = (
                        next(iter(found)),
                        Partner._logistics_duplicate_lines(found, company),
                    )
        return result

    @api.onchange("partner_id", "partner_name", *PHONE_FIELDS)
    def _onchange_logistics_duplicate(self):
        if len(self) != 1 or not self.logistics_duplicate_warning:
            return None
        return {
            "warning": {
                "title": self.env._("Duplicate Check"),
                "message": self.logistics_duplicate_warning,
            }
        }
