"""Benchmark of the tier recompute on synthetic data (run by scripts/bench.sh).

Prints, measured in one run on one database:
1. the addon's first recompute and a steady-state recompute (~1% of customers'
   invoices changed), at 10%, 30% and 100% of the invoices;
2. their lower bounds in plain SQL: the aggregate-and-rank query (GROUP BY +
   window function) plus one bulk write of every tier and one bulk INSERT of the
   history (first run), or the query plus writing only the changed rows (steady);
3. a naive ORM implementation (search and sum per customer, one write per
   customer) on a 2,000-customer subset, scaled per customer;
4. the memory of the recompute itself: the peak of its Python allocations
   (tracemalloc, in an untimed run) and the peak growth of the process's
   resident memory over the timed run (the kernel's peak reset before it);
5. the whole monthly job (tiers, lifecycle, alerts, key-account assignment from a
   pool, visit planning) against the sum of its parts' SQL lower bounds;
6. the daily planner, the SLA escalation and the account health against SQL
   lower bounds;
7. the partner list a rep opens (web_search_read of 80 customers with the
   addon's list columns) against the same call on a database without the addon;
8. the nightly customer-pool reclaim of every account (follow-up dates, warnings
   and returns as the cron's batches do them) against its SQL lower bound
   (`--only-reclaim` measures this step alone, on the customers and invoices);
9. *Recompute Now* pressed by a manager: the time to the button's return (it
   records a background request and triggers the scheduled action) and to the
   job's end, the scheduled action run as Odoo's cron runner runs it
   (`_acquire_one_job` and `_process_job` until the job is no longer ready:
   no trigger and no progress remaining); `--only-recompute-button` measures it
   alone, as the company's first recompute.
Compare ratios, not seconds: the machines are small and noisy.
"""

import argparse
import heapq
import resource
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta

from odoo_script import add_connection_arguments, load_odoo


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--naive-subset", type=int, default=2_000)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--birthdays", type=int, default=100_000)
    parser.add_argument("--managers", type=int, default=50)
    parser.add_argument(
        "--only-reclaim",
        action="store_true",
        help="measure the customer-pool reclaim only (after the data and a first "
        "recompute)",
    )
    parser.add_argument(
        "--only-recompute-button",
        action="store_true",
        help="measure Recompute Now only (after the data): the button's return "
        "and the background job's end",
    )
    parser.add_argument(
        "--baseline-db",
        help="a database with the addon's dependencies but not the addon, for the "
        "partner list comparison",
    )
    parser.add_argument("--db", required=True)
    add_connection_arguments(parser)
    return parser.parse_args()


def status_mb(key):
    """A memory figure of this process from /proc/self/status, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_mb():
    return status_mb("VmRSS")


def rss_growth(function):
    """(result, MB): the peak resident memory of the process while `function`
    runs, above what it held before. The kernel's peak (VmHWM) is reset to the
    current size first, so earlier steps of the bench do not count."""
    before = rss_mb()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        reset = True
    except OSError:
        reset = False
    result = function()
    if reset:
        peak = status_mb("VmHWM")
    else:  # the kernel keeps the peak since the start: an upper bound
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result, max(peak - before, 0.0)


def traced_peak_mb(function):
    """The peak of Python allocations made while `function` runs (tracemalloc),
    in MB: what the step itself holds at once, whatever the process held before.
    Tracing slows Python down, so this is never a timed run."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def open_database(args):
    """(odoo, registry, cursor, superuser environment) of args.db, with the
    project's addons on the path."""
    odoo = load_odoo(args)
    registry = odoo.modules.registry.Registry(args.db)
    cr = registry.cursor()
    return odoo, registry, cr, odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def clone_sql(cr, table, template_id, overrides, count):
    """INSERT `count` copies of a template row, with column overrides (SQL
    expressions of the copy's number g); returns the new ids."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    columns = [row[0] for row in cr.fetchall()]
    select = [overrides.get(col, f't."{col}"') for col in columns]
    col_list = ", ".join(f'"{col}"' for col in columns)
    query = (
        f"INSERT INTO {table} ({col_list}) SELECT {', '.join(select)} "
        f"FROM {table} t CROSS JOIN generate_series(1, %s) g WHERE t.id = %s "
        "RETURNING id"
    )
    cr.execute(query, [count, template_id])
    return [row[0] for row in cr.fetchall()]


class Bench:
    def __init__(self, args):
        self.args = args
        self.odoo, self.registry, self.cr, self.env = open_database(args)
        self.company = self.env.company
        self.policy = self.env["logistics.tier.policy"]._get_company_policy(
            self.company
        )
        # four grades (the railway A-D grading): the targets hold for N grades
        if len(self.policy.grade_ids) != 4:
            self.policy.with_context(
                grade_template="railway"
            ).action_apply_grade_template()
            self.cr.commit()
        self.today = date.today()
        self.partner_ids = []
        self.invoices_inserted = 0

    # ------------------------------------------------------------------ data
    def make_customers(self, count):
        Partner = self.env["res.partner"]
        template = Partner.create(
            {"name": "Bench template", "is_company": True, "customer_rank": 1}
        )
        self.env.flush_all()
        ids = clone_sql(
            self.cr,
            "res_partner",
            template.id,
            {
                "name": "'Bench customer ' || g",
                "complete_name": "'Bench customer ' || g",
                "commercial_partner_id": "NULL",
            },
            count,
        )
        self.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE commercial_partner_id IS NULL"
        )
        template.active = False
        self.env.flush_all()
        self.partner_ids = ids
        self.cr.commit()

    def ensure_invoice_template(self):
        Move = self.env["account.move"]
        if not self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        ):
            self.env["account.chart.template"].try_loading(
                "generic_coa", self.company, install_demo=False
            )
        move = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_ids[0],
                "invoice_date": self.today,
                "invoice_line_ids": [
                    (0, 0, {"name": "Freight", "price_unit": 100.0, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        self.env.flush_all()
        self.invoice_template_id = move.id
        self.cr.commit()

    def add_invoices(self, count):
        """Posted invoices over 24 months; customers drawn with a Pareto-like skew."""
        start = self.invoices_inserted
        self.cr.execute("SELECT setseed(%s)", [0.42 if not start else 0.17])
        self.cr.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_partners (n int, id int)"
        )
        self.cr.execute("TRUNCATE bench_partners")
        self.cr.execute(
            "INSERT INTO bench_partners SELECT row_number() OVER () - 1, id "
            "FROM unnest(%s::int[]) AS id",
            [self.partner_ids],
        )
        n = len(self.partner_ids)
        # random() in the outer query: once per invoice, not once per scanned row
        pick = f"floor({n} * power(random(), 3))::int"
        amount = "round((200 + 4800 * power(random(), 2))::numeric, 2)"
        day = "(%(today)s::date - floor(random() * 730)::int)"
        # one INSERT ... SELECT: a copy of the template per generated row
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'account_move' AND column_name != 'id' "
            "ORDER BY ordinal_position"
        )
        columns = [row[0] for row in self.cr.fetchall()]
        overrides = {
            "partner_id": "bench.pid",
            "commercial_partner_id": "bench.pid",
            "name": f"'BENCH/' || (bench.g + {start})",
            "invoice_date": "bench.day",
            "date": "bench.day",
            "amount_untaxed": "bench.amount",
            "amount_untaxed_signed": "bench.amount",
            "amount_untaxed_in_currency_signed": "bench.amount",
            "amount_total": "bench.amount",
            "amount_total_signed": "bench.amount",
            "amount_total_in_currency_signed": "bench.amount",
            "amount_residual": "bench.amount",
            "amount_residual_signed": "bench.amount",
        }
        select = ", ".join(overrides.get(col, f't."{col}"') for col in columns)
        col_list = ", ".join(f'"{col}"' for col in columns)
        self.cr.execute(
            f"""
            INSERT INTO account_move ({col_list})
            SELECT {select}
              FROM account_move t,
                   (SELECT x.g, p.id AS pid, x.amount, x.day
                      FROM (SELECT g, {pick} AS k, {amount} AS amount, {day} AS day
                              FROM generate_series(1, %(count)s) g) x
                      JOIN bench_partners p ON p.n = x.k) bench
             WHERE t.id = %(template)s
            """,
            {"count": count, "template": self.invoice_template_id, "today": self.today},
        )
        self.cr.execute("ANALYZE account_move")
        self.invoices_inserted += count
        self.cr.commit()

    def change_one_percent(self):
        """~1% of customers get their recent invoices tripled or cut."""
        self.cr.execute("SELECT setseed(0.99)")
        self.cr.execute(
            """
            WITH chosen AS (
                SELECT id FROM unnest(%s::int[]) AS id WHERE random() < 0.01
            )
            UPDATE account_move m
               SET amount_untaxed_signed = m.amount_untaxed_signed
                       * CASE WHEN m.id %% 2 = 0 THEN 3 ELSE 0.2 END
              FROM chosen
             WHERE m.commercial_partner_id = chosen.id
               AND m.invoice_date > %s::date - 90
            """,
            [self.partner_ids, self.today],
        )
        self.cr.commit()

    # ------------------------------------------------------------- measures
    def timed(self, function):
        self.env.invalidate_all()
        start = time.perf_counter()
        result = function()
        return time.perf_counter() - start, result

    REPEAT = 7

    def median_timed(self, function, vals_list):
        """(median seconds, values of the last run) of `function` run REPEAT
        times on fresh copies of `vals_list` (steps of a few milliseconds)."""
        timings = []
        for _i in range(self.REPEAT):
            copies = [dict(vals) for vals in vals_list]
            seconds, _r = self.timed(lambda copies=copies: function(copies))
            timings.append(seconds)
        timings.sort()
        return timings[len(timings) // 2], copies

    @staticmethod
    def check_same_size(step, addon, bound):
        """A bound is the same work as the step: say so when it is not."""
        if addon != bound:
            print(
                f"WARNING: {step}: the lower bound handled {bound} records, the "
                f"addon {addon}: the bound is not the same work",
                file=sys.stderr,
            )

    def addon_tiers(self):
        return self.policy._rank_and_store_tiers("cron", self.today)

    def addon_followups(self, scope, changes):
        self.policy._update_lifecycle(scope, self.today)
        self.policy._create_alerts(scope, changes, self.today)

    RANK_QUERY = """
        CREATE TEMP TABLE lower_bound ON COMMIT DROP AS
        WITH v AS (
            SELECT p.id AS pid, COALESCE(s.value, 0) AS value
              FROM res_partner p
              LEFT JOIN (
                    SELECT commercial_partner_id, SUM(amount_untaxed_signed) AS value
                      FROM account_move
                     WHERE company_id = %(company)s AND state = 'posted'
                       AND move_type IN ('out_invoice', 'out_refund')
                       AND invoice_date > %(today)s::date - interval '12 months'
                       AND invoice_date <= %(today)s::date
                     GROUP BY commercial_partner_id
                   ) s ON s.commercial_partner_id = p.id
             WHERE p.active AND p.id = p.commercial_partner_id
               AND p.customer_rank > 0
        ), r AS (
            SELECT pid, value, rank() OVER (ORDER BY value DESC) AS rnk,
                   count(*) OVER () AS n
              FROM v
        )
        SELECT pid, value, rnk, rnk * 100.0 / n AS pct,
               CASE WHEN value <= 0 THEN 'D'
                    WHEN rnk * 100.0 / n <= 5 THEN 'A'
                    WHEN rnk * 100.0 / n <= 20 THEN 'B'
                    WHEN rnk * 100.0 / n <= 50 THEN 'C'
                    ELSE 'D' END AS tier
          FROM r
    """

    def lower_bound_first(self):
        params = {"company": self.company.id, "today": self.today}
        self.cr.execute(self.RANK_QUERY, params)
        self.cr.execute(
            """
            INSERT INTO logistics_customer_tier
                   (partner_id, company_id, computed_tier, tier, value)
            SELECT pid, %(company)s, tier, tier, value FROM lower_bound
            """,
            params,
        )
        self.cr.execute(
            """
            INSERT INTO logistics_tier_history (partner_id, company_id, date,
                   new_tier, value, rank, percentile, source)
            SELECT pid, %(company)s, now(), tier, value, rnk, pct, 'cron'
              FROM lower_bound
            """,
            params,
        )

    def lower_bound_steady(self):
        params = {"company": self.company.id, "today": self.today}
        self.cr.execute(self.RANK_QUERY, params)
        self.cr.execute(
            """
            INSERT INTO logistics_tier_history (partner_id, company_id, date,
                   previous_tier, new_tier, value, rank, percentile, source)
            SELECT lb.pid, %(company)s, now(), t.tier, lb.tier, lb.value, lb.rnk,
                   lb.pct, 'cron'
              FROM lower_bound lb
              JOIN logistics_customer_tier t
                ON t.partner_id = lb.pid AND t.company_id = %(company)s
             WHERE t.tier IS DISTINCT FROM lb.tier
            """,
            params,
        )
        self.cr.execute(
            """
            UPDATE logistics_customer_tier t
               SET computed_tier = lb.tier, tier = lb.tier, value = lb.value
              FROM lower_bound lb
             WHERE t.partner_id = lb.pid AND t.company_id = %(company)s
               AND (t.tier IS DISTINCT FROM lb.tier
                    OR t.value IS DISTINCT FROM lb.value)
            """,
            params,
        )

    def naive_orm(self, subset):
        """Per-customer search and sum, then one ORM write per customer."""
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415

        from odoo.addons.logistics_crm.logic import abc_ranking  # noqa: PLC0415

        Move = self.env["account.move"]
        CustomerTier = self.env["logistics.customer.tier"]
        date_from = self.today - relativedelta(months=12)
        values = {}
        for partner_id in subset:
            moves = Move.search(
                [
                    ("commercial_partner_id", "=", partner_id),
                    ("company_id", "=", self.company.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("invoice_date", ">", date_from),
                    ("invoice_date", "<=", self.today),
                ]
            )
            values[partner_id] = sum(moves.mapped("amount_untaxed_signed"))
        results = abc_ranking.assign_tiers(values, self.policy._ranking_grades())
        for partner_id, result in results.items():
            CustomerTier.create(
                {
                    "partner_id": partner_id,
                    "company_id": self.company.id,
                    "computed_tier": result.tier,
                    "value": values[partner_id],
                }
            )
        self.env.flush_all()

    def prepare_account_managers(self):
        """A and B customers get a key-account manager and an executive sponsor."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        kam = Users.create({"name": "Bench KAM", "login": "bench_kam"})
        sponsor = Users.create({"name": "Bench Sponsor", "login": "bench_sponsor"})
        self.cr.execute(
            """
            UPDATE logistics_customer_tier t
               SET key_account_manager_id = %s, executive_sponsor_id = %s
             WHERE t.company_id = %s AND t.tier IN ('A', 'B')
            """,
            [kam.id, sponsor.id, self.company.id],
        )
        self.cr.commit()
        return kam

    def plain_visit_insert(self, count, user_id):
        self.cr.execute(
            """
            INSERT INTO logistics_visit (partner_id, company_id, user_id, kind,
                   cadence, state, is_scheduled, tier, due_date, date, duration,
                   create_uid, create_date, write_uid, write_date)
            SELECT %(partner)s, %(company)s, %(user)s, 'onsite', 'regular',
                   'done', FALSE, 'A', %(today)s, %(today)s::date + time '09:00',
                   1.0, 1, now(), 1, now()
              FROM generate_series(1, %(count)s)
            """,
            {
                "partner": self.partner_ids[0],
                "company": self.company.id,
                "user": user_id,
                "today": self.today,
                "count": count,
            },
        )

    def visit_scheduler(self):
        return self.env["logistics.visit"]._schedule_visits(
            policy=self.policy, today=self.today
        )

    # ------------------------------------------------- daily planner, SLA cron
    def make_birthday_contacts(self, count):
        """Contacts of the customers with birthdays spread over the year."""
        template = self.env["res.partner"].create(
            {
                "name": "Bench contact",
                "parent_id": self.partner_ids[0],
                "birthday": self.today,
            }
        )
        self.env.flush_all()
        # cloned customers have consecutive ids
        customer = f"{min(self.partner_ids)} + (g %% {len(self.partner_ids)})"
        clone_sql(
            self.cr,
            "res_partner",
            template.id,
            {
                "name": "'Bench contact ' || g",
                "complete_name": "'Bench contact ' || g",
                "parent_id": customer,
                "commercial_partner_id": customer,
                "birthday": "date '1980-01-01' + (g %% 365)",
            },
            count,
        )
        template.active = False
        self.env.flush_all()
        self.cr.execute("ANALYZE res_partner")
        self.cr.commit()

    def activity_count(self):
        self.cr.execute("SELECT COUNT(*) FROM mail_activity")
        return self.cr.fetchone()[0]

    def planner(self):
        self.policy.with_company(self.company)._cron_plan_company_activities(self.today)
        self.env.flush_all()

    def planner_lower_bound(self, activities, native=False):
        """The rhythm in one grouped query and one upsert, the due accounts and
        birthdays in indexed selects, the payment figures and the health by the
        bounds' own SQL, and one INSERT of the same activities."""
        params = {"company": self.company.id, "today": self.today}
        self.payment_lower_bound()
        self.health_lower_bound(0)
        self.cr.execute(
            """
            INSERT INTO logistics_customer_tier AS t (partner_id, company_id,
                   last_order_date)
            SELECT commercial_partner_id, %(company)s, MAX(invoice_date)
              FROM account_move
             WHERE company_id = %(company)s AND state = 'posted'
               AND move_type = 'out_invoice' AND invoice_date <= %(today)s
             GROUP BY commercial_partner_id
            ON CONFLICT (partner_id, company_id) DO UPDATE
               SET last_order_date = EXCLUDED.last_order_date
            """,
            params,
        )
        self.cr.execute(
            """
            SELECT id FROM logistics_customer_tier
             WHERE company_id = %(company)s
               AND expected_next_order_date BETWEEN %(today)s::date - 30
                   AND %(today)s::date + 7
            """,
            params,
        )
        self.cr.execute(
            """
            SELECT id FROM res_partner
             WHERE birthday IS NOT NULL AND NOT is_company
               AND (EXTRACT(MONTH FROM birthday) * 100
                    + EXTRACT(DAY FROM birthday))::int = ANY(%(days)s)
            """,
            {"days": [self.today.month * 100 + self.today.day]},
        )
        if native:
            self.native_activities(activities)
        else:
            self.insert_activities(activities)

    def payment_lower_bound(self):
        """The payment figures the simplest way: the overdue amount and count of
        every customer in one grouped scan of its invoices, the days to pay from
        the last reconciliation of each paid invoice's receivable line, then one
        UPDATE of the accounts whose figures differ."""
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415

        params = {
            "company": self.company.id,
            "today": self.today,
            "since": self.today - relativedelta(months=12),
        }
        self.cr.execute(
            """
            CREATE TEMP TABLE bench_overdue ON COMMIT DROP AS
            SELECT commercial_partner_id AS pid,
                   SUM(amount_residual_signed) AS amount,
                   COUNT(*) FILTER (WHERE move_type = 'out_invoice') AS count
              FROM account_move
             WHERE company_id = %(company)s AND state = 'posted'
               AND move_type IN ('out_invoice', 'out_refund')
               AND payment_state NOT IN ('paid', 'in_payment', 'reversed')
               AND invoice_date_due < %(today)s AND amount_residual_signed != 0
             GROUP BY commercial_partner_id;
            CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
            SELECT m.commercial_partner_id AS pid,
                   ROUND(AVG(GREATEST(p.paid_on - m.invoice_date, 0)), 1) AS days,
                   ROUND(AVG(GREATEST(p.paid_on - m.invoice_date_due, 0)), 1) AS late
              FROM account_move m
              CROSS JOIN LATERAL (
                   SELECT MAX(r.max_date) AS paid_on
                     FROM account_move_line l
                     JOIN account_partial_reconcile r ON r.debit_move_id = l.id
                    WHERE l.move_id = m.id AND l.display_type = 'payment_term') p
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type = 'out_invoice'
               AND m.payment_state IN ('paid', 'in_payment')
               AND m.invoice_date > %(since)s AND p.paid_on IS NOT NULL
             GROUP BY m.commercial_partner_id;
            UPDATE logistics_customer_tier t
               SET payment_avg_days = f.days, payment_avg_days_late = f.late,
                   overdue_amount = f.amount, overdue_invoice_count = f.count
              FROM (SELECT t.id, pd.days, pd.late,
                           GREATEST(COALESCE(o.amount, 0), 0) AS amount,
                           COALESCE(o.count, 0) AS count
                      FROM logistics_customer_tier t
                      LEFT JOIN bench_paid pd ON pd.pid = t.partner_id
                      LEFT JOIN bench_overdue o ON o.pid = t.partner_id
                     WHERE t.company_id = %(company)s) f
             WHERE t.id = f.id
               AND (t.payment_avg_days, t.payment_avg_days_late, t.overdue_amount,
                    t.overdue_invoice_count)
                   IS DISTINCT FROM (f.days, f.late, f.amount, f.count)
            """,
            params,
        )

    @staticmethod
    def linear_sql(value, best, worst):
        """SQL of logic.health.linear: 100 at `best`, 0 at `worst`, clamped."""
        return (
            f"ROUND((GREATEST(0, LEAST(1, (({value}) - ({worst}))::numeric "
            f"/ ({best} - ({worst})))) * 100)::numeric, 1)"
        )

    def health_lower_bound(self, alerts, native=False):
        """The health step in plain SQL written for the bound: each signal from
        its own rows (tickets, volumes, ratings, visits, payment figures, last
        survey), scored and weighted in SQL, one UPDATE of every ranked account,
        one INSERT of the history rows that changed, and the alerts (bare
        INSERTs, or Odoo's batched create when `native`)."""
        policy = self.policy
        weights = policy._health_weights()
        lin = self.linear_sql
        issues = "COALESCE(tk.breaches, 0) + COALESCE(tk.complaints, 0)"
        per_shipment = f"({issues}) * 100.0 / sh.count"
        days_late = lin("COALESCE(t.payment_avg_days_late, 0)", 0, 30)
        overdue = lin("t.overdue_invoice_count", 0, 5)
        signals = {
            "trend": f"CASE WHEN t.value != 0 THEN {lin('t.trend_percent', 0, -50)} "
            "END",
            "service": f"""CASE WHEN sh.count > 0 THEN {lin(per_shipment, 0, 5)}
                                WHEN {issues} > 0 THEN {lin(issues, 0, 5)} END""",
            "satisfaction": lin(
                "(SELECT AVG(x) FROM (VALUES (NULLIF(ra.rating, 0)), "
                "(NULLIF(vi.satisfaction, 0))) AS a(x))",
                5,
                1,
            ),
            "visits": lin("COALESCE(vi.overdue, 0)", 0, 3),
            # LEAST ignores NULL: the overdue cap only when invoices are overdue
            "payment": f"""CASE WHEN t.payment_avg_days_late IS NOT NULL
                                  OR t.overdue_invoice_count > 0
                                THEN LEAST({days_late}, CASE WHEN
                                     t.overdue_invoice_count > 0 THEN {overdue} END)
                                END""",
            "survey": "CASE WHEN t.survey_date >= %(survey_since)s "
            "THEN t.survey_score::numeric END",
        }
        weighted = " + ".join(
            f"{float(weights[name])} * COALESCE({name}, 0)" for name in signals
        )
        known = " + ".join(
            f"CASE WHEN {name} IS NULL THEN 0 ELSE {float(weights[name])} END"
            for name in signals
        )
        self.cr.execute(
            f"""
            WITH tk AS (
                SELECT commercial_partner_id AS pid,
                       COUNT(*) FILTER (WHERE sla_breach_date
                                        BETWEEN %(since)s AND %(now)s) AS breaches,
                       COUNT(*) FILTER (WHERE is_complaint
                                          AND create_date >= %(since)s) AS complaints
                  FROM logistics_ticket WHERE company_id = %(company)s
                 GROUP BY commercial_partner_id
            ), sh AS (
                SELECT commercial_partner_id AS pid, SUM(shipment_count) AS count
                  FROM logistics_volume
                 WHERE company_id = %(company)s AND date >= %(since)s
                 GROUP BY commercial_partner_id
            ), ra AS (
                SELECT k.commercial_partner_id AS pid, AVG(r.rating) AS rating
                  FROM rating_rating r JOIN logistics_ticket k ON k.id = r.res_id
                 WHERE r.res_model = 'logistics.ticket' AND k.company_id = %(company)s
                   AND r.consumed AND r.rating > 0 AND r.write_date >= %(since)s
                 GROUP BY k.commercial_partner_id
            ), vi AS (
                SELECT p.commercial_partner_id AS pid,
                       AVG(v.satisfaction::int) FILTER (
                           WHERE v.state = 'done' AND v.done_date >= %(since)s)
                           AS satisfaction,
                       COUNT(*) FILTER (WHERE v.state = 'planned'
                                          AND v.date < %(today)s) AS overdue
                  FROM logistics_visit v JOIN res_partner p ON p.id = v.partner_id
                 WHERE v.company_id = %(company)s
                 GROUP BY p.commercial_partner_id
            ), s AS (
                SELECT t.id, t.partner_id, t.company_id, t.health_score AS old_score,
                       t.health_status AS old_status,
                       {", ".join(f"{sql} AS {name}" for name, sql in signals.items())}
                  FROM logistics_customer_tier t
                  JOIN res_partner p ON p.id = t.partner_id AND p.active
                  LEFT JOIN tk ON tk.pid = t.partner_id
                  LEFT JOIN sh ON sh.pid = t.partner_id
                  LEFT JOIN ra ON ra.pid = t.partner_id
                  LEFT JOIN vi ON vi.pid = t.partner_id
                 WHERE t.company_id = %(company)s AND t.tier IS NOT NULL
            ), c AS (
                SELECT s.*, ROUND((({weighted}) / NULLIF({known}, 0))::numeric, 1)
                       AS score
                  FROM s
            ), h AS (
                SELECT c.*, CASE WHEN score IS NULL THEN NULL
                                 WHEN score < %(at_risk)s THEN 'at_risk'
                                 WHEN score < %(watch)s THEN 'watch'
                                 ELSE 'healthy' END AS status
                  FROM c
            ), updated AS (
                UPDATE logistics_customer_tier t
                   SET health_score = h.score, health_status = h.status,
                       health_date = %(today)s,
                       health_alert_sent = CASE
                           WHEN h.status = 'healthy' THEN FALSE
                           WHEN h.status = 'at_risk'
                                AND h.old_status IS DISTINCT FROM 'at_risk' THEN TRUE
                           ELSE t.health_alert_sent END,
                       health_trend_score = h.trend,
                       health_service_score = h.service,
                       health_satisfaction_score = h.satisfaction,
                       health_visits_score = h.visits,
                       health_payment_score = h.payment,
                       health_survey_score = h.survey
                  FROM h WHERE t.id = h.id
                RETURNING t.id
            ), history AS (
                INSERT INTO logistics_account_health (account_id, partner_id,
                       company_id, date, score, status,
                       create_uid, create_date, write_uid, write_date)
                SELECT id, partner_id, company_id, %(today)s, score, status,
                       1, now(), 1, now()
                  FROM h
                 WHERE status IS DISTINCT FROM old_status
                    OR abs(COALESCE(old_score, 0) - score) >= 1
                RETURNING id
            )
            SELECT (SELECT COUNT(*) FROM updated), (SELECT COUNT(*) FROM history)
            """,
            {
                "company": self.company.id,
                "today": self.today,
                "since": self.today - timedelta(days=90),
                "now": datetime.combine(self.today, datetime.max.time()),
                "survey_since": self.today - timedelta(days=730),
                "watch": policy.health_watch_below,
                "at_risk": policy.health_at_risk_below,
            },
        )
        scored, _history = self.cr.fetchone()
        if alerts and native:
            self.native_activities(alerts)
        elif alerts:
            self.insert_activities(alerts)
        return scored

    def prepare_survey_contacts(self, limit):
        """Emails on the key accounts' customers (the ones a survey is due for)
        and a daily limit of `limit`: a heavy day of relationship surveys."""
        self.cr.execute(
            """
            UPDATE res_partner p SET email = 'buyer' || p.id || '@bench.example.com'
              FROM logistics_customer_tier t
             WHERE t.partner_id = p.id AND t.company_id = %s
               AND t.tier IN ('A', 'B')
            """,
            [self.company.id],
        )
        self.env["res.partner"].invalidate_model(["email"])
        self.policy.survey_daily_limit = limit
        self.policy.survey_id = self.env.ref("logistics_crm.survey_relationship")
        self.cr.commit()

    def send_surveys(self):
        sent = self.policy.with_company(self.company)._send_due_surveys(self.today)
        self.env.flush_all()
        return len(sent)

    def survey_due(self, limit):
        """Ids of the accounts a survey is due for, selected for the bound: grade
        with a cadence, not lost nor lapsed, last survey older than the cadence,
        somebody with an email address; never asked first, then by value."""
        self.cr.execute(
            """
            SELECT t.id
              FROM logistics_customer_tier t
              JOIN logistics_customer_grade g
                ON g.policy_id = %(policy)s AND g.code = t.tier
               AND g.survey_interval_months > 0
              JOIN res_partner p ON p.id = t.partner_id AND p.active
             WHERE t.company_id = %(company)s AND t.is_lost IS NOT TRUE
               AND t.lifecycle_stage IS DISTINCT FROM 'lapsed'
               AND (t.survey_sent_date IS NULL
                    OR t.survey_sent_date
                       + g.survey_interval_months * interval '1 month' <= %(today)s)
               AND (p.email <> ''
                    OR EXISTS (SELECT 1 FROM res_partner c
                                WHERE c.parent_id = p.id AND c.active
                                  AND c.type = 'contact' AND c.email <> ''))
             ORDER BY t.survey_sent_date NULLS FIRST, t.value DESC NULLS LAST, t.id
             LIMIT %(limit)s
            """,
            {
                "policy": self.policy.id,
                "company": self.company.id,
                "today": self.today,
                "limit": limit,
            },
        )
        return [row[0] for row in self.cr.fetchall()]

    def survey_lower_bound(self, count, native=False):
        """The due accounts by the bound's own select, then the answers, the
        relationship surveys and the queued emails: bare INSERTs, or Odoo's
        batched creates and one batched mail rendering when `native`."""
        accounts = self.env["logistics.customer.tier"].browse(self.survey_due(count))
        survey = self.policy.survey_id
        if native:
            answers = self.env["survey.user_input"].create(
                [
                    {
                        "survey_id": survey.id,
                        "partner_id": pid,
                        "email": f"buyer{pid}@bench.example.com",
                    }
                    for pid in accounts.partner_id.ids
                ]
            )
            records = self.env["logistics.relationship.survey"].create(
                [
                    {
                        "account_id": account.id,
                        "partner_id": account.partner_id.id,
                        "company_id": self.company.id,
                        "contact_id": account.partner_id.id,
                        "tier": account.tier,
                        "user_input_id": answer.id,
                        "sent_date": self.today,
                    }
                    for account, answer in zip(accounts, answers, strict=True)
                ]
            )
            self.env.ref(
                "logistics_crm.mail_template_relationship_survey"
            ).send_mail_batch(records.ids)
            self.env.flush_all()
            return len(accounts)
        params = {"ids": accounts.ids, "survey": survey.id, "today": self.today}
        self.cr.execute(
            """
            WITH answers AS (
                INSERT INTO survey_user_input (survey_id, partner_id, email,
                       access_token, state, create_date, write_date)
                SELECT %(survey)s, t.partner_id, 'bench@example.com',
                       md5(random()::text), 'new', now(), now()
                  FROM logistics_customer_tier t WHERE t.id = ANY(%(ids)s)
                RETURNING id, partner_id
            ), surveys AS (
                INSERT INTO logistics_relationship_survey (account_id, partner_id,
                       company_id, contact_id, tier, user_input_id, sent_date, state)
                SELECT t.id, t.partner_id, t.company_id, t.partner_id, t.tier, a.id,
                       %(today)s, 'sent'
                  FROM logistics_customer_tier t
                  JOIN answers a ON a.partner_id = t.partner_id
                 WHERE t.id = ANY(%(ids)s)
                RETURNING id
            ), messages AS (
                INSERT INTO mail_message (model, res_id, message_type, body, date)
                SELECT 'logistics.relationship.survey', s.id, 'email_outgoing',
                       'survey ' || s.id, now()
                  FROM surveys s
                RETURNING id
            )
            INSERT INTO mail_mail (mail_message_id, state, body_html)
            SELECT m.id, 'outgoing', 'survey' FROM messages m
            """,
            params,
        )
        return len(accounts)

    def prepare_assignment(self, pool, count):
        """A team of the manager pool balancing by open tickets, and the values
        of `count` new tickets without handler (as one batch from email)."""
        # a desk open around the clock: every member is working whenever it runs
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Bench 24/7",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        team = self.env["logistics.ticket.team"].create(
            {
                "name": "Bench balanced desk",
                "member_ids": [(6, 0, pool.ids)],
                "assignment_method": "balanced",
                "resource_calendar_id": calendar.id,
            }
        )
        self.cr.commit()
        n = len(self.partner_ids)
        return [
            {
                "name": f"Bench new {i}",
                "partner_id": self.partner_ids[i % n],
                "team_id": team.id,
                "user_id": False,
            }
            for i in range(count)
        ], team

    def assignment_lower_bound(self, team, vals_list):
        """The same choice written the simplest way: the members working now by
        the team's calendar and not on time off (one query), their open tickets
        (one grouped query), then each new ticket to the least loaded member (a
        heap), in place."""
        now = self.odoo.fields.Datetime.now()
        self.cr.execute(
            """
            SELECT m.user_id
              FROM logistics_ticket_team_member_rel m
              JOIN res_users u ON u.id = m.user_id AND u.active
              JOIN logistics_ticket_team tm ON tm.id = m.team_id
             WHERE m.team_id = %(team)s
               AND EXISTS (
                   SELECT 1 FROM resource_calendar_attendance a
                    WHERE a.calendar_id = tm.resource_calendar_id
                      AND a.dayofweek = %(day)s
                      AND a.hour_from <= %(hour)s AND %(hour)s < a.hour_to)
               -- nobody on time off: the calendar's closures, the member's leaves
               AND NOT EXISTS (
                   SELECT 1 FROM resource_calendar_leaves l
                     LEFT JOIN resource_resource r ON r.id = l.resource_id
                    WHERE (l.resource_id IS NULL
                           AND l.calendar_id = tm.resource_calendar_id
                           OR r.user_id = m.user_id)
                      AND l.date_from <= %(now)s AND %(now)s < l.date_to)
            """,
            # the bench's desk works in UTC
            {
                "team": team.id,
                "day": str(now.weekday()),
                "hour": now.hour + now.minute / 60,
                "now": now,
            },
        )
        loads = dict.fromkeys((row[0] for row in self.cr.fetchall()), 0)
        self.cr.execute(
            """
            SELECT user_id, COUNT(*) FROM logistics_ticket
             WHERE user_id = ANY(%s) AND is_closed IS NOT TRUE
             GROUP BY user_id
            """,
            [list(loads)],
        )
        loads.update(self.cr.fetchall())
        heap = [(load, user_id) for user_id, load in loads.items()]
        heapq.heapify(heap)
        for vals in vals_list:
            load, user_id = heap[0]
            vals["user_id"] = user_id
            heapq.heapreplace(heap, (load + 1, user_id))

    def prepare_waiting_tickets(self):
        """1% of the open tickets waiting on their customer for 5 days, in a team
        that reminds after 3: one full batch of reminders is due."""
        team = self.env["logistics.ticket.team"].create(
            {"name": "Bench desk", "waiting_reminder_days": 3, "waiting_close_days": 7}
        )
        self.env.flush_all()
        self.cr.execute(
            """
            WITH waiting AS (
                UPDATE logistics_ticket
                   SET team_id = %s,
                       sla_paused_since = now() at time zone 'UTC' - interval '5 days'
                 WHERE id %% 100 = 0 AND is_closed IS NOT TRUE
                RETURNING partner_id
            )
            UPDATE res_partner p SET email = 'waiting' || p.id || '@bench.example.com'
              FROM waiting w WHERE p.id = w.partner_id
            """,
            [team.id],
        )
        self.env.invalidate_all()
        self.cr.commit()
        return len(
            self.env["logistics.ticket"]._waiting_due(
                self.odoo.fields.Datetime.now(), 500
            )[0]
        )

    def waiting_due(self, now, limit):
        """(ids to remind, ids to close), selected for the bound: open tickets of
        teams with the rule on, paused on the customer longer than the team's
        days, oldest first."""
        found = []
        for condition in (
            "tm.waiting_reminder_days > 0 AND t.waiting_reminder_date IS NULL "
            "AND t.sla_paused_since + tm.waiting_reminder_days * interval '1 day' "
            "<= %(now)s",
            "tm.waiting_close_days > 0 AND t.waiting_reminder_date "
            "+ tm.waiting_close_days * interval '1 day' <= %(now)s "
            "AND (t.is_complaint IS NOT TRUE OR t.root_cause IS NOT NULL)",
        ):
            self.cr.execute(
                f"""
                SELECT t.id FROM logistics_ticket t
                  JOIN logistics_ticket_team tm ON tm.id = t.team_id
                 WHERE t.active AND t.is_closed IS NOT TRUE
                   AND t.sla_paused_since IS NOT NULL AND {condition}
                 ORDER BY t.sla_paused_since, t.id
                 LIMIT %(limit)s
                """,
                {"now": now, "limit": limit},
            )
            found.append([row[0] for row in self.cr.fetchall()])
        return found

    def waiting_lower_bound(self, native=False):
        Ticket = self.env["logistics.ticket"]
        now = self.odoo.fields.Datetime.now()
        remind_ids, _close_ids = self.waiting_due(now, 500)
        to_remind = Ticket.browse(remind_ids)
        if native:
            for ticket in to_remind:
                ticket.message_post(
                    body="Bench reminder",
                    partner_ids=ticket.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            to_remind.write({"waiting_reminder_date": now})
            self.env.flush_all()
            return len(remind_ids)
        self.cr.execute(
            """
            INSERT INTO mail_message (model, res_id, message_type, body, date)
            SELECT 'logistics.ticket', id, 'comment', 'Bench reminder', now()
              FROM logistics_ticket WHERE id = ANY(%(ids)s);
            UPDATE logistics_ticket SET waiting_reminder_date = %(now)s
             WHERE id = ANY(%(ids)s)
            """,
            {"ids": remind_ids, "now": now},
        )
        return len(remind_ids)

    def native_activities(self, count):
        """The same number of activities through Odoo's own batched create (what
        native activities cost at least: followers, names, counters)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        n = len(self.partner_ids)
        # the records' names in one read, as the addon does before its batches
        self.env["res.partner"].browse(self.partner_ids[: min(count, n)]).mapped(
            "display_name"
        )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": todo.id,
                    "res_model_id": model_id,
                    "res_id": self.partner_ids[i % n],
                    "user_id": 2,
                    "summary": f"Bench activity {i}",
                }
                for i in range(count)
            ]
        )
        self.env.flush_all()

    def insert_activities(self, count):
        self.cr.execute(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id,
                   activity_type_id, user_id, summary, date_deadline,
                   create_uid, create_date, write_uid, write_date)
            SELECT m.id, 'res.partner', (%(ids)s::int[])[1 + g %% %(n)s], NULL, 2,
                   'Bench activity ' || g, %(today)s, 1, now(), 1, now()
              FROM generate_series(1, %(count)s) g,
                   (SELECT id FROM ir_model WHERE model = 'res.partner') m
            """,
            {
                "ids": self.partner_ids,
                "n": len(self.partner_ids),
                "count": count,
                "today": self.today,
            },
        )

    def make_open_tickets(self, count, breached_share):
        """Open tickets; `breached_share` of them passed their deadline an hour ago."""
        Ticket = self.env["logistics.ticket"]
        template = Ticket.create(
            {"name": "Bench ticket", "partner_id": self.partner_ids[0]}
        )
        self.env.flush_all()
        every = max(1, round(1 / breached_share))
        first, n = min(self.partner_ids), min(len(self.partner_ids), 5000)
        customer = f"{first} + (g %% {n})"
        soon = "now() at time zone 'UTC' + interval"
        due = (
            f"CASE WHEN g %% {every} = 0 THEN now() at time zone 'UTC' - interval "
            "'1 hour' ELSE now() at time zone 'UTC' + interval '2 days' END"
        )
        clone_sql(
            self.cr,
            "logistics_ticket",
            template.id,
            {
                "number": "'BENCH-' || g",
                # cloned customers have consecutive ids
                "partner_id": customer,
                "commercial_partner_id": customer,
                "sla_status": "'on_track'",
                "sla_escalated": "FALSE",
                "sla_response_breached": "FALSE",
                "sla_resolution_breached": "FALSE",
                "sla_breached": "FALSE",
                "sla_response_deadline": due,
                "sla_breach_date": due,
                "sla_at_risk_date": f"{soon} '1 day'",
                "sla_resolution_deadline": f"{soon} '5 days'",
            },
            count,
        )
        template.active = False
        self.env.flush_all()
        self.cr.execute("ANALYZE logistics_ticket")
        self.cr.commit()

    def sla_escalation(self):
        """The cron as Odoo's runner calls it: batch after batch until done."""
        Ticket = self.env["logistics.ticket"]
        calls = 0
        while Ticket._sla_due_tickets(self.odoo.fields.Datetime.now(), 1):
            Ticket._cron_sla_escalate()
            self.env.flush_all()
            calls += 1
        return calls

    def sla_lower_bound(self, breached, activities=0, native=False):
        """Select the breached tickets on the indexed moment, flag and raise them,
        and insert one chatter message each; `native`: the messages and the
        activities through Odoo's own batched calls instead of INSERTs."""
        self.cr.execute(
            """
            UPDATE logistics_ticket
               SET sla_response_breached = TRUE, sla_breached = TRUE,
                   sla_escalated = TRUE, sla_status = 'breached',
                   priority = LEAST(priority::int + 1, 3)::varchar
             WHERE id IN (SELECT id FROM logistics_ticket
                           WHERE active AND NOT is_closed
                             AND sla_breach_date <= now() at time zone 'UTC')
            RETURNING id
            """
        )
        ids = [row[0] for row in self.cr.fetchall()]
        if native:
            self.env["logistics.ticket"].browse(ids)._message_log_batch(
                dict.fromkeys(ids, "<p>SLA breached</p>")
            )
            self.native_activities(activities)
            return
        self.cr.execute(
            """
            INSERT INTO mail_message (model, res_id, message_type, body, author_id,
                   date, create_uid, create_date, write_uid, write_date)
            SELECT 'logistics.ticket', g, 'notification', '<p>SLA breached</p>', 2,
                   now(), 1, now(), 1, now()
              FROM generate_series(1, %s) g
            """,
            [breached],
        )
        self.insert_activities(activities)

    # ------------------------------------------- whole monthly job, first run
    def prepare_manager_pool(self):
        """A pool of key-account managers with room for every A and B customer."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        count = self.args.managers
        users = Users.create(
            [
                {"name": f"Bench pool manager {i}", "login": f"bench_pool_{i}"}
                for i in range(count)
            ]
        )
        points = len(self.partner_ids) * 0.05 * 3 + len(self.partner_ids) * 0.15 * 2
        capacity = int(points / count * 1.5) + 10
        self.policy.manager_ids = [
            (0, 0, {"user_id": user.id, "capacity": capacity}) for user in users
        ]
        self.cr.commit()
        return users

    def full_monthly_job(self):
        return self.policy._recompute_tiers("cron", self.today)

    def lower_bound_full_first(self, pool_ids, activities=0, native=False):
        """Tier step + one UPDATE per follow-up + bulk INSERTs of what it creates;
        `native`: the activities and the managers' ticket followers through
        Odoo's own batched calls."""
        self.lower_bound_first()
        params = {
            "company": self.company.id,
            "pool": pool_ids,
            "today": self.today,
        }
        # lifecycle: one UPDATE of every account
        self.cr.execute(
            """
            UPDATE logistics_customer_tier SET lifecycle_stage = 'active'
             WHERE company_id = %(company)s
            """,
            params,
        )
        # trends: every account gets its flag and percentage, one UPDATE
        self.cr.execute(
            """
            UPDATE logistics_customer_tier
               SET trend = CASE WHEN id %% 10 = 0 THEN 'at_risk' END,
                   trend_percent = (id %% 200) - 100
             WHERE company_id = %(company)s
            """,
            params,
        )
        # assignment: A and B accounts spread over the pool, and their history
        self.cr.execute(
            """
            UPDATE logistics_customer_tier t
               SET key_account_manager_id = (%(pool)s::int[])[
                       1 + t.id %% array_length(%(pool)s::int[], 1)]
             WHERE t.company_id = %(company)s AND t.tier IN ('A', 'B')
            """,
            params,
        )
        self.cr.execute(
            """
            INSERT INTO logistics_account_assignment (account_id, partner_id,
                   company_id, role, to_user_id, date, reason,
                   create_uid, create_date, write_uid, write_date)
            SELECT id, partner_id, company_id, 'key_account_manager_id',
                   key_account_manager_id, now(), 'bench', 1, now(), 1, now()
              FROM logistics_customer_tier
             WHERE company_id = %(company)s AND key_account_manager_id IS NOT NULL
            """,
            params,
        )
        # visits: one planned visit per managed account
        self.cr.execute(
            """
            INSERT INTO logistics_visit (partner_id, company_id, user_id, kind,
                   cadence, state, is_scheduled, tier, due_date, date, duration,
                   create_uid, create_date, write_uid, write_date)
            SELECT partner_id, company_id, key_account_manager_id, 'onsite',
                   'regular', 'planned', TRUE, tier, %(today)s,
                   %(today)s::date + time '09:00', 1.0, 1, now(), 1, now()
              FROM logistics_customer_tier
             WHERE company_id = %(company)s AND key_account_manager_id IS NOT NULL
            """,
            params,
        )
        if not native:
            self.insert_activities(activities)
            return
        self.native_activities(activities)
        self.cr.execute(
            """
            SELECT t.key_account_manager_id, array_agg(k.id)
              FROM logistics_customer_tier t
              JOIN logistics_ticket k ON k.commercial_partner_id = t.partner_id
                   AND k.company_id = t.company_id
             WHERE t.company_id = %(company)s AND t.key_account_manager_id IS NOT NULL
             GROUP BY t.key_account_manager_id
            """,
            params,
        )
        Users = self.env["res.users"]
        for user_id, ticket_ids in self.cr.fetchall():
            self.env["logistics.ticket"].browse(ticket_ids).message_subscribe(
                partner_ids=Users.browse(user_id).partner_id.ids
            )
        self.env.flush_all()

    # ------------------------------------------------------ pool reclaim
    RECLAIM_REPS = 50

    def prepare_reclaim(self):
        """Every account without a key-account manager owned by one of 50 reps,
        claimed 10 days ago; 1% claimed 85 days ago (due for the warning under
        the default rule: 90 days, warned 7 before), 1% claimed 95 days ago and
        warned 8 days ago (due to return), each returned one with an open
        activity of its owner; 5% have a note of their owner from yesterday.
        The invoices' follow-ups keep some of them."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        reps = Users.search([("login", "=like", "bench_reclaim_%")])
        if not reps:
            reps = Users.create(
                [
                    {
                        "name": f"Bench reclaim rep {i}",
                        "login": f"bench_reclaim_{i}",
                        "company_id": self.company.id,
                        "company_ids": [(6, 0, self.company.ids)],
                    }
                    for i in range(self.RECLAIM_REPS)
                ]
            )
        rule = self.policy.pool_reclaim_rule_ids[:1]
        rule.write(
            {
                "unattended_days": 90,
                "not_won_days": 0,
                "warn_days": 7,
                "block_days": 30,
                "grade_ids": [(5, 0, 0)],
                "count_activities": True,
                "count_visits": True,
                "count_messages": True,
                "count_orders": True,
            }
        )
        self.env.flush_all()
        params = {
            "company": self.company.id,
            "reps": reps.ids,
            "now": datetime.combine(self.today, datetime.min.time())
            + timedelta(hours=2),
            "today": self.today,
        }
        self.cr.execute(
            """
            UPDATE logistics_customer_tier t
               SET owner_id = (%(reps)s::int[])[1 + t.id %% 50],
                   owner_since = %(now)s::timestamp - CASE t.id %% 100
                       WHEN 1 THEN interval '85 days'
                       WHEN 2 THEN interval '95 days'
                       ELSE interval '10 days' END,
                   pool_warned_date = CASE WHEN t.id %% 100 = 2
                       THEN %(today)s::date - 8 END,
                   pool_protected = FALSE, pool_date = NULL, pool_reason = NULL,
                   last_followup_date = NULL
             WHERE t.company_id = %(company)s AND t.key_account_manager_id IS NULL
            """,
            params,
        )
        self.cr.execute(
            """
            INSERT INTO mail_message (model, res_id, author_id, message_type,
                   subtype_id, body, date, create_uid, create_date, write_uid,
                   write_date)
            SELECT 'res.partner', t.partner_id, u.partner_id, 'comment',
                   (SELECT res_id FROM ir_model_data
                     WHERE module = 'mail' AND name = 'mt_note'),
                   '<p>Bench note</p>', %(now)s::timestamp - interval '1 day',
                   u.id, now(), u.id, now()
              FROM logistics_customer_tier t
              JOIN res_users u ON u.id = t.owner_id
             WHERE t.company_id = %(company)s AND t.id %% 20 = 3
            """,
            params,
        )
        self.cr.execute(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id,
                   activity_type_id, user_id, summary, date_deadline,
                   create_uid, create_date, write_uid, write_date)
            SELECT m.id, 'res.partner', t.partner_id, NULL, t.owner_id,
                   'Bench open activity', %(today)s, 1, now(), 1, now()
              FROM logistics_customer_tier t,
                   (SELECT id FROM ir_model WHERE model = 'res.partner') m
             WHERE t.company_id = %(company)s AND t.id %% 100 = 2
               AND t.owner_id IS NOT NULL
            """,
            params,
        )
        self.cr.execute("ANALYZE logistics_customer_tier")
        self.cr.execute("ANALYZE mail_message")
        self.cr.commit()
        self.env.invalidate_all()

    def reclaim(self):
        """The company's reclaim as the cron does it: batch after batch, in one
        run (the run's first batch reads the follow-ups)."""
        run = self.env["logistics.job.run"].sudo()._open_run("reclaim", False)
        batches = 1
        while self.policy._cron_pool_reclaim_company(self.today):
            batches += 1
        run._close()
        self.env.flush_all()
        return batches

    def reclaim_counts(self):
        self.cr.execute(
            """
            SELECT COUNT(*) FILTER (WHERE pool_warned_date = %(today)s),
                   COUNT(*) FILTER (WHERE pool_reason = 'unattended')
              FROM logistics_customer_tier WHERE company_id = %(company)s
            """,
            {"today": self.today, "company": self.company.id},
        )
        return self.cr.fetchone()

    def reclaim_lower_bound(self, native=False):
        """The same night in plain SQL: the owners' last follow-ups (notes and
        done activities, done visits, invoices) in one UPDATE, the due accounts
        in one select, the warnings and the returns' activities, history, notes
        and account rows written in bulk. `native`: the warnings by one batched
        Odoo create and the returns' chatter notes by one batched Odoo log
        (what they cost at least in Odoo: followers, names, counters)."""
        params = {"company": self.company.id, "today": self.today}
        self.cr.execute(
            """
            WITH owned AS (
                SELECT t.id, t.partner_id, t.owner_id, u.partner_id AS author
                  FROM logistics_customer_tier t
                  JOIN res_users u ON u.id = t.owner_id
                 WHERE t.company_id = %(company)s AND NOT t.pool_protected
                   AND t.key_account_manager_id IS NULL
                   AND (t.tier IS NULL OR t.tier IN ('C', 'D'))
            ), f AS (
                SELECT o.id, MAX(m.date)::date AS day
                  FROM owned o
                  JOIN res_partner c ON c.commercial_partner_id = o.partner_id
                  JOIN mail_message m ON m.model = 'res.partner'
                   AND m.res_id = c.id AND m.author_id = o.author
                 WHERE m.message_type = 'comment'
                    OR m.mail_activity_type_id IS NOT NULL
                 GROUP BY o.id
                UNION ALL
                SELECT o.id, MAX(v.done_date)::date
                  FROM owned o
                  JOIN logistics_visit v ON v.partner_id = o.partner_id
                   AND v.state = 'done' AND v.user_id = o.owner_id
                 GROUP BY o.id
                UNION ALL
                SELECT o.id, MAX(am.invoice_date)
                  FROM owned o
                  JOIN account_move am ON am.commercial_partner_id = o.partner_id
                   AND am.company_id = %(company)s AND am.state = 'posted'
                   AND am.move_type = 'out_invoice'
                 GROUP BY o.id
            ), latest AS (
                SELECT o.id, MAX(f.day) AS day
                  FROM owned o LEFT JOIN f ON f.id = o.id GROUP BY o.id
            )
            UPDATE logistics_customer_tier t SET last_followup_date = latest.day
              FROM latest
             WHERE t.id = latest.id
               AND t.last_followup_date IS DISTINCT FROM latest.day
            """,
            params,
        )
        self.cr.execute(
            """
            SELECT t.id, t.partner_id, t.owner_id,
                   GREATEST(t.owner_since::date, t.last_followup_date) + 90 AS due,
                   t.pool_warned_date
              FROM logistics_customer_tier t
             WHERE t.company_id = %(company)s AND t.owner_id IS NOT NULL
               AND NOT t.pool_protected AND t.key_account_manager_id IS NULL
               AND (t.tier IS NULL OR t.tier IN ('C', 'D'))
               AND GREATEST(t.owner_since::date, t.last_followup_date) + 83
                   <= %(today)s
            """,
            params,
        )
        warn, back = [], []
        for account_id, partner_id, owner_id, due, warned in self.cr.fetchall():
            if not warned or warned < due - timedelta(days=7):
                warn.append((partner_id, owner_id, max(due, self.today)))
            elif self.today >= due and self.today >= warned + timedelta(days=7):
                back.append(account_id)
        warning_type = self.env.ref("logistics_crm.mail_activity_type_pool_return")
        if native:
            self.env["res.partner"].browse([w[0] for w in warn]).mapped("display_name")
            self.env["mail.activity"].with_context(
                mail_activity_quick_update=True
            ).create(
                [
                    {
                        "activity_type_id": warning_type.id,
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": partner_id,
                        "user_id": owner_id,
                        "summary": f"Returns to the pool on {day}",
                        "date_deadline": day,
                    }
                    for partner_id, owner_id, day in warn
                ]
            )
            self.env.flush_all()
        else:
            self.cr.execute(
                """
                INSERT INTO mail_activity (res_model_id, res_model, res_id,
                       activity_type_id, user_id, summary, date_deadline,
                       create_uid, create_date, write_uid, write_date)
                SELECT m.id, 'res.partner', w.partner_id, %(type)s, w.owner_id,
                       'Returns to the pool on ' || w.day, w.day,
                       1, now(), 1, now()
                  FROM unnest(%(partners)s::int[], %(owners)s::int[],
                              %(days)s::date[]) AS w(partner_id, owner_id, day),
                       (SELECT id FROM ir_model WHERE model = 'res.partner') m
                """,
                {
                    "type": warning_type.id,
                    "partners": [w[0] for w in warn],
                    "owners": [w[1] for w in warn],
                    "days": [w[2] for w in warn],
                },
            )
        self.cr.execute(
            """
            UPDATE logistics_customer_tier SET pool_warned_date = %(today)s
             WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s)
            """,
            dict(params, partners=[w[0] for w in warn]),
        )
        params["back"] = back
        self.cr.execute(
            """
            INSERT INTO logistics_account_assignment (account_id, partner_id,
                   company_id, role, pool_event, from_user_id, date, reason,
                   create_uid, create_date, write_uid, write_date)
            SELECT id, partner_id, company_id, 'owner_id', 'return', owner_id,
                   now(), 'Not followed up for 90 days', 1, now(), 1, now()
              FROM logistics_customer_tier WHERE id = ANY(%(back)s)
            """,
            params,
        )
        self.cr.execute(
            """
            DELETE FROM mail_activity a USING logistics_customer_tier t,
                   res_partner c
             WHERE t.id = ANY(%(back)s) AND c.commercial_partner_id = t.partner_id
               AND a.res_model = 'res.partner' AND a.res_id = c.id
               AND a.user_id = t.owner_id
            """,
            params,
        )
        self.cr.execute(
            """
            UPDATE logistics_visit v SET state = 'cancelled'
              FROM logistics_customer_tier t
             WHERE t.id = ANY(%(back)s) AND v.partner_id = t.partner_id
               AND v.state = 'planned' AND v.company_id = t.company_id
            """,
            params,
        )
        self.cr.execute(
            """
            UPDATE logistics_ticket k SET user_id = NULL
              FROM logistics_customer_tier t
             WHERE t.id = ANY(%(back)s) AND k.commercial_partner_id = t.partner_id
               AND k.user_id = t.owner_id AND k.company_id = t.company_id
            """,
            params,
        )
        self.cr.execute(
            "SELECT partner_id FROM logistics_customer_tier WHERE id = ANY(%(back)s)",
            params,
        )
        partners = [row[0] for row in self.cr.fetchall()]
        if native:
            self.env["res.partner"].browse(partners)._message_log_batch(
                dict.fromkeys(partners, "<p>Returned to the pool</p>")
            )
            self.env.flush_all()
        else:
            self.cr.execute(
                """
                INSERT INTO mail_message (model, res_id, message_type, body, date,
                       create_uid, create_date, write_uid, write_date)
                SELECT 'res.partner', p, 'notification',
                       '<p>Returned to the pool</p>', now(), 1, now(), 1, now()
                  FROM unnest(%s::int[]) AS p
                """,
                [partners],
            )
        self.cr.execute(
            """
            UPDATE logistics_customer_tier
               SET previous_owner_id = owner_id, owner_id = NULL,
                   owner_since = NULL, pool_date = now(),
                   pool_reason = 'unattended', pool_warned_date = NULL,
                   claim_blocked_until = %(today)s::date + 30
             WHERE id = ANY(%(back)s)
            """,
            params,
        )
        return len(warn), len(back)

    def measure_reclaim(self, out):
        """Each measure the best of two, taken in turns: a rolled-back run
        leaves the rows it wrote dead, which slows whatever runs next."""
        self.prepare_reclaim()
        reclaim_times, lb_times, native_times = [], [], []
        for _turn in range(2):
            seconds, batches = self.timed(self.reclaim)
            reclaim_times.append(seconds)
            warned, returned = self.reclaim_counts()
            self.cr.rollback()
            seconds, bound_counts = self.timed(self.reclaim_lower_bound)
            lb_times.append(seconds)
            self.cr.rollback()
            self.check_same_size("pool reclaim", (warned, returned), bound_counts)
            seconds, _r = self.timed(lambda: self.reclaim_lower_bound(native=True))
            native_times.append(seconds)
            self.cr.rollback()
        reclaim_time = min(reclaim_times)
        reclaim_lb = min(lb_times)
        reclaim_native = min(native_times)
        # the next night's run finds nothing new
        self.reclaim()
        self.cr.commit()
        again, _b = self.timed(self.reclaim)
        again_counts = self.reclaim_counts()
        self.cr.rollback()
        self.cr.execute(
            "SELECT COUNT(*) FROM logistics_customer_tier WHERE company_id = %s",
            [self.company.id],
        )
        accounts = self.cr.fetchone()[0]
        out(
            f"| customer-pool reclaim: {accounts} accounts, {warned} owners warned, "
            f"{returned} customers returned, {batches} batch(es), best of 2 "
            f"| {reclaim_time:.2f} | | |"
        )
        out(
            f"| SQL lower bound (follow-ups in one UPDATE, due select, bulk "
            f"INSERTs and UPDATEs of warnings, history, notes, accounts) "
            f"| {reclaim_lb:.2f} | {reclaim_time / reclaim_lb:.2f} "
            f"| gap: Odoo activities, notes |"
        )
        out(
            f"| the same with the warnings and notes by batched Odoo calls "
            f"| {reclaim_native:.2f} | {reclaim_time / reclaim_native:.2f} | <= 2 |"
        )
        out(
            f"| reclaim run again the same night: owners warned, customers "
            f"returned | {again_counts[0] - warned} / "
            f"{again_counts[1] - returned} ({again:.2f} s) | | 0 / 0 |"
        )

    # ------------------------------------------------------ Recompute Now
    def prepare_recompute_button(self):
        """A manager to press the button; this month's scheduled recompute of
        every company marked done, so that the runner does the request only."""
        from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

        Users = self.env["res.users"].with_context(no_reset_password=True)
        manager = Users.search([("login", "=", "bench_recompute_manager")])
        if not manager:
            manager = Users.create(
                {
                    "name": "Bench recompute manager",
                    "login": "bench_recompute_manager",
                    "company_id": self.company.id,
                    "company_ids": [(6, 0, self.company.ids)],
                    GROUPS_FIELD: [
                        (
                            6,
                            0,
                            [
                                self.env.ref("base.group_user").id,
                                self.env.ref(
                                    "logistics_crm.group_logistics_crm_manager"
                                ).id,
                            ],
                        )
                    ],
                }
            )
        self.env["logistics.tier.policy"].search([]).write(
            {"cron_recompute_day": self.today}
        )
        self.cr.commit()
        return manager

    def recompute_button(self, manager):
        """Recompute Now as a manager's request would run it (its own
        transaction), then the scheduled action as Odoo's runner runs it.

        :return: (seconds to the button's return, seconds to the job's end,
            runner invocations, the request's state, its summary)
        """
        api = self.odoo.api
        from odoo.addons.logistics_crm.compat import process_cron_job  # noqa: PLC0415

        IrCron = self.registry["ir.cron"]
        cron_id = self.env.ref("logistics_crm.ir_cron_recompute_tiers").id
        self.cr.commit()
        start = time.perf_counter()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, manager.id, {"lang": "en_US"})
            result = env["logistics.tier.policy"].browse(self.policy.id)
            result = result.action_recompute()
        returned = time.perf_counter() - start
        invocations = 0
        while True:
            with self.registry.cursor() as cron_cr:
                job = IrCron._acquire_one_job(cron_cr, cron_id)
                if not job:
                    break
                process_cron_job(IrCron, self.registry.db_name, cron_cr, job)
            invocations += 1
        ended = time.perf_counter() - start
        if result["params"]["title"] != "Recompute started in the background":
            # below the line: the button did it all
            return (
                returned,
                ended,
                invocations,
                "ran in the request",
                (result["params"]["message"]),
            )
        self.cr.execute(
            "SELECT state, summary FROM logistics_job_run "
            "WHERE requested ORDER BY id DESC LIMIT 1"
        )
        state, summary = self.cr.fetchone()
        return returned, ended, invocations, state, summary

    def measure_recompute_button(self, out, label):
        manager = self.prepare_recompute_button()
        returned, ended, invocations, state, summary = self.recompute_button(manager)
        out(
            f"| Recompute Now by a manager, {label}: the button returns "
            f"| {returned:.2f} | | a second or two |"
        )
        out(
            f"| ... and the background job ends ({invocations} runner "
            f"invocation(s), request {state}: {summary}) | {ended:.2f} | | |"
        )

    # ------------------------------------------------------ partner list
    LIST_FIELDS_BASE = (
        "display_name",
        "phone",
        "email",
        "user_id",
        "city",
        "country_id",
        "company_id",
        "category_id",
        "active",
    )
    LIST_FIELDS_ADDON = ("tier", "lifecycle_stage")

    def _list_call(self, env, fields, repeat):
        """Median seconds of web_search_read of 80 customers, as a rep would."""
        Partner = env["res.partner"]
        spec = {name: {} for name in fields}
        for name in ("user_id", "country_id", "company_id"):
            spec[name] = {"fields": {"display_name": {}}}
        spec["category_id"] = {"fields": {"display_name": {}, "color": {}}}
        timings = []
        for _i in range(repeat):
            env.invalidate_all()
            start = time.perf_counter()
            Partner.web_search_read(
                [("customer_rank", ">", 0)], spec, limit=80, order="complete_name"
            )
            timings.append(time.perf_counter() - start)
        timings.sort()
        return timings[len(timings) // 2]

    def _list_user(self, env, groups):
        from odoo.addons.logistics_crm.compat import GROUPS_FIELD  # noqa: PLC0415

        Users = env["res.users"].with_context(no_reset_password=True)
        user = Users.search([("login", "=", "bench_list_rep")]) or Users.create(
            {
                "name": "Bench list rep",
                "login": "bench_list_rep",
                GROUPS_FIELD: [(6, 0, [env.ref(xmlid).id for xmlid in groups])],
            }
        )
        return env(user=user)

    def partner_list(self, repeat=25):
        """(addon seconds, baseline seconds) or None without a baseline database."""
        if not self.args.baseline_db:
            return None
        self.cr.execute("ANALYZE res_partner")
        self.cr.execute("ANALYZE logistics_customer_tier")
        rep_env = self._list_user(
            self.env, ["base.group_user", "logistics_crm.group_logistics_crm_user"]
        )
        addon = self._list_call(
            rep_env, self.LIST_FIELDS_BASE + self.LIST_FIELDS_ADDON, repeat
        )
        odoo = self.odoo
        registry = odoo.modules.registry.Registry(self.args.baseline_db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            other = Bench.__new__(Bench)
            other.cr, other.env = cr, env
            # the same customers as the addon's database, by the same SQL
            template = env["res.partner"].create(
                {"name": "Bench template", "is_company": True, "customer_rank": 1}
            )
            env.flush_all()
            clone_sql(
                other.cr,
                "res_partner",
                template.id,
                {
                    "name": "'Bench customer ' || g",
                    "complete_name": "'Bench customer ' || g",
                    "commercial_partner_id": "NULL",
                },
                len(self.partner_ids),
            )
            cr.execute(
                "UPDATE res_partner SET commercial_partner_id = id "
                "WHERE commercial_partner_id IS NULL"
            )
            template.active = False
            env.flush_all()
            cr.execute("ANALYZE res_partner")
            base_env = self._list_user(env, ["base.group_user"])
            baseline = self._list_call(base_env, self.LIST_FIELDS_BASE, repeat)
            cr.rollback()
        return addon, baseline

    def run(self):
        args = self.args
        out = print
        out(
            f"# logistics_crm benchmark: {args.customers} customers, "
            f"{args.invoices} invoices over 24 months"
        )
        t0 = time.perf_counter()
        self.make_customers(args.customers)
        self.ensure_invoice_template()
        sizes = [
            ("10%", args.invoices // 10),
            ("30%", args.invoices * 3 // 10),
            ("100%", args.invoices),
        ]
        growth = []
        for label, total in sizes:
            self.add_invoices(total - self.invoices_inserted)
            seconds, _result = self.timed(self.addon_tiers)
            self.cr.rollback()
            growth.append((label, total, seconds))
        out(
            f"data generated and size series measured in "
            f"{time.perf_counter() - t0:.0f} s"
        )
        if args.only_recompute_button:
            out("")
            out("| measurement | seconds | ratio | target |")
            out("|---|---:|---:|---|")
            self.measure_recompute_button(out, "first recompute")
            self.cr.close()
            return
        if args.only_reclaim:
            self.addon_tiers()
            self.cr.commit()
            out("")
            out("| measurement | seconds | ratio | target |")
            out("|---|---:|---:|---|")
            self.measure_reclaim(out)
            self.cr.close()
            return

        lb_first, _r = self.timed(self.lower_bound_first)
        self.cr.rollback()
        pool = self.prepare_manager_pool()
        before = self.activity_count()
        (full_first, _r), rss_full = rss_growth(
            lambda: self.timed(self.full_monthly_job)
        )
        full_activities = self.activity_count() - before
        self.cr.execute(
            "SELECT COUNT(*) FROM logistics_customer_tier "
            "WHERE key_account_manager_id IS NOT NULL"
        )
        full_assigned = self.cr.fetchone()[0]
        self.cr.execute("SELECT COUNT(*) FROM logistics_visit WHERE state = 'planned'")
        full_visits = self.cr.fetchone()[0]
        self.cr.rollback()
        lb_full, _r = self.timed(
            lambda: self.lower_bound_full_first(pool.ids, full_activities)
        )
        self.cr.rollback()
        native_full, _r = self.timed(
            lambda: self.lower_bound_full_first(pool.ids, full_activities, native=True)
        )
        self.cr.rollback()
        # the tier-step measurements below run without the pool
        self.policy.manager_ids = [(5, 0, 0)]
        self.cr.commit()
        # the recompute's own memory: its Python allocations in a run of its own
        # (tracing slows it), then the process's peak growth over the timed run
        traced_first = traced_peak_mb(self.addon_tiers)
        self.cr.rollback()
        process_before = rss_mb()
        (first, (scope, results, changes)), rss_first = rss_growth(
            lambda: self.timed(self.addon_tiers)
        )
        followups_first, _r = self.timed(lambda: self.addon_followups(scope, changes))
        self.cr.commit()
        tiered = len(results)

        self.change_one_percent()
        lb_steady, _r = self.timed(self.lower_bound_steady)
        self.cr.rollback()
        steady, (scope, _results, changes) = self.timed(self.addon_tiers)
        steady_changes = len(changes)
        followups_steady, _r = self.timed(lambda: self.addon_followups(scope, changes))
        self.cr.commit()
        second_run, (_s, _r2, changes_again) = self.timed(self.addon_tiers)
        self.cr.rollback()

        subset = self.partner_ids[:: max(1, len(self.partner_ids) // args.naive_subset)]
        subset = subset[: args.naive_subset]
        # the naive version runs as a first run too: start without tier rows
        self.cr.execute(
            "DELETE FROM logistics_customer_tier WHERE partner_id = ANY(%s)", [subset]
        )
        naive, _r = self.timed(lambda: self.naive_orm(subset))
        self.cr.rollback()
        naive_per_customer = naive / len(subset)
        addon_per_customer = first / max(tiered, 1)

        out("")
        out("| measurement | seconds | ratio | target |")
        out("|---|---:|---:|---|")
        out(f"| addon first recompute ({tiered} customers tiered) | {first:.2f} | | |")
        out(
            f"| SQL lower bound, first run (rank query + bulk write + history) "
            f"| {lb_first:.2f} | {first / lb_first:.2f} | <= 1.5 |"
        )
        out(
            f"| addon steady recompute ({steady_changes} tier changes) "
            f"| {steady:.2f} | | |"
        )
        out(
            f"| SQL lower bound, steady (rank query + changed rows) "
            f"| {lb_steady:.2f} | {steady / lb_steady:.2f} | <= 1.5 |"
        )
        out(
            f"| naive ORM per customer vs addon per customer ({len(subset)} subset) "
            f"| {naive_per_customer * 1000:.3f} ms vs "
            f"{addon_per_customer * 1000:.4f} ms "
            f"| {naive_per_customer / addon_per_customer:.0f} | >= 30 |"
        )
        out(
            f"| memory of the first recompute: peak of its Python allocations "
            f"(tracemalloc) / peak RSS growth of the process over it "
            f"| {traced_first:.0f} MB / {rss_first:.0f} MB (process before: "
            f"{process_before:.0f} MB) | | < 500 MB |"
        )
        out(
            f"| follow-ups (lifecycle, trend alerts), first / steady "
            f"| {followups_first:.2f} / {followups_steady:.2f} | | not in the bound |"
        )
        out(
            f"| third recompute without changes: tier changes written "
            f"| {len(changes_again)} ({second_run:.2f} s) | | 0 |"
        )
        out(
            f"| whole monthly job, first run: tiers, lifecycle, alerts, "
            f"{full_assigned} accounts assigned from a pool of {len(pool)}, "
            f"{full_visits} visits planned | {full_first:.2f} | | |"
        )
        out(
            f"| SQL lower bound (tier step, one UPDATE per follow-up, bulk "
            f"INSERTs of history, visits and {full_activities} activities) "
            f"| {lb_full:.2f} | {full_first / lb_full:.2f} "
            f"| gap: Odoo activities, followers |"
        )
        out(
            f"| the same with the activities and the managers' ticket followers "
            f"by batched Odoo calls | {native_full:.2f} "
            f"| {full_first / native_full:.2f} | <= 2 |"
        )
        out(
            f"| memory of the whole monthly job: peak RSS growth of the process "
            f"over it | {rss_full:.0f} MB | | < 500 MB |"
        )
        kam = self.prepare_account_managers()
        scheduler, counts = self.timed(self.visit_scheduler)
        self.cr.commit()
        created = counts["created"]
        plain, _r = self.timed(lambda: self.plain_visit_insert(created, kam.id))
        self.cr.rollback()
        scheduler_again, counts_again = self.timed(self.visit_scheduler)
        self.cr.rollback()
        out(
            f"| visit scheduler, first run ({created} visits planned) "
            f"| {scheduler:.2f} | | |"
        )
        out(
            f"| plain bulk INSERT of {created} visits "
            f"| {plain:.2f} | {scheduler / plain:.2f} | <= 3 |"
        )
        out(
            f"| visit scheduler, second run: visits created "
            f"| {counts_again['created']} ({scheduler_again:.2f} s) | | 0 |"
        )
        # before contacts and tickets are added: the baseline holds the same
        # customers and nothing else
        listing = self.partner_list()
        self.make_birthday_contacts(args.birthdays)
        # the worst case: every grade gets proactive activities, no daily limit
        self.policy.grade_ids.write({"proactive_activities": True})
        self.policy.planner_activities_per_user = 0
        self.cr.commit()
        before = self.activity_count()
        planner, _r = self.timed(self.planner)
        planned = self.activity_count() - before
        self.cr.rollback()
        planner_lb, _r = self.timed(lambda: self.planner_lower_bound(planned))
        self.cr.rollback()
        planner_native, _r = self.timed(
            lambda: self.planner_lower_bound(planned, native=True)
        )
        self.cr.rollback()
        out(
            f"| daily planner: rhythm of {len(self.partner_ids)} customers, "
            f"{args.birthdays} contacts with birthdays, {planned} activities "
            f"| {planner:.2f} | | |"
        )
        out(
            f"| SQL lower bound (rhythm upsert, indexed selects, its own payment and "
            f"health SQL, bulk INSERT) "
            f"| {planner_lb:.2f} | {planner / planner_lb:.2f} | gap: Odoo activities |"
        )
        out(
            f"| the same with the activities created by one batched Odoo call "
            f"| {planner_native:.2f} | {planner / planner_native:.2f} | <= 2 |"
        )
        self.make_open_tickets(args.tickets, 0.01)
        before = self.activity_count()
        escalation, calls = self.timed(self.sla_escalation)
        self.cr.execute("SELECT COUNT(*) FROM logistics_ticket WHERE sla_escalated")
        escalated = self.cr.fetchone()[0]
        escalation_activities = self.activity_count() - before
        self.cr.rollback()
        escalation_lb, _r = self.timed(
            lambda: self.sla_lower_bound(escalated, escalation_activities)
        )
        self.cr.rollback()
        escalation_native, _r = self.timed(
            lambda: self.sla_lower_bound(escalated, escalation_activities, native=True)
        )
        self.cr.rollback()
        out(
            f"| SLA escalation: {args.tickets} open tickets, {escalated} newly "
            f"breached, {escalation_activities} activities, {calls} batch(es) "
            f"| {escalation:.2f} | | |"
        )
        out(
            f"| SQL lower bound (indexed select, bulk UPDATE, bulk INSERTs) "
            f"| {escalation_lb:.2f} | {escalation / escalation_lb:.2f} "
            f"| gap: Odoo messages, activities |"
        )
        out(
            f"| the same with chatter notes and activities by batched Odoo calls "
            f"| {escalation_native:.2f} | {escalation / escalation_native:.2f} "
            f"| <= 2 |"
        )
        assign_count = min(10_000, args.tickets)
        assign_vals, assign_team = self.prepare_assignment(pool, assign_count)
        Ticket = self.env["logistics.ticket"]
        # milliseconds: the median of several runs, each on fresh copies
        assign_time, addon_vals = self.median_timed(
            lambda vals: Ticket._assign_by_load(vals), assign_vals
        )
        assign_lb, bound_vals = self.median_timed(
            lambda vals: self.assignment_lower_bound(assign_team, vals), assign_vals
        )
        self.cr.rollback()
        assigned = sum(1 for vals in addon_vals if vals.get("user_id"))
        self.check_same_size(
            "ticket assignment",
            assigned,
            sum(1 for vals in bound_vals if vals.get("user_id")),
        )
        out(
            f"| ticket assignment: {assigned} of {assign_count} new tickets of one "
            f"batch balanced among {len(pool)} members by open tickets (of "
            f"{args.tickets}), median of {self.REPEAT} "
            f"| {assign_time * 1000:.1f} ms | | |"
        )
        out(
            f"| lower bound: working members by one calendar and time-off query, "
            f"open tickets "
            f"by one grouped query, least loaded by a heap "
            f"| {assign_lb * 1000:.1f} ms | {assign_time / assign_lb:.2f} | <= 2 |"
        )
        waiting = self.prepare_waiting_tickets()
        waiting_time, _r = self.timed(
            lambda: self.env["logistics.ticket"]._cron_waiting_tickets()
        )
        self.cr.rollback()
        waiting_lb, bound_reminded = self.timed(self.waiting_lower_bound)
        self.cr.rollback()
        self.check_same_size("waiting tickets", waiting, bound_reminded)
        waiting_native, _r = self.timed(lambda: self.waiting_lower_bound(native=True))
        self.cr.rollback()
        out(
            f"| waiting tickets: one cron call reminding {waiting} customers by email "
            f"of {args.tickets} open tickets | {waiting_time:.2f} | | |"
        )
        out(
            f"| SQL lower bound (its own due select, bulk INSERT of the messages, "
            f"UPDATE) "
            f"| {waiting_lb:.2f} | {waiting_time / waiting_lb:.2f} "
            f"| gap: Odoo emails |"
        )
        out(
            f"| the same with one Odoo message_post per customer (no batched "
            f"emailing API) | {waiting_native:.2f} "
            f"| {waiting_time / waiting_native:.2f} | <= 2 |"
        )
        Account = self.env["logistics.customer.tier"]
        health_time, alerted = self.timed(
            lambda: Account._update_health(self.policy, self.today)
        )
        self.cr.rollback()
        health_lb, scored = self.timed(lambda: self.health_lower_bound(len(alerted)))
        self.cr.rollback()
        health_native, _r = self.timed(
            lambda: self.health_lower_bound(len(alerted), native=True)
        )
        self.cr.rollback()
        out(
            f"| account health: {scored} accounts scored, {len(alerted)} alerted "
            f"| {health_time:.2f} | | |"
        )
        out(
            f"| SQL lower bound (its own signals scored in SQL, bulk UPDATE, history "
            f"and alert INSERTs) "
            f"| {health_lb:.2f} | {health_time / health_lb:.2f} "
            f"| gap: Odoo activities |"
        )
        out(
            f"| the same with the alerts created by one batched Odoo call "
            f"| {health_native:.2f} | {health_time / health_native:.2f} | <= 2 |"
        )
        self.prepare_survey_contacts(1000)
        survey_time, sent = self.timed(self.send_surveys)
        self.cr.rollback()
        survey_lb, bound_sent = self.timed(lambda: self.survey_lower_bound(sent))
        self.cr.rollback()
        self.check_same_size("relationship surveys", sent, bound_sent)
        survey_native, _r = self.timed(
            lambda: self.survey_lower_bound(sent, native=True)
        )
        self.cr.rollback()
        out(
            f"| relationship surveys: {sent} sent (daily limit raised to 1000) "
            f"| {survey_time:.2f} | | |"
        )
        out(
            f"| SQL lower bound (its own due select, answer, survey and email "
            f"INSERTs) "
            f"| {survey_lb:.2f} | {survey_time / survey_lb:.2f} "
            f"| gap: Odoo mail rendering |"
        )
        out(
            f"| the same with Odoo's batched creates and one batched mail rendering "
            f"| {survey_native:.2f} | {survey_time / survey_native:.2f} | <= 2 |"
        )
        self.measure_reclaim(out)
        # last: it commits what the recompute writes
        self.measure_recompute_button(out, "tiers ranked before")
        if listing:
            addon_list, base_list = listing
            out(
                f"| partner list as a rep: web_search_read of 80 of "
                f"{len(self.partner_ids)} customers with the addon's columns "
                f"| {addon_list * 1000:.1f} ms | | |"
            )
            out(
                f"| the same call on a database without the addon "
                f"| {base_list * 1000:.1f} ms | {addon_list / base_list:.2f} | <= 1.2 |"
            )
        out("")
        out("| invoices | first recompute (s) | seconds per 100k invoices |")
        out("|---:|---:|---:|")
        for label, total, seconds in growth:
            out(f"| {label} ({total}) | {seconds:.2f} | {seconds / total * 1e5:.3f} |")
        self.cr.close()


if __name__ == "__main__":
    Bench(parse_args()).run()
