{
    "name": "Logistics CRM Leads",
    "summary": "Logistics qualification of leads and opportunities in Odoo CRM; "
    "won opportunities become profiled, tiered customers",
    "version": "1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/logistics-crm/logistics_crm",
    "author": "Logistics CRM Contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["logistics_crm", "crm"],
    "data": [
        "security/ir.model.access.csv",
        "security/logistics_crm_lead_security.xml",
        "data/ir_cron_data.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/logistics_visit_views.xml",
        "views/logistics_lead_funnel_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_crm_lead/static/src/js/tours/*.js",
        ],
    },
}
