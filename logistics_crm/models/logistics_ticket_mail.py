from odoo import api, models
from odoo.tools import email_normalize, escape_psql, parse_contact_from_email

from ..logic import mail_domain


class LogisticsTicket(models.Model):
    """The mail gateway of tickets: who wrote, and to which customer they belong.

    The gateway runs as superuser and finds authors in every company; a ticket
    only takes a partner of its own company or a shared one. An unknown sender
    gets a contact of their own: a stranger attached to a customer would see
    and be seen in that customer's tickets.
    """

    _inherit = "logistics.ticket"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        team = self.env["logistics.ticket.team"].browse(values.get("team_id")).exists()
        if team:
            values.setdefault("company_id", team.company_id.id)
        company = (
            self.env["res.company"].browse(values.get("company_id")) or self.env.company
        )
        partner = self._mail_intake_partner(msg_dict, company, team)
        # the gateway's author may belong to another company: the message is
        # posted, and its author subscribed, as the partner found here
        msg_dict["author_id"] = partner.id
        subject = (msg_dict.get("subject") or "").strip()
        values.update(
            {
                "name": subject or self.env._("(no subject)"),
                "description": msg_dict.get("body") or False,
                "channel": "email",
                "partner_id": partner.id,
                # the gateway user is no handler: the team picks one up
                "user_id": values.get("user_id") or False,
            }
        )
        ticket = super().message_new(msg_dict, custom_values=values)
        if partner:
            ticket.message_subscribe(partner_ids=partner.ids)
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        # a reply's author found in another company neither signs nor follows
        if msg_dict.get("author_id") and len(self.company_id) == 1:
            author = self._mail_intake_known_partner(msg_dict, self.company_id)
            msg_dict["author_id"] = author.id
        return super().message_update(msg_dict, update_vals=update_vals)

    # ------------------------------------------------------------------
    # Finding the sender
    # ------------------------------------------------------------------
    @api.model
    def _mail_partner_in_company(self, partner, company):
        """Whether ``partner`` may be a contact of ``company``'s tickets."""
        return not partner.company_id or partner.company_id == company

    @api.model
    def _mail_intake_partner(self, msg_dict, company, team):
        """The partner of ``company`` who wrote ``msg_dict``, created if unknown.

        No partner for a mail without a usable sender address.
        """
        email = email_normalize(msg_dict.get("email_from") or "")
        if not email:
            return self.env["res.partner"]
        return self._mail_intake_known_partner(
            msg_dict, company
        ) or self._mail_intake_create_contact(msg_dict["email_from"], company, team)

    @api.model
    def _mail_intake_known_partner(self, msg_dict, company):
        """The author of ``msg_dict`` if ``company``'s tickets may take them.

        The gateway's author first, else the best match among the partners of
        ``company`` and the shared ones. Nobody when the address only belongs to
        partners of other companies.
        """
        Partner = self.env["res.partner"]
        author = Partner.browse(msg_dict.get("author_id")).exists()
        if author and self._mail_partner_in_company(author, company):
            return author
        if not email_normalize(msg_dict.get("email_from") or ""):
            return Partner
        found = self.env["mail.thread"]._mail_find_partner_from_emails(
            [msg_dict["email_from"]],
            extra_domain=[("company_id", "in", [company.id, False])],
        )[0]
        # users are searched by their current company: check the partner's own
        if found and self._mail_partner_in_company(found, company):
            return found
        return Partner

    @api.model
    def _mail_intake_create_contact(self, email_from, company, team):
        """A contact for an unknown sender: of the one customer their domain
        names when ``team`` matches by domain, else of nobody."""
        email = email_normalize(email_from)
        customer = self._mail_intake_customer_by_domain(email, company, team)
        name = parse_contact_from_email(email_from)[0]
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name or email,
                    "email": email,
                    "parent_id": customer.id,
                    "type": "contact",
                    # the sender wrote to this company, no other one needs them
                    "company_id": customer.company_id.id if customer else company.id,
                }
            )
        )

    @api.model
    def _mail_intake_customer_by_domain(self, email, company, team):
        """The customer of ``company`` whose addresses are at ``email``'s domain.

        Only for teams that match by domain, never for a free-mail domain, and
        only when the domain names one customer (company partner) of ``company``
        or shared: with two, guessing would show a stranger another's tickets.
        """
        Partner = self.env["res.partner"]
        domain = mail_domain.email_domain(email)
        if (
            not team.match_customer_by_domain
            or not domain
            or self.env["logistics.free.mail.domain"]._is_free_mail(domain)
        ):
            return Partner
        customer_domain = [
            ("email_normalized", "=like", f"%@{escape_psql(domain)}"),
            "|",
            ("company_id", "=", False),
            ("company_id", "=", company.id),
            ("commercial_partner_id.is_company", "=", True),
            ("commercial_partner_id.active", "=", True),
            "|",
            ("commercial_partner_id.company_id", "=", False),
            ("commercial_partner_id.company_id", "=", company.id),
            # our own companies are no customers: colleagues write from there
            (
                "commercial_partner_id",
                "not in",
                self.env["res.company"].sudo().search([]).partner_id.ids,
            ),
        ]
        # two are enough to know the domain names more than one customer
        groups = Partner.sudo()._read_group(
            customer_domain, groupby=["commercial_partner_id"], limit=2
        )
        if len(groups) != 1:
            return Partner
        return Partner.browse(groups[0][0].id)
