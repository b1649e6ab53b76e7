from odoo import fields, models


class LogisticsChurnReason(models.Model):
    """Why a customer left (price, service failure, a competitor...).

    One global list, like CRM's lost reasons: the churn report compares
    companies by reason, which only works when they share the vocabulary.
    Reasons hold no company data, so there is no company rule to apply.
    """

    _name = "logistics.churn.reason"
    _description = "Churn Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
