from odoo import fields, models

SALES = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # each company of the database keeps its own list of accounts to win
    logistics_target_year = fields.Integer(
        string="Target Account of Year",
        company_dependent=True,
        help="The year this company is on the list of accounts the firm most wants "
        "to win.",
        groups=SALES,
    )
    # what each company knows of the prospect, kept from its opportunities (even
    # lost ones) so that the renewal watch can come back before the contract ends
    logistics_current_provider = fields.Char(
        string="Current Provider", company_dependent=True, groups=SALES
    )
    logistics_provider_contract_end = fields.Date(
        string="Provider Contract Ends", company_dependent=True, groups=SALES
    )
