/** @odoo-module */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_ticket_tour", {
    url: "/odoo/action-logistics_crm.logistics_ticket_action",
    steps: () => [
        {
            trigger: ".o_kanban_view",
        },
        {
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour: pallet missing at Rotterdam",
        },
        {
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Shipper",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour Shipper')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='tracking_number'] input",
            run: "edit TOUR-4711",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='number']:contains('TCK/')",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button:contains('In Progress')",
            run: "click",
        },
        {
            trigger:
                ".o_statusbar_status button.o_arrow_button[aria-checked='true']:contains('In Progress')",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button:contains('Resolved')",
            run: "click",
        },
        {
            trigger:
                ".o_statusbar_status button.o_arrow_button[aria-checked='true']:contains('Resolved')",
        },
        {
            trigger: ".o_field_widget[name='closed_date']",
        },
        {
            // back to the kanban: the tour must not end on a form being edited
            trigger: ".o_breadcrumb .o_back_button a",
            run: "click",
        },
        {
            trigger: ".o_kanban_view",
        },
    ],
});

registry.category("web_tour.tours").add("logistics_claim_tour", {
    url: "/odoo/action-logistics_crm.logistics_ticket_action",
    steps: () => [
        {
            content: "Open the damage claim",
            trigger: ".o_kanban_record:contains('Tour: crushed pallets')",
            run: "click",
        },
        {
            content: "The claim tab lists what the customer claims",
            trigger: ".o_notebook .nav-link:contains('Claim')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='claim_line_ids'] .o_data_row:contains('Pallet of tiles')",
        },
        {
            // 18.0: a <select>; 19.0: a menu opened from its input
            trigger: ".o_field_widget[name='settlement_method'] :is(select, input)",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='settlement_method'] select, .o_select_menu_item:contains('Negotiation')",
            async run(helpers) {
                if (this.anchor.tagName === "SELECT") {
                    await helpers.select('"negotiation"');
                } else {
                    await helpers.click();
                }
            },
        },
        {
            trigger: ".o_field_widget[name='settled_amount'] input",
            run: "edit 700",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "The rep proposes the settlement",
            trigger: ".o_form_statusbar button[name='action_propose_settlement']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='claim_state']:contains('Settlement Proposed')",
        },
        {
            content: "Within the limit: the rep approves it",
            trigger: ".o_form_statusbar button[name='action_approve_settlement']",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='claim_state']:contains('Settlement Approved')",
        },
        {
            content: "The draft credit note is one click away",
            trigger: "button[name='action_open_credit_notes']:contains('Credit Notes')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('700')",
        },
    ],
});
