from odoo import SUPERUSER_ID, api, models
from odoo.tools.misc import babel_locale_parse, format_datetime, get_lang, posix_to_ldml

from ..compat import short_time_format

# channels where the customer wrote in and waits for a sign of life
ACKNOWLEDGED_CHANNELS = ("email", "portal")


class LogisticsTicket(models.Model):
    """A customer who writes in (email, portal) gets an acknowledgement: the
    ticket number, when to expect the first answer (its local time) and the
    link to follow the ticket."""

    _inherit = "logistics.ticket"

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered(
            lambda ticket: ticket.channel in ACKNOWLEDGED_CHANNELS
            and ticket.partner_id.email
        )._send_acknowledgement()
        return tickets

    def _send_acknowledgement(self):
        template = self.env.ref(
            "logistics_crm.mail_template_logistics_ticket_acknowledgement",
            raise_if_not_found=False,
        )
        if not template:
            return
        # posted by the system: a portal author would be left out of the
        # recipients as the current user; an automatic comment, so that the
        # customer's reply is a public message, not an internal note
        for ticket in self.with_user(SUPERUSER_ID):
            ticket.message_post_with_source(
                template,
                message_type="auto_comment",
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _acknowledgement_deadline(self):
        """The first-response deadline as the customer reads it (its time zone,
        else the company's), or "" without an SLA."""
        self.ensure_one()
        if not self.sla_response_deadline:
            return ""
        tz = self.partner_id.tz or self.company_id.partner_id.tz or "UTC"
        lang = self.partner_id.lang or self.env.lang
        return self._format_datetime_minutes(self.sla_response_deadline, tz, lang)

    def _format_datetime_minutes(self, value, tz=False, lang_code=None):
        """A stored datetime as the reader's date and time to the minute: the
        language's date and short time formats (the web client's, without seconds:
        "2026年11月16日 21时00分"), in ``tz`` (else the context's, else the user's)."""
        if not value:
            return ""
        lang = get_lang(self.env, lang_code)
        pattern = posix_to_ldml(
            f"{lang.date_format} {short_time_format(lang)}",
            locale=babel_locale_parse(lang.code),
        )
        return format_datetime(
            self.env,
            value,
            tz=tz or self.env.context.get("tz"),
            dt_format=pattern,
            lang_code=lang.code,
        )
