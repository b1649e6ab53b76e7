"""18.0.2.0.0: per-company values leave res_partner for the customer accounts.

Before the new fields are set up, keep the old global columns under other names:
post-migrate.py copies them into each company's account and drops them.
"""

from odoo.tools import sql

MOVED_COLUMNS = (
    "lifecycle_stage",
    "last_order_date",
    "estimated_order_interval_days",
    "expected_next_order_date",
    "proactive_activity_date",
    "reengage_activity_date",
    "birthday_activity_year",
    "key_account_manager_id",
    "backup_manager_id",
    "executive_sponsor_id",
)


def migrate(cr, version):
    if sql.column_exists(cr, "logistics_customer_tier", "key_account_manager_id"):
        # it mirrored the partner's column, which post-migrate.py copies in
        cr.execute(
            "ALTER TABLE logistics_customer_tier DROP COLUMN key_account_manager_id"
        )
    for column in MOVED_COLUMNS:
        if sql.column_exists(cr, "res_partner", column):
            sql.rename_column(cr, "res_partner", column, f"lcrm_v1_{column}")
