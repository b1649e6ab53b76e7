"""Upgrade from the previous release: a database built by the addon as it was at
18.0.1.0.0 (checked out from git), then updated by the current code.

make test gives a throw-away database name (LOGISTICS_CRM_MIGRATION_DB); run alone,
the test is skipped.
"""

import os
import subprocess
import sys
import tarfile
import tempfile
import textwrap

import pytest
from test_upgrade_uninstall import CONNECTION, ODOO_PATH, PROJECT_DIR, run_odoo_bin

DB = os.environ.get("LOGISTICS_CRM_MIGRATION_DB")
# the last commit of 18.0.1.0.0: per-company values still in res_partner columns
PREVIOUS_RELEASE = "39da01d463c44b0d058c7800feb2e1d1f9b1f4a2"
pytestmark = pytest.mark.skipif(not DB, reason="no database given")

# Built with the previous release: a customer shared by two companies (an account
# in each), a customer with values and no account, a contact greeted this year.
SETUP_V1 = textwrap.dedent(
    """
    main = env.ref("base.main_company")
    second = env["res.company"].create({"name": "Second Logistics Co"})
    env["logistics.tier.policy"]._get_company_policy(second)
    # thresholds and a service level of its own: they become the grades
    main_policy = env["logistics.tier.policy"]._get_company_policy(main)
    main_policy.write({"a_threshold": 10, "b_threshold": 20})
    main_policy.line_ids.filtered(lambda l: l.tier == "B").visit_interval_days = 45
    Partner = env["res.partner"]
    shared = Partner.create({
        "name": "Migrated Shared Customer", "is_company": True,
        "lifecycle_stage": "at_risk", "last_order_date": "2026-03-01",
        "order_interval_days": 10,
    })
    lonely = Partner.create({
        "name": "Migrated Prospect", "is_company": True,
        "lifecycle_stage": "potential",
    })
    contact = Partner.create({
        "name": "Migrated Contact", "parent_id": shared.id, "birthday": "1980-05-04",
    })
    env.cr.execute(
        "UPDATE res_partner SET estimated_order_interval_days = 12,"
        " proactive_activity_date = '2026-03-11', reengage_activity_date = '2026-02-01'"
        " WHERE id = %s", [shared.id])
    env.cr.execute(
        "UPDATE res_partner SET birthday_activity_year = 2026 WHERE id = %s",
        [contact.id])
    Tier = env["logistics.customer.tier"]
    for company, tier in ((main, "B"), (second, "C")):
        Tier.create(
            {"partner_id": shared.id, "company_id": company.id, "computed_tier": tier}
        )
    # a global account team, with its history (recorded without a company)
    shared.write({
        "key_account_manager_id": env.ref("base.user_admin").id,
        "backup_manager_id": env.ref("base.user_demo").id,
        "executive_sponsor_id": env.ref("base.user_admin").id,
    })
    env.cr.commit()
    """
)


def git(*args, check=True):
    return subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", *args],  # noqa: S607
        cwd=PROJECT_DIR,
        capture_output=True,
        check=check,
    )


def previous_release_addon(target):
    """The addon's tree at the previous release, extracted into `target`."""
    if git("cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}", check=False).returncode:
        # a shallow clone: fetch the history the migration starts from
        git("fetch", "--quiet", "--unshallow", check=False)
    archive = git("archive", "--format=tar", PREVIOUS_RELEASE, "logistics_crm").stdout
    path = os.path.join(target, "addon.tar")
    with open(path, "wb") as handle:
        handle.write(archive)
    with tarfile.open(path) as tar:
        tar.extractall(target, filter="data")
    os.unlink(path)


def run_v1(addons_dir, *args, stdin=None):
    command = [
        arg.replace(PROJECT_DIR, addons_dir) if arg.startswith("--addons-path") else arg
        for arg in CONNECTION
    ]
    odoo_bin = os.path.join(ODOO_PATH, "odoo-bin")
    return subprocess.run(  # noqa: S603 - our interpreter and odoo-bin
        [sys.executable, odoo_bin, *args, *command, "--log-level=warn"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
        start_new_session=True,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated_db():
    with tempfile.TemporaryDirectory() as addons_dir:
        previous_release_addon(addons_dir)
        result = run_v1(
            addons_dir, "-d", DB, "-i", "logistics_crm", "--stop-after-init"
        )
        assert result.returncode == 0, result.stderr[-3000:]
        result = run_v1(addons_dir, "shell", "-d", DB, "--no-http", stdin=SETUP_V1)
        assert result.returncode == 0, result.stderr[-3000:]
    before = query_all(
        "SELECT partner_id, company_id, tier FROM logistics_customer_tier ORDER BY 1, 2"
    )
    counts_before = table_counts()
    result = run_odoo_bin("-d", DB, "-u", "logistics_crm", "--stop-after-init")
    assert result.returncode == 0, result.stderr[-3000:]
    assert " ERROR " not in result.stderr, result.stderr[-3000:]
    return before, counts_before


def connect():
    import psycopg2  # noqa: PLC0415

    return psycopg2.connect(
        dbname=DB,
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=os.environ.get("DB_PORT", "5432"),
        user=os.environ.get("DB_USER", "odoo"),
        password=os.environ.get("DB_PASSWORD", "odoo"),
    )


def query_all(query, params=None):
    with connect() as connection, connection.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall()


def table_counts():
    return {
        table: query_all(f"SELECT COUNT(*) FROM {table}")[0][0]  # noqa: S608
        for table in (
            "logistics_tier_history",
            "logistics_ticket",
            "logistics_visit",
            "logistics_account_assignment",
            "logistics_volume",
        )
    }


def partner_id(name):
    return query_all("SELECT id FROM res_partner WHERE name = %s", [name])[0][0]


def test_every_tier_and_record_survives(migrated_db):
    before, counts_before = migrated_db
    after = query_all(
        "SELECT partner_id, company_id, tier FROM logistics_customer_tier ORDER BY 1, 2"
    )
    assert set(before) <= set(after)
    counts = table_counts()
    # a shared customer's team history is kept in each of its accounts
    assert counts.pop("logistics_account_assignment") >= counts_before.pop(
        "logistics_account_assignment"
    )
    assert counts == counts_before
    assert query_all(
        "SELECT COUNT(*) FROM logistics_account_assignment "
        "WHERE account_id IS NULL OR company_id IS NULL"
    ) == [(0,)]


def test_account_team_reaches_each_companys_account(migrated_db):
    admin, demo = (
        query_all(
            "SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = %s",
            [name],
        )[0][0]
        for name in ("user_admin", "user_demo")
    )
    rows = query_all(
        """
        SELECT company_id, key_account_manager_id, backup_manager_id,
               executive_sponsor_id
          FROM logistics_customer_tier WHERE partner_id = %s ORDER BY company_id
        """,
        [partner_id("Migrated Shared Customer")],
    )
    assert len(rows) == 2
    assert {row[1:] for row in rows} == {(admin, demo, admin)}
    history = query_all(
        """
        SELECT t.company_id, h.role, h.to_user_id
          FROM logistics_account_assignment h
          JOIN logistics_customer_tier t ON t.id = h.account_id
         WHERE h.partner_id = %s AND h.company_id = t.company_id
        """,
        [partner_id("Migrated Shared Customer")],
    )
    for company, *_team in rows:
        assert {(role, user) for c, role, user in history if c == company} == {
            ("key_account_manager_id", admin),
            ("backup_manager_id", demo),
            ("executive_sponsor_id", admin),
        }


def test_shared_customer_values_reach_each_companys_account(migrated_db):
    rows = query_all(
        """
        SELECT lifecycle_stage, last_order_date::text, estimated_order_interval_days,
               expected_next_order_date::text, proactive_activity_date::text,
               reengage_activity_date::text
          FROM logistics_customer_tier WHERE partner_id = %s
        """,
        [partner_id("Migrated Shared Customer")],
    )
    expected = ("at_risk", "2026-03-01", 12, "2026-03-11", "2026-03-11", "2026-02-01")
    assert rows == [expected, expected]


def test_customer_without_account_gets_one_per_company(migrated_db):
    rows = query_all(
        "SELECT company_id, lifecycle_stage, tier FROM logistics_customer_tier "
        "WHERE partner_id = %s",
        [partner_id("Migrated Prospect")],
    )
    policies = query_all("SELECT COUNT(*) FROM logistics_tier_policy")[0][0]
    assert len(rows) == policies
    assert {(stage, tier) for _company, stage, tier in rows} == {("potential", None)}


def test_birthday_marker_kept_for_every_company(migrated_db):
    (marker,) = query_all(
        "SELECT birthday_activity_year FROM res_partner WHERE name = %s",
        ["Migrated Contact"],
    )[0]
    companies = query_all("SELECT id FROM res_company")
    assert marker == {str(company): 2026 for (company,) in companies}


def test_global_partner_columns_are_gone(migrated_db):
    columns = query_all(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'res_partner'
           AND (column_name LIKE 'lcrm_v1_%%' OR column_name IN (
                'lifecycle_stage', 'last_order_date', 'proactive_activity_date',
                'reengage_activity_date', 'expected_next_order_date',
                'key_account_manager_id', 'backup_manager_id',
                'executive_sponsor_id'))
        """
    )
    assert columns == []


def test_proactive_activities_stay_on_for_a_and_b(migrated_db):
    grades = query_all(
        "SELECT DISTINCT code, proactive_activities FROM logistics_customer_grade"
    )
    assert set(grades) == {("A", True), ("B", True), ("C", False)}


def test_trend_alert_type_renamed(migrated_db):
    (name,) = query_all(
        """
        SELECT t.name->>'en_US' FROM mail_activity_type t
          JOIN ir_model_data d ON d.res_id = t.id AND d.model = 'mail.activity.type'
         WHERE d.module = 'logistics_crm' AND d.name = 'mail_activity_type_at_risk'
        """
    )[0]
    assert name == "Volume Dropping"


def test_service_levels_become_grades(migrated_db):
    main = query_all(
        "SELECT res_id FROM ir_model_data WHERE module = 'base' "
        "AND name = 'main_company'"
    )[0][0]
    grades = query_all(
        """
        SELECT p.company_id, g.code, g.name->>'en_US', g.share_percent,
               g.visit_interval_days, g.key_account_required,
               g.survey_interval_months
          FROM logistics_customer_grade g
          JOIN logistics_tier_policy p ON p.id = g.policy_id
         ORDER BY p.company_id, g.sequence
        """
    )
    by_company = {}
    for company_id, *grade in grades:
        by_company.setdefault(company_id, []).append(tuple(grade))
    assert len(by_company) == 2, "both companies' policies have grades"
    assert by_company[main] == [
        ("A", "A – Key Customer", 10.0, 30, True, 12),
        ("B", "B – Partner Customer", 20.0, 45, True, 12),
        ("C", "C – General Customer", 0.0, 0, False, 0),
    ]
    # the accounts' codes are configured grades of their company
    assert query_all(
        """
        SELECT COUNT(*) FROM logistics_customer_tier t
         WHERE t.tier IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM logistics_customer_grade g
                WHERE g.company_id = t.company_id AND g.code = t.tier)
        """
    ) == [(0,)]
    assert query_all(
        "SELECT COUNT(*) FROM information_schema.columns "
        "WHERE table_name = 'logistics_tier_policy' AND column_name = 'a_threshold'"
    ) == [(0,)]


def test_complaint_like_types_count_as_complaints(migrated_db):
    flags = query_all(
        """
        SELECT d.name, t.is_complaint FROM logistics_ticket_type t
          JOIN ir_model_data d ON d.res_id = t.id AND d.model = 'logistics.ticket.type'
         WHERE d.module = 'logistics_crm'
        """
    )
    complaints = {name for name, flag in flags if flag}
    assert complaints == {
        "logistics_ticket_type_delay",
        "logistics_ticket_type_damage",
        "logistics_ticket_type_billing",
        "logistics_ticket_type_complaint",
    }


def test_policies_get_the_relationship_survey(migrated_db):
    assert query_all(
        """
        SELECT COUNT(*) FROM logistics_tier_policy p
         WHERE p.survey_id IS DISTINCT FROM (
               SELECT res_id FROM ir_model_data
                WHERE module = 'logistics_crm' AND name = 'survey_relationship')
        """
    ) == [(0,)]


def test_claim_types_carry_claims(migrated_db):
    flags = query_all(
        """
        SELECT d.name FROM logistics_ticket_type t
          JOIN ir_model_data d ON d.res_id = t.id AND d.model = 'logistics.ticket.type'
         WHERE d.module = 'logistics_crm' AND t.is_claim
        """
    )
    assert {name for (name,) in flags} == {
        "logistics_ticket_type_delay",
        "logistics_ticket_type_damage",
        "logistics_ticket_type_billing",
    }


def test_nightly_jobs_move_to_each_companys_night(migrated_db):
    crons = query_all(
        """
        SELECT d.name, c.interval_number, c.interval_type FROM ir_cron c
          JOIN ir_model_data d ON d.res_id = c.id AND d.model = 'ir.cron'
         WHERE d.module = 'logistics_crm'
           AND d.name IN ('ir_cron_recompute_tiers', 'ir_cron_schedule_visits',
                          'ir_cron_proactive_activities')
        """
    )
    assert sorted(crons) == [
        ("ir_cron_proactive_activities", 1, "hours"),
        ("ir_cron_recompute_tiers", 1, "hours"),
        ("ir_cron_schedule_visits", 1, "hours"),
    ]
    # the upgrade is no recompute: each company's next one is on the 1st
    assert query_all(
        "SELECT COUNT(*) FROM logistics_tier_policy WHERE cron_recompute_day IS NULL"
    ) == [(0,)]


def test_accounts_get_their_first_owner_or_start_in_the_pool(migrated_db):
    admin = query_all(
        "SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'user_admin'"
    )[0][0]
    rows = query_all(
        """
        SELECT p.name, t.owner_id, t.pool_reason
          FROM logistics_customer_tier t JOIN res_partner p ON p.id = t.partner_id
         ORDER BY p.name, t.company_id
        """
    )
    shared = [row[1:] for row in rows if row[0] == "Migrated Shared Customer"]
    # the key-account manager owns the account in both companies
    assert shared == [(admin, None), (admin, None)]
    # no account is left neither owned nor in the pool
    assert all(owner or reason for _name, owner, reason in rows)
