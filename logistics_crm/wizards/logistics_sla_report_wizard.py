from dateutil.relativedelta import relativedelta

from odoo import _, fields, models

from ..logic import sla


class LogisticsSlaReportWizard(models.TransientModel):
    _name = "logistics.sla.report.wizard"
    _description = "SLA Report Export"
    _inherit = ["logistics.xlsx.export.mixin"]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    team_ids = fields.Many2many(
        "logistics.ticket.team", string="Teams", help="Empty: all teams."
    )

    def _ticket_domain(self):
        self.ensure_one()
        start, end = self._local_period_bounds(self.date_from, self.date_to)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("sla_start_date", ">=", start),
            ("sla_start_date", "<", end),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _team_rows(self, domain):
        """Per team: tickets, met, breached, compliance and average times."""
        Ticket = self.env["logistics.ticket"]
        rows = {}
        for team, count, response, resolution in Ticket._read_group(
            domain,
            groupby=["team_id"],
            aggregates=[
                "__count",
                "first_response_hours:avg",
                "resolution_hours:avg",
            ],
        ):
            rows[team] = {
                "count": count,
                "response": response or 0.0,
                "resolution": resolution or 0.0,
                "met": 0,
                "breached": 0,
                "rating": 0.0,
            }
        for team, met, breached, count in Ticket._read_group(
            domain + [("is_closed", "=", True), ("sla_policy_id", "!=", False)],
            groupby=["team_id", "sla_met", "sla_breached"],
            aggregates=["__count"],
        ):
            if met:
                rows[team]["met"] += count
            elif breached:
                rows[team]["breached"] += count
        for team, rating in Ticket._read_group(
            domain + [("rating_last_value", ">", 0)],
            groupby=["team_id"],
            aggregates=["rating_last_value:avg"],
        ):
            rows[team]["rating"] = rating
        return rows

    def _customer_rows(self, domain):
        Ticket = self.env["logistics.ticket"]
        rows = {}
        for partner, count in Ticket._read_group(
            domain, groupby=["commercial_partner_id"], aggregates=["__count"]
        ):
            rows[partner] = {"count": count, "complaints": 0, "shipments": 0}
        for partner, count in Ticket._read_group(
            domain + [("is_complaint", "=", True)],
            groupby=["commercial_partner_id"],
            aggregates=["__count"],
        ):
            rows[partner]["complaints"] = count
        partners = [p for p in rows if p]
        for partner, shipments in (
            self.env["logistics.volume"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", [p.id for p in partners]),
                    ("company_id", "=", self.company_id.id),
                    ("date", ">=", self.date_from + relativedelta(day=1)),
                    ("date", "<=", self.date_to),
                ],
                groupby=["commercial_partner_id"],
                aggregates=["shipment_count:sum"],
            )
        ):
            rows[partner]["shipments"] = shipments
        return rows

    def _calendar_label(self, team):
        """The working hours the team's deadlines count in, with their zone."""
        calendar = team.resource_calendar_id or self.company_id.resource_calendar_id
        return f"{calendar.name} ({calendar.tz})" if calendar else ""

    def _xlsx_build(self):
        self.ensure_one()
        domain = self._ticket_domain()
        tickets = self.env["logistics.ticket"].search(
            domain, order="sla_start_date, id"
        )
        status_labels = dict(
            tickets._fields["sla_status"]._description_selection(self.env)
        )
        priority_labels = dict(
            tickets._fields["priority"]._description_selection(self.env)
        )
        workbook, buffer, formats = self._xlsx_workbook()
        hours, percent, when = (
            formats["decimal"],
            formats["percent"],
            formats["datetime"],
        )
        summary, line = self._xlsx_sheet(
            workbook,
            formats,
            _("SLA by Team"),
            [
                _("Team"),
                _("Tickets"),
                _("SLA Met"),
                _("SLA Breached"),
                _("Compliance"),
                _("Avg. First Response (h)"),
                _("Avg. Resolution (h)"),
                _("Avg. Rating"),
                _("Working Hours"),
            ],
            title=_(
                "SLA report of %(company)s, %(start)s to %(end)s",
                company=self.company_id.name,
                start=self.date_from,
                end=self.date_to,
            ),
            widths=[(0, 0, 32), (1, 7, 16), (8, 8, 40)],
        )
        for team, row in self._team_rows(domain).items():
            summary.write(line, 0, team.display_name or _("No team"))
            summary.write_number(line, 1, row["count"])
            summary.write_number(line, 2, row["met"])
            summary.write_number(line, 3, row["breached"])
            compliance = sla.compliance_percent(row["met"], row["breached"])
            if compliance is not None:
                summary.write_number(line, 4, compliance / 100.0, percent)
            summary.write_number(line, 5, row["response"], hours)
            summary.write_number(line, 6, row["resolution"], hours)
            summary.write_number(line, 7, row["rating"], hours)
            summary.write(line, 8, self._calendar_label(team))
            line += 1

        customers, line = self._xlsx_sheet(
            workbook,
            formats,
            _("Customers"),
            [
                _("Customer"),
                _("Tickets"),
                _("Complaints"),
                _("Shipments"),
                _("Complaints per 100 Shipments"),
            ],
            widths=[(0, 0, 36), (1, 4, 18)],
        )
        for partner, row in self._customer_rows(domain).items():
            customers.write(line, 0, partner.display_name or _("No customer"))
            customers.write_number(line, 1, row["count"])
            customers.write_number(line, 2, row["complaints"])
            customers.write_number(line, 3, row["shipments"])
            rate = sla.complaint_rate(row["complaints"], row["shipments"])
            if rate is not None:
                customers.write_number(line, 4, rate, hours)
            line += 1

        detail, _first = self._xlsx_sheet(
            workbook,
            formats,
            _("Tickets"),
            [
                _("Number"),
                _("Title"),
                _("Customer"),
                _("Tier"),
                _("Type"),
                _("Team"),
                _("Handler"),
                _("Priority"),
                _("Opened"),
                _("First Response Deadline"),
                _("First Response"),
                _("Resolution Deadline"),
                _("Closed"),
                _("First Response (h)"),
                _("Resolution (h)"),
                _("SLA Status"),
                _("Rating"),
            ],
            widths=[(0, 0, 18), (1, 2, 32), (3, 16, 16)],
        )
        for line, ticket in enumerate(tickets, start=1):
            detail.write(line, 0, ticket.number or "")
            detail.write(line, 1, ticket.name)
            detail.write(line, 2, ticket.commercial_partner_id.display_name or "")
            detail.write(line, 3, ticket.customer_tier or "")
            detail.write(line, 4, ticket.type_id.display_name or "")
            detail.write(line, 5, ticket.team_id.display_name or "")
            detail.write(line, 6, ticket.user_id.display_name or "")
            detail.write(line, 7, priority_labels.get(ticket.priority, ""))
            for col, value in (
                (8, ticket.sla_start_date),
                (9, ticket.sla_response_deadline),
                (10, ticket.first_response_date),
                (11, ticket.sla_resolution_deadline),
                (12, ticket.closed_date),
            ):
                if value:
                    detail.write_datetime(line, col, self._local_datetime(value), when)
            detail.write_number(line, 13, ticket.first_response_hours, hours)
            detail.write_number(line, 14, ticket.resolution_hours, hours)
            detail.write(line, 15, status_labels.get(ticket.sla_status, ""))
            if ticket.rating_last_value:
                detail.write_number(line, 16, ticket.rating_last_value)
        return self._xlsx_finish(
            workbook, buffer, f"sla_report_{self.date_from}_{self.date_to}.xlsx"
        )
