/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_crm_lead_tour", {
    steps: () => [
        {
            content: "Qualify the opportunity on its Logistics tab",
            trigger: ".o_notebook .nav-link:contains('Logistics')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='logistics_trigger'] select",
            run: "select \"unhappy\"",
        },
        {
            trigger: ".o_field_widget[name='logistics_annual_shipments'] input",
            run: "edit 120",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Plan a visit to the prospect",
            trigger: ".o_form_statusbar button[name='action_plan_logistics_visit']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='lead_id']:contains('Tour opportunity')",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the opportunity",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour opportunity')",
            run: "click",
        },
        {
            content: "Win it",
            trigger: ".o_form_statusbar button[name='action_set_won_rainbowman']",
            run: "click",
        },
        {
            trigger: ".ribbon:contains('Won')",
        },
        {
            content: "Open the customer from the opportunity's Contact field",
            // the arrow of a many2one shows while the field has the focus
            trigger: ".o_form_view .o_group .o_field_widget[name='partner_id'] input",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_group .o_field_widget[name='partner_id'] " +
                ".o_external_button:visible",
            run: "click",
        },
        {
            trigger: ".o_breadcrumb .active:contains('Tour Prospect Co')",
        },
        {
            content: "The customer is new, its profile filled from the qualification",
            trigger:
                ".o_form_view .oe_title .o_field_widget[name='lifecycle_stage'] " +
                ".badge:contains('New Customer')",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains('Logistics')",
            run: "click",
        },
        {
            trigger:
                ".o_notebook .o_field_widget[name='annual_shipment_estimate'] " +
                "input:value(120)",
        },
        {
            trigger: ".o_notebook .o_field_widget[name='lifecycle_stage'] select:value(new)",
        },
    ],
});
