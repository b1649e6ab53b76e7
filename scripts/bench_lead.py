"""Benchmark of the bridge addon logistics_crm_lead (run by scripts/bench.sh).

On a database with crm and logistics_crm_lead installed, among N companies of
which 10% are this year's target accounts with provider contracts ending over
the next year (a fifth of them already worked in an open opportunity), one call
of the renewal watch cron (a full batch of opportunities with their calls) is
measured against, in the same run:
1. its SQL lower bound: a due query written for the bound (not the addon's)
   and bare INSERTs of the opportunities and activities;
2. Odoo's native bound: the same due query, then the same opportunities and
   activities created by one batched ORM call each.
Compare ratios, not seconds: the machines are small and noisy.
"""

import argparse
import sys
import time
from datetime import date

from bench import clone_sql, open_database
from odoo_script import add_connection_arguments


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", required=True)
    add_connection_arguments(parser)
    args, _unknown = parser.parse_known_args()
    return args


class LeadBench:
    def __init__(self, args):
        self.args = args
        _odoo, self.registry, self.cr, self.env = open_database(args)
        self.company = self.env.company
        self.today = date.today()
        self.Lead = self.env["crm.lead"]
        from odoo.addons.logistics_crm_lead.models import (  # noqa: PLC0415
            crm_lead_renewal,
        )

        self.batch = crm_lead_renewal.RENEWAL_CRON_BATCH

    def timed(self, function):
        self.env.invalidate_all()
        start = time.perf_counter()
        result = function()
        return time.perf_counter() - start, result

    def make_companies(self, count):
        from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

        rep = self.env["res.users"].create(
            {
                "name": "Bench Rep",
                "login": "bench_lead_rep",
                GROUPS_FIELD: [(4, self.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        template = self.env["res.partner"].create(
            {"name": "Bench prospect", "is_company": True}
        )
        self.env.flush_all()
        overrides = {
            "name": "'Bench prospect ' || g",
            "complete_name": "'Bench prospect ' || g",
            "user_id": str(rep.id),
            # every 10th a target account of this year, its contract ending
            # somewhere in the coming year
            "logistics_target_year": (
                f"CASE WHEN mod(g, 10) = 0 THEN jsonb_build_object("
                f"'{self.company.id}', {self.today.year}) END"
            ),
            # company-dependent: one value per company id
            "logistics_current_provider": (
                f"jsonb_build_object('{self.company.id}', 'Rival Freight')"
            ),
            "logistics_provider_contract_end": (
                f"jsonb_build_object('{self.company.id}', "
                f"DATE '{self.today}' + mod(g, 365))"
            ),
        }
        clone_sql(self.cr, "res_partner", template.id, overrides, count)
        self.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE commercial_partner_id = %s AND id != %s",
            [template.id, template.id],
        )
        # a fifth of the target accounts are already worked on
        self.cr.execute(
            """
            INSERT INTO crm_lead (name, type, partner_id, company_id, user_id,
                                  active, probability, stage_id, create_date)
            SELECT 'Open deal ' || p.id, 'opportunity', p.id, %s, %s, true, 10,
                   (SELECT id FROM crm_stage WHERE is_won IS NOT TRUE
                     ORDER BY sequence LIMIT 1), now()
              FROM res_partner p
             WHERE p.logistics_target_year IS NOT NULL AND mod(p.id / 10, 5) = 0
            """,
            [self.company.id, rep.id],
        )
        self.cr.execute("ANALYZE res_partner")
        self.cr.execute("ANALYZE crm_lead")
        self.cr.commit()

    def due(self):
        """The addon's due query, timed alone for the row "of which"."""
        return self.Lead._renewal_watch_due(self.company, self.today, self.batch + 1)[
            : self.batch
        ]

    def bound_due(self):
        """[(partner id, contract end)] selected for the bounds, the simplest way:
        this year's target accounts of the company whose contract (the company's
        value in the JSON columns) ends within the window, without an open
        opportunity of the company nor one opened for this contract end."""
        company = str(self.company.id)
        self.cr.execute(
            """
            SELECT p.id, (p.logistics_provider_contract_end ->> %(company)s)::date
              FROM res_partner p
             WHERE p.active AND p.is_company
               AND (p.logistics_target_year ->> %(company)s)::int >= %(year)s
               AND (p.logistics_provider_contract_end ->> %(company)s)::date
                   BETWEEN %(today)s AND %(today)s::date + %(days)s
               AND (p.company_id IS NULL OR p.company_id = %(company_id)s)
               AND NOT EXISTS (
                   SELECT 1 FROM crm_lead l
                     JOIN res_partner lp ON lp.id = l.partner_id
                     LEFT JOIN crm_stage s ON s.id = l.stage_id
                    WHERE lp.commercial_partner_id = p.id
                      AND (l.company_id IS NULL OR l.company_id = %(company_id)s)
                      AND (l.logistics_renewal_contract_end
                           = (p.logistics_provider_contract_end ->> %(company)s)::date
                           OR (l.active AND s.is_won IS NOT TRUE)))
             ORDER BY 2, 1
             LIMIT %(limit)s
            """,
            {
                "company": company,
                "company_id": self.company.id,
                "year": self.today.year,
                "today": self.today,
                "days": self.company.logistics_renewal_watch_days,
                "limit": self.batch,
            },
        )
        return self.cr.fetchall()

    def native_bound(self):
        """The due partners' opportunities and calls by one batched ORM call each."""
        due = self.bound_due()
        partners = self.env["res.partner"].browse([row[0] for row in due])
        leads = self.Lead.create(
            [
                {
                    "name": f"{partner.name}: contract ends {end}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "user_id": partner.user_id.id,
                    "date_deadline": end,
                }
                for partner, (_id, end) in zip(partners, due, strict=True)
            ]
        )
        call = self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": call.id,
                    "date_deadline": self.today,
                    "user_id": lead.user_id.id,
                }
                for lead in leads
            ]
        )
        self.env.flush_all()
        return leads

    def sql_bound(self):
        due = self.bound_due()
        self.cr.execute(
            """
            WITH due AS (SELECT unnest(%s::int[]) AS partner_id),
            leads AS (
                INSERT INTO crm_lead (name, type, partner_id, company_id, user_id,
                                      active, probability, create_date)
                SELECT 'Renewal ' || p.name, 'opportunity', p.id, %s, p.user_id,
                       true, 10, now()
                  FROM due JOIN res_partner p ON p.id = due.partner_id
                RETURNING id, user_id)
            INSERT INTO mail_activity (res_model_id, res_model, res_id,
                                       activity_type_id, date_deadline, user_id)
            SELECT %s, 'crm.lead', leads.id, %s, %s, leads.user_id FROM leads
            """,
            [
                [row[0] for row in due],
                self.company.id,
                self.env["ir.model"]._get_id("crm.lead"),
                self.env.ref("mail.mail_activity_data_call").id,
                self.today,
            ],
        )

    def run(self):
        args = self.args
        out = print
        self.make_companies(args.customers)
        self.company.logistics_renewal_watch_days = 90
        addon_time, opened = self.timed(self.Lead._cron_renewal_watch)
        self.cr.rollback()
        native_time, _r = self.timed(self.native_bound)
        self.cr.rollback()
        sql_time, _r = self.timed(self.sql_bound)
        self.cr.rollback()
        due_time, _r = self.timed(self.due)
        bound_due = self.bound_due()
        if len(bound_due) != len(opened):
            print(
                f"WARNING: renewal watch: the bounds' due query found "
                f"{len(bound_due)} accounts, the addon opened {len(opened)}: the "
                f"bounds are not the same work",
                file=sys.stderr,
            )
        out(
            f"| renewal watch: one cron call opening {len(opened)} opportunities "
            f"with their calls among {args.customers} companies "
            f"({args.customers // 10} target accounts) | {addon_time:.2f} | | |"
        )
        out(
            f"| of which the due query (target year and contract end per company) "
            f"| {due_time:.2f} | | |"
        )
        out(
            f"| SQL lower bound (its own due query, bulk INSERTs) "
            f"| {sql_time:.2f} | {addon_time / sql_time:.2f} | gap: Odoo creates |"
        )
        out(
            f"| the same opportunities and calls by one batched Odoo create each "
            f"| {native_time:.2f} | {addon_time / native_time:.2f} | <= 1.5 |"
        )
        self.cr.close()


if __name__ == "__main__":
    LeadBench(parse_args()).run()
