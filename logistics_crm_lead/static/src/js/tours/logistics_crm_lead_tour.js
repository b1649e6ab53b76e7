/** @odoo-module */

import {registry} from "@web/core/registry";
import {session} from "@web/session";

// Odoo 18.0 draws a selection field as a <select>; 19.0 as a menu whose input
// shows the chosen label
const SELECT_ELEMENT = session.server_version_info[0] < 19;

function selectSteps(field, value, label) {
    const widget = `.o_field_widget[name='${field}']`;
    if (SELECT_ELEMENT) {
        return [{trigger: `${widget} select`, run: `select "${value}"`}];
    }
    return [
        {trigger: `${widget} .o_select_menu_toggler`, run: "click"},
        {trigger: `.o_select_menu_item:contains('${label}')`, run: "click"},
        {trigger: `${widget} .o_select_menu_toggler:value('${label}')`},
    ];
}

function selectedTrigger(field, value, label) {
    const widget = `.o_field_widget[name='${field}']`;
    if (SELECT_ELEMENT) {
        return `${widget} select:value(${value})`;
    }
    return `${widget} .o_select_menu_toggler:value('${label}')`;
}

registry.category("web_tour.tours").add("logistics_crm_lead_tour", {
    steps: () => [
        {
            content: "Qualify the opportunity on its Logistics tab",
            trigger: ".o_notebook .nav-link:contains('Logistics')",
            run: "click",
        },
        ...selectSteps("logistics_trigger", "unhappy", "Unhappy with Current Provider"),
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
                // beside the name (18.0 wraps it in .oe_title, 19.0 does not)
                ".o_form_view .o_form_sheet h1 + div .o_field_widget[name='lifecycle_stage'] " +
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
            trigger: `.o_notebook ${selectedTrigger("lifecycle_stage", "new", "New Customer")}`,
        },
    ],
});
