import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..compat import notify_progress

_logger = logging.getLogger(__name__)

# tickets handled per call of the waiting cron (Odoo's runner commits between)
WAITING_CRON_BATCH = 500


class LogisticsTicketTeam(models.Model):
    _inherit = "logistics.ticket.team"

    waiting_reminder_days = fields.Integer(
        string="Remind after (days)",
        default=3,
        help="Days a ticket waits on the customer before the customer gets a "
        "reminder; 0: no reminder.",
    )
    waiting_close_days = fields.Integer(
        string="Close after (days)",
        default=7,
        help="Days a ticket waits on the customer, after the reminder, before it "
        "closes with a note; 0: never closed automatically.",
    )

    @api.constrains("waiting_reminder_days", "waiting_close_days")
    def _check_waiting_days(self):
        for team in self:
            if team.waiting_reminder_days < 0 or team.waiting_close_days < 0:
                raise ValidationError(
                    self.env._(
                        "The waiting days of team %(team)s cannot be negative "
                        "(0: the rule is off).",
                        team=team.name,
                    )
                )


class LogisticsTicket(models.Model):
    """Tickets waiting on the customer: one reminder after the team's days,
    then closed automatically with a note."""

    _inherit = "logistics.ticket"

    waiting_reminder_date = fields.Datetime(
        string="Customer Reminded on", readonly=True, copy=False
    )

    def write(self, vals):
        if "stage_id" in vals and "waiting_reminder_date" not in vals:
            # a new stage (the customer answered, the handler moved on) starts over
            vals = dict(vals, waiting_reminder_date=False)
        return super().write(vals)

    @api.model
    def _waiting_due(self, now, limit):
        """(to remind, to close): open tickets of teams with the rule on, waiting
        on the customer longer than the team allows."""
        self.env.flush_all()
        found = []
        for condition in (
            SQL(
                "tm.waiting_reminder_days > 0 AND t.waiting_reminder_date IS NULL "
                "AND t.sla_paused_since "
                "<= %s - make_interval(days => tm.waiting_reminder_days)",
                now,
            ),
            # a complaint closes only with its root cause: its handler closes it
            SQL(
                "tm.waiting_close_days > 0 AND t.waiting_reminder_date IS NOT NULL "
                "AND t.waiting_reminder_date "
                "<= %s - make_interval(days => tm.waiting_close_days) "
                "AND (t.is_complaint IS NOT TRUE OR t.root_cause IS NOT NULL)",
                now,
            ),
        ):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT t.id FROM logistics_ticket t
                      JOIN logistics_ticket_team tm ON tm.id = t.team_id
                     WHERE t.active AND t.is_closed IS NOT TRUE
                       AND t.sla_paused_since IS NOT NULL AND %s
                     ORDER BY t.sla_paused_since, t.id
                     LIMIT %s
                    """,
                    condition,
                    limit,
                )
            )
            found.append(self.browse([row[0] for row in self.env.cr.fetchall()]))
        return found

    @api.model
    def _cron_waiting_tickets(self):
        now = fields.Datetime.now()
        to_remind, to_close = self._waiting_due(now, WAITING_CRON_BATCH + 1)
        more = len(to_remind) + len(to_close) > WAITING_CRON_BATCH
        to_remind = to_remind[:WAITING_CRON_BATCH]
        to_close = to_close[: WAITING_CRON_BATCH - len(to_remind)]
        to_remind._remind_waiting_customer(now)
        closed = to_close._close_unanswered(now)
        done = len(to_remind) + len(closed)
        notify_progress(self.env, done, (1 if more else 0) if done else 0)

    def _remind_waiting_customer(self, now):
        """One email to each ticket's contact, in their language."""
        for ticket in self:
            partner = ticket.partner_id
            env = ticket.with_context(lang=partner.lang or ticket.env.lang).env
            if partner.email:
                ticket.message_post(
                    body=Markup("<p>%s</p>")
                    % env._(
                        "We are waiting for your answer on ticket %(ticket)s "
                        "(%(title)s). Please reply to this email so that we can go "
                        "on; without news the ticket closes in %(days)s days.",
                        ticket=ticket.number,
                        title=ticket.name,
                        days=ticket.team_id.waiting_close_days,
                    ),
                    partner_ids=partner.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        self.write({"waiting_reminder_date": now})

    def _close_unanswered(self, now):
        """Close with a note, each company's tickets in its own closing stage.

        :return: the tickets closed; one that fails is logged and waits another
            round (its reminder date moves to now), it does not hold the batch
        """
        closed = self.browse()
        for company_tickets in self.grouped("company_id").values():
            closing = company_tickets._closing_stage()
            if not closing:
                continue
            for ticket in company_tickets:
                try:
                    with self.env.cr.savepoint():
                        ticket.write({"stage_id": closing.id})
                        ticket._logistics_log_note(
                            self.env._(
                                "Closed automatically: no answer from the customer "
                                "%(days)s days after the reminder.",
                                days=ticket.team_id.waiting_close_days,
                            )
                        )
                    closed |= ticket
                except Exception:
                    _logger.exception(
                        "Ticket %s waits on its customer but could not be closed",
                        ticket.number,
                    )
        (self - closed).write({"waiting_reminder_date": now})
        return closed
