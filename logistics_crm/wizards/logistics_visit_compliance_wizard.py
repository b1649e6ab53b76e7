from odoo import _, fields, models

COLUMNS = ("planned", "on_time", "late", "overdue")


class LogisticsVisitComplianceWizard(models.TransientModel):
    _name = "logistics.visit.compliance.wizard"
    _description = "Visit Compliance Export"
    _inherit = ["logistics.xlsx.export.mixin"]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    def _compliance(self):
        """{(manager name, tier): {planned, on_time, late, overdue}} over the dates."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        start, end = self._local_period_bounds(self.date_from, self.date_to)
        visits = self.env["logistics.visit"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("planned", "done")),
                ("date", ">=", start),
                ("date", "<", end),
            ]
        )
        stats = {}
        for visit in visits:
            key = (visit.user_id.name, visit.tier or "")
            counts = stats.setdefault(key, dict.fromkeys(COLUMNS, 0))
            due = visit.due_date or self._local_datetime(visit.date).date()
            if visit.state == "planned":
                late = visit.overdue_since or due < today
                counts["overdue" if late else "planned"] += 1
            elif visit.done_date and self._local_datetime(visit.done_date).date() > due:
                counts["late"] += 1
            else:
                counts["on_time"] += 1
        return stats

    def _xlsx_build(self):
        self.ensure_one()
        stats = self._compliance()
        labels = dict(
            self.env["logistics.visit"]
            ._fields["tier"]
            ._description_selection(self.with_company(self.company_id).env)
        )
        workbook, buffer, formats = self._xlsx_workbook()
        bold, percent = formats["bold"], formats["percent"]
        sheet, line = self._xlsx_sheet(
            workbook,
            formats,
            _("Visit Compliance"),
            [
                _("Visit Owner"),
                _("Tier"),
                _("Planned"),
                _("Done on Time"),
                _("Done Late"),
                _("Overdue"),
                _("On-Time Rate"),
            ],
            title=_(
                "Visit compliance from %(start)s to %(end)s",
                start=self.date_from,
                end=self.date_to,
            ),
            widths=[(0, 1, 26), (2, 6, 14)],
        )
        totals = dict.fromkeys(COLUMNS, 0)
        tier_order = self.env["logistics.customer.grade"]._grade_order(self.company_id)
        for (manager, tier), counts in sorted(
            stats.items(), key=lambda item: (item[0][0], tier_order.get(item[0][1], 9))
        ):
            sheet.write(line, 0, manager)
            sheet.write(line, 1, labels.get(tier, ""))
            for col, key in enumerate(COLUMNS, start=2):
                sheet.write_number(line, col, counts[key])
                totals[key] += counts[key]
            finished = counts["on_time"] + counts["late"] + counts["overdue"]
            sheet.write_number(
                line, 6, counts["on_time"] / finished if finished else 0, percent
            )
            line += 1
        sheet.write(line, 0, _("Total"), bold)
        for col, key in enumerate(COLUMNS, start=2):
            sheet.write_number(line, col, totals[key], bold)
        self._write_checkin_sheet(workbook, formats)
        return self._xlsx_finish(
            workbook, buffer, f"visit_compliance_{self.date_from}_{self.date_to}.xlsx"
        )

    def _checkin_rows(self):
        """The visits of the period checked in, oldest first: one row each with
        local times (to the minute), time on site and distance to the customer."""
        self.ensure_one()
        start, end = self._local_period_bounds(self.date_from, self.date_to)
        visits = self.env["logistics.visit"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("checkin_date", ">=", start),
                ("checkin_date", "<", end),
            ],
            order="checkin_date, id",
        )
        return [
            {
                "user": visit.user_id.name,
                "customer": visit.partner_id.display_name,
                "checkin": self._local_datetime(visit.checkin_date),
                "checkout": self._local_datetime(visit.checkout_date) or None,
                "hours": visit.checkin_duration if visit.checkout_date else None,
                "distance": (
                    visit.checkin_distance if visit.checkin_distance_known else None
                ),
                "accuracy": visit.checkin_accuracy if visit.checkin_located else None,
            }
            for visit in visits
        ]

    def _write_checkin_sheet(self, workbook, formats):
        sheet, line = self._xlsx_sheet(
            workbook,
            formats,
            self.env._("Check-Ins"),
            [
                self.env._("Visit Owner"),
                self.env._("Customer"),
                self.env._("Checked In"),
                self.env._("Checked Out"),
                self.env._("Time on Site (hours)"),
                self.env._("Distance to Customer (m)"),
                self.env._("Position Accuracy (m)"),
            ],
            widths=[(0, 1, 26), (2, 3, 18), (4, 6, 14)],
        )
        stamp = formats["datetime"]
        for row in self._checkin_rows():
            sheet.write(line, 0, row["user"])
            sheet.write(line, 1, row["customer"])
            sheet.write_datetime(line, 2, row["checkin"], stamp)
            if row["checkout"]:
                sheet.write_datetime(line, 3, row["checkout"], stamp)
            if row["hours"] is not None:
                sheet.write_number(line, 4, row["hours"], formats["decimal"])
            if row["distance"] is not None:
                sheet.write_number(line, 5, row["distance"])
            if row["accuracy"] is not None:
                sheet.write_number(line, 6, row["accuracy"])
            line += 1
