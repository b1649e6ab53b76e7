"""18.0.1.1.0: the target year becomes per company (Odoo's jsonb column of a
company-dependent field); a year set before belongs to the partner's company,
else to every company of the database."""

from odoo.tools import sql


def migrate(cr, version):
    columns = sql.table_columns(cr, "res_partner")
    if columns.get("logistics_target_year", {}).get("udt_name") != "int4":
        return
    sql.rename_column(
        cr, "res_partner", "logistics_target_year", "logistics_target_year_int"
    )
    sql.create_column(cr, "res_partner", "logistics_target_year", "jsonb")
    cr.execute(
        """
        UPDATE res_partner p
           SET logistics_target_year = CASE
               WHEN p.company_id IS NOT NULL
               THEN jsonb_build_object(p.company_id::text, p.logistics_target_year_int)
               ELSE (SELECT jsonb_object_agg(c.id::text, p.logistics_target_year_int)
                       FROM res_company c)
               END
         WHERE p.logistics_target_year_int IS NOT NULL
           AND p.logistics_target_year_int != 0
        """
    )
    cr.execute("ALTER TABLE res_partner DROP COLUMN logistics_target_year_int")
