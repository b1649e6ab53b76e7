from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..compat import Constraint
from ..logic import mail_domain


class LogisticsFreeMailDomain(models.Model):
    _name = "logistics.free.mail.domain"
    _description = "Free-Mail Domain"
    _order = "name, id"

    name = fields.Char(
        string="Domain",
        required=True,
        help="What follows the @ of an address, e.g. qq.com; its subdomains "
        "(vip.qq.com) count too. Anyone can get an address at a free-mail "
        "domain: it never tells which customer a sender works for.",
    )
    active = fields.Boolean(default=True)

    _name_uniq = Constraint(
        "unique(name)",
        "This free-mail domain is already listed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name"):
                vals["name"] = mail_domain.normalize_domain(vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("name"):
            vals = dict(vals, name=mail_domain.normalize_domain(vals["name"]))
        return super().write(vals)

    @api.constrains("name")
    def _check_name(self):
        for record in self:
            if not mail_domain.is_valid_domain(record.name):
                raise ValidationError(
                    self.env._(
                        "“%(domain)s” is not an email domain: enter what follows "
                        "the @ of an address, e.g. qq.com.",
                        domain=record.name,
                    )
                )

    @api.model
    def _is_free_mail(self, domain):
        """Whether ``domain`` or a domain above it is a listed free-mail domain."""
        candidates = mail_domain.domain_candidates(domain)
        return bool(candidates) and bool(
            self.sudo().search_count([("name", "in", candidates)], limit=1)
        )
