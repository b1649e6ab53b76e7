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
    ],
});
