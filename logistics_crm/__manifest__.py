{
    "name": "Logistics CRM",
    "summary": "Logistics-customer profiles, ABC tiers, service tickets and visits "
    "for 3PL, express, freight and rail companies",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/logistics-crm/logistics_crm",
    "author": "Logistics CRM Contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["contacts", "mail", "account"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/logistics_crm_groups.xml",
        "security/ir.model.access.csv",
        "security/logistics_crm_security.xml",
        "data/logistics_service_type_data.xml",
        "views/logistics_service_type_views.xml",
        "views/logistics_partner_lane_views.xml",
        "views/res_partner_views.xml",
        "views/logistics_crm_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
}
