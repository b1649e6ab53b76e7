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
