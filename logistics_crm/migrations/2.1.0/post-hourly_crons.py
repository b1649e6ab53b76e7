"""18.0.2.1.0: the nightly jobs run in each company's own night.

Their scheduled actions (noupdate) move from fixed UTC hours to an hourly call
that does the companies whose local night has come. Each company's last
scheduled day of a job is its local day of the job's last scheduled run, so
that no company is done twice for a day; a company never recomputed by the
scheduler waits for the first of the next month, as the monthly action did.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

CRONS = (
    "ir_cron_recompute_tiers",
    "ir_cron_schedule_visits",
    "ir_cron_proactive_activities",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        UPDATE ir_cron c
           SET interval_number = 1,
               interval_type = 'hours',
               nextcall = date_trunc('hour', now() at time zone 'UTC')
                          + interval '1 hour'
          FROM ir_model_data d
         WHERE d.module = 'logistics_crm' AND d.model = 'ir.cron'
           AND d.name IN %s AND c.id = d.res_id
        """,
        [CRONS],
    )
    tz = env["res.company"]._logistics_tz_sql("company")
    for job in ("recompute", "visits", "planner"):
        last = SQL.identifier("policy", f"cron_{job}_date")
        fallback = SQL("now()") if job == "recompute" else SQL("NULL")
        cr.execute(
            SQL(
                """
                UPDATE logistics_tier_policy policy
                   SET %(day)s = ((COALESCE(%(last)s AT TIME ZONE 'UTC', %(fallback)s))
                                  AT TIME ZONE %(tz)s)::date
                  FROM res_company company
                 WHERE company.id = policy.company_id AND %(day)s IS NULL
                """,
                day=SQL.identifier(f"cron_{job}_day"),
                last=last,
                fallback=fallback,
                tz=tz,
            )
        )
