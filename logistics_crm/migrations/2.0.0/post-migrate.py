"""18.0.2.0.0: copy the old global partner values into the customer accounts.

Each company saw the global value: it goes into every account the customer has
(one per company). A customer with values and no account yet gets one in its
company, or, when shared, in every company with a tier policy. The birthday
marker becomes company-dependent: the year greeted applies to every company.
The account team (key-account manager, backup, sponsor) goes the same way, and
its assignment history is linked to the accounts. The fixed A/B/C tiers become
grade records of each policy (logistics.customer.grade) with the service levels
and thresholds the policy had; accounts, history, tickets, visits and SLA
policies keep their codes.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

ACCOUNT_COLUMNS = (
    "lifecycle_stage",
    "last_order_date",
    "estimated_order_interval_days",
    "expected_next_order_date",
    "proactive_activity_date",
    "reengage_activity_date",
    "key_account_manager_id",
    "backup_manager_id",
    "executive_sponsor_id",
)


def migrate(cr, version):
    present = [
        column
        for column in ACCOUNT_COLUMNS
        if sql.column_exists(cr, "res_partner", f"lcrm_v1_{column}")
    ]
    if present:
        _copy_to_accounts(cr, present)
    if sql.column_exists(cr, "logistics_account_assignment", "account_id"):
        _link_assignments(cr)
    # the trend alert is named for what it is (its record is noupdate)
    cr.execute(
        """
        UPDATE mail_activity_type t
           SET name = jsonb_build_object('en_US', 'Volume Dropping')
          FROM ir_model_data d
         WHERE d.module = 'logistics_crm' AND d.name = 'mail_activity_type_at_risk'
           AND d.model = 'mail.activity.type' AND t.id = d.res_id
           AND t.name->>'en_US' = 'At-Risk Customer'
        """
    )
    if sql.column_exists(cr, "logistics_tier_policy_line", "proactive_activities"):
        # as the seeded policy: proactive work for A and B, basic service for C
        cr.execute(
            "UPDATE logistics_tier_policy_line "
            "SET proactive_activities = tier IN ('A', 'B')"
        )
    # the seeded delay, damage/loss and billing types count in the complaint rate,
    # as the course does, and carry claims and settlements
    cr.execute(
        """
        UPDATE logistics_ticket_type t SET is_complaint = TRUE, is_claim = TRUE
          FROM ir_model_data d
         WHERE d.module = 'logistics_crm' AND d.model = 'logistics.ticket.type'
           AND d.res_id = t.id
           AND d.name IN ('logistics_ticket_type_delay', 'logistics_ticket_type_damage',
                          'logistics_ticket_type_billing')
        """
    )
    if sql.table_exists(cr, "logistics_tier_policy_line"):
        _grades_from_service_levels(cr)
    # the survey is loaded after the policies' new column got its (empty) default
    cr.execute(
        """
        UPDATE logistics_tier_policy p SET survey_id = d.res_id
          FROM ir_model_data d
         WHERE d.module = 'logistics_crm' AND d.name = 'survey_relationship'
           AND p.survey_id IS NULL
        """
    )
    if sql.column_exists(cr, "res_partner", "lcrm_v1_birthday_activity_year"):
        cr.execute(
            """
            UPDATE res_partner p
               SET birthday_activity_year = (
                       SELECT jsonb_object_agg(
                                  c.id::text, p.lcrm_v1_birthday_activity_year)
                         FROM res_company c)
             WHERE p.lcrm_v1_birthday_activity_year IS NOT NULL
            """
        )
        cr.execute("ALTER TABLE res_partner DROP COLUMN lcrm_v1_birthday_activity_year")


def _link_assignments(cr):
    """The assignment history belongs to the accounts now: a change recorded
    for a shared customer (no company) happened in each of its accounts."""
    cr.execute(
        """
        INSERT INTO logistics_account_assignment (
            partner_id, role, from_user_id, to_user_id, date, reason,
            changed_by_id, account_id,
            create_uid, create_date, write_uid, write_date)
        SELECT h.partner_id, h.role, h.from_user_id, h.to_user_id, h.date, h.reason,
               h.changed_by_id, t.id,
               h.create_uid, h.create_date, h.write_uid, h.write_date
          FROM logistics_account_assignment h
          JOIN logistics_customer_tier t ON t.partner_id = h.partner_id
         WHERE h.account_id IS NULL AND h.company_id IS NULL
           AND t.id > (SELECT MIN(t2.id) FROM logistics_customer_tier t2
                        WHERE t2.partner_id = h.partner_id)
        """
    )
    cr.execute(
        """
        UPDATE logistics_account_assignment h
           SET account_id = t.id, company_id = t.company_id
          FROM logistics_customer_tier t
         WHERE h.account_id IS NULL AND t.partner_id = h.partner_id
           AND (t.company_id = h.company_id
                OR (h.company_id IS NULL AND t.id = (
                        SELECT MIN(t2.id) FROM logistics_customer_tier t2
                         WHERE t2.partner_id = h.partner_id)))
        """
    )
    cr.execute(
        """
        UPDATE logistics_account_assignment h
           SET company_id = t.company_id
          FROM logistics_customer_tier t
         WHERE t.id = h.account_id AND h.company_id IS DISTINCT FROM t.company_id
        """
    )


def _copy_to_accounts(cr, columns):
    old = [SQL.identifier("p", f"lcrm_v1_{column}") for column in columns]
    has_value = SQL(" OR ".join(["%s IS NOT NULL"] * len(old)), *old)
    # customers with values and no account: one in their company, or in every
    # company with a policy when the customer is shared
    cr.execute(
        SQL(
            """
            INSERT INTO logistics_customer_tier (
                partner_id, company_id,
                create_uid, create_date, write_uid, write_date)
            SELECT p.id, c.id,
                   1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
              FROM res_partner p
              JOIN res_company c
                ON c.id = p.company_id
                OR (p.company_id IS NULL AND c.id IN (
                        SELECT company_id FROM logistics_tier_policy))
             WHERE p.id = p.commercial_partner_id
               AND (%(has_value)s)
               AND NOT EXISTS (
                    SELECT 1 FROM logistics_customer_tier t WHERE t.partner_id = p.id)
            """,
            has_value=has_value,
        )
    )
    created = cr.rowcount
    assignments = SQL(
        ", ".join(["%s = %s"] * len(columns)),
        *[
            part
            for column, old_column in zip(columns, old, strict=True)
            for part in (SQL.identifier(column), old_column)
        ],
    )
    cr.execute(
        SQL(
            """
            UPDATE logistics_customer_tier t
               SET %(assignments)s
              FROM res_partner p
             WHERE p.id = t.partner_id
            """,
            assignments=assignments,
        )
    )
    _logger.info(
        "logistics_crm 18.0.2.0.0: %s accounts filled from partner columns "
        "(%s created)",
        cr.rowcount,
        created,
    )
    for column in columns:
        cr.execute(
            SQL(
                "ALTER TABLE res_partner DROP COLUMN %s",
                SQL.identifier(f"lcrm_v1_{column}"),
            )
        )


def _grades_from_service_levels(cr):
    """One grade per former service level, named as the A/B/C template names
    it, with the policy's A and B thresholds as shares."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    Policy = env["logistics.tier.policy"].with_context(active_test=False)
    has_thresholds = sql.column_exists(cr, "logistics_tier_policy", "a_threshold")
    thresholds = {}
    if has_thresholds:
        cr.execute("SELECT id, a_threshold, b_threshold FROM logistics_tier_policy")
        thresholds = {row[0]: row[1:] for row in cr.fetchall()}
    # the previous release had no proactive switch: A and B got the activities
    proactive = (
        SQL.identifier("proactive_activities")
        if sql.column_exists(cr, "logistics_tier_policy_line", "proactive_activities")
        else SQL("tier IN ('A', 'B')")
    )
    cr.execute(
        SQL(
            """
            SELECT policy_id, tier, visit_interval_days,
                   executive_visit_interval_days, ticket_priority,
                   account_load_weight, key_account_required, %s
              FROM logistics_tier_policy_line
             ORDER BY policy_id, tier
            """,
            proactive,
        )
    )
    old_levels = {}
    for row in cr.fetchall():
        old_levels.setdefault(row[0], {})[row[1]] = row[2:]
    for policy in Policy.search([]):
        if policy.grade_ids:
            continue
        a_share, b_share = thresholds.get(policy.id) or (5.0, 15.0)
        shares = {"A": a_share, "B": b_share, "C": 0.0}
        values_list = policy._template_grade_values("abc", policy.method)
        for values in values_list:
            level = old_levels.get(policy.id, {}).get(values["code"])
            if level:
                visit, executive, priority, weight, dedicated, proactive = level
                values.update(
                    visit_interval_days=visit or 0,
                    executive_visit_interval_days=executive or 0,
                    ticket_priority=priority or "1",
                    account_load_weight=weight or 0,
                    key_account_required=bool(dedicated),
                    proactive_activities=bool(proactive),
                )
            values.update(policy_id=policy.id, share_percent=shares[values["code"]])
        grades = env["logistics.customer.grade"].create(values_list)
        grades._translate_names_from_template()
        _logger.info(
            "policy %s: %s grades from its service levels", policy.id, len(grades)
        )
    if has_thresholds:
        cr.execute(
            "ALTER TABLE logistics_tier_policy DROP COLUMN a_threshold, "
            "DROP COLUMN b_threshold"
        )
