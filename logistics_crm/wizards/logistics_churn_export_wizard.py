from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import date_utils

from ..logic import churn


class LogisticsChurnExportWizard(models.TransientModel):
    """Churn rates of a company as a workbook: per month or quarter, per tier and
    per key-account manager (at the start of the range, from the histories), and
    the customers lost."""

    _name = "logistics.churn.export.wizard"
    _description = "Churn Rate Export"
    _inherit = ["logistics.xlsx.export.mixin"]

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: date_utils.start_of(
            fields.Date.context_today(self), "year"
        ),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    period = fields.Selection(
        [(churn.QUARTER, "Quarter"), (churn.MONTH, "Month")],
        string="Rate per",
        required=True,
        default=churn.QUARTER,
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise UserError(
                    self.env._("The end of the period is before its start.")
                )

    def _policy(self):
        return self.env["logistics.tier.policy"]._get_company_policy(self.company_id)

    def _xlsx_build(self):
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot export the churn of %(company)s.",
                    company=self.company_id.name,
                )
            )
        policy = self._policy()
        workbook, buffer, formats = self._xlsx_workbook()
        percent = formats["percent"]
        env = self.env
        columns = [
            env._("Customers Active at Start"),
            env._("Customers Lost"),
            env._("Churn Rate"),
        ]

        def write_rates(sheet, line, label, active, lost, share):
            sheet.write(line, 0, label)
            sheet.write_number(line, 1, active)
            sheet.write_number(line, 2, lost)
            if share is not None:
                sheet.write_number(line, 3, share, percent)

        sheet, line = self._xlsx_sheet(
            workbook,
            formats,
            env._("Per Period"),
            [env._("Period"), *columns],
            title=env._(
                "Churn rate of %(company)s, %(start)s to %(end)s",
                company=self.company_id.name,
                start=self.date_from,
                end=self.date_to,
            ),
            widths=[(0, 0, 26), (1, 3, 22)],
        )
        lapsed = self.env.ref(
            "logistics_crm.logistics_churn_reason_lapsed", raise_if_not_found=False
        )
        sheet.write(
            1,
            0,
            env._(
                "Customers lost: marked as lost or lapsed (no business for "
                "%(months)s months), each once, on the day it was lost or lapsed; "
                "a lapse nobody explained has the reason “%(reason)s”.",
                months=policy.lifecycle_lapsed_months,
                reason=lapsed.sudo().name if lapsed else "",
            ),
        )
        for start, end in churn.periods(self.date_from, self.date_to, self.period):
            lost, active = policy._churn_counts(start, end)
            write_rates(
                sheet, line, f"{start} – {end}", active, lost, churn.rate(lost, active)
            )
            line += 1

        rows = policy._churn_breakdown(self.date_from, self.date_to)
        grade_names = dict(policy._grade_list())
        users = self.env["res.users"].browse(
            {row["manager_id"] for row in rows if row["manager_id"]}
        )
        user_names = {user.id: user.name for user in users.sudo()}
        for name, title, header, key, names, none_label in (
            (
                env._("Per Tier"),
                env._("Churn rate per tier at the start of the period"),
                env._("Tier at Start"),
                "tier",
                grade_names,
                env._("No tier"),
            ),
            (
                env._("Per Key-Account Manager"),
                env._("Churn rate per key-account manager at the start of the period"),
                env._("Key-Account Manager at Start"),
                "manager_id",
                user_names,
                env._("No key-account manager"),
            ),
        ):
            sheet, line = self._xlsx_sheet(
                workbook,
                formats,
                name,
                [header, *columns],
                title=title,
                widths=[(0, 0, 32), (1, 3, 22)],
            )
            for group, (active, lost, share) in sorted(
                churn.rates_by(rows, key).items(),
                key=lambda item: (item[0] is False, str(names.get(item[0], ""))),
            ):
                label = names.get(group, group) if group else none_label
                write_rates(sheet, line, label, active, lost, share)
                line += 1

        lost_sheet, line = self._xlsx_sheet(
            workbook,
            formats,
            env._("Customers Lost"),
            [
                env._("Customer"),
                env._("Churn Date"),
                env._("Tier When Lost"),
                env._("Key-Account Manager"),
                env._("Churn Reason"),
                env._("Lost to Competitor"),
                env._("Won Back"),
                env._("Lapsed On"),
            ],
            widths=[(0, 0, 36), (1, 7, 20)],
        )
        accounts = (
            self.env["logistics.customer.tier"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("churn_date", ">=", self.date_from),
                    ("churn_date", "<=", self.date_to),
                ],
                order="churn_date, id",
            )
        )
        for account in accounts:
            lost_sheet.write(line, 0, account.partner_id.display_name)
            lost_sheet.write(line, 1, str(account.churn_date))
            lost_sheet.write(line, 2, grade_names.get(account.churn_tier, ""))
            lost_sheet.write(line, 3, account.key_account_manager_id.name or "")
            lost_sheet.write(line, 4, account.churn_reason_id.name or "")
            lost_sheet.write(line, 5, account.churn_competitor or "")
            lost_sheet.write(line, 6, str(account.won_back_date or ""))
            lost_sheet.write(line, 7, str(account.lapsed_date or ""))
            line += 1
        return self._xlsx_finish(
            workbook, buffer, f"churn_{self.date_from}_{self.date_to}.xlsx"
        )
