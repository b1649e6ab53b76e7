import { registry } from "@web/core/registry";

// A rep's daily loop: open My Visits, record the outcome of a planned visit, open the
// customer, see its tier and tickets, and answer a ticket.
registry.category("web_tour.tours").add("logistics_crm_visit_outcome_tour", {
    url: "/odoo/action-logistics_crm.logistics_visit_action_my",
    steps: () => [
        {
            content: "Open the planned visit of the tour customer",
            trigger: ".o_data_row .o_data_cell:contains('Tour Freight Customer')",
            run: "click",
        },
        {
            content: "Write what was discussed",
            trigger: ".o_field_widget[name='outcome'] .odoo-editor-editable",
            run: "editor Wants weekly LTL to Chongqing from January",
        },
        {
            content: "Rate the customer as very happy (the fourth star)",
            trigger: ".o_field_widget[name='satisfaction'] .o_priority_star:eq(3)",
            run: "click",
        },
        {
            content: "Agree on next steps",
            trigger: ".o_field_widget[name='next_steps'] textarea",
            run: "edit Send the LTL quote by Friday",
        },
        {
            content: "Mark the visit done",
            trigger: ".o_form_view button[name='action_done']",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "Open the customer",
            trigger: ".o_form_view button[name='action_open_customer']",
            run: "click",
        },
        {
            content: "Open the Logistics tab",
            trigger: ".o_notebook .nav-link:contains('Logistics')",
            run: "click",
        },
        {
            content: "The customer is a key customer",
            trigger: ".o_field_widget[name='tier']:contains('A – Key Customer')",
        },
        {
            content: "Open the customer's tickets",
            trigger: "button[name='action_open_tickets']",
            run: "click",
        },
        {
            content: "Open the open ticket",
            trigger: ".o_data_row .o_data_cell:contains('Pallet damaged'), .o_kanban_record:contains('Pallet damaged')",
            run: "click",
        },
        {
            content: "Answer the customer",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Write the answer",
            trigger: ".o-mail-Composer-input",
            run: "edit We have opened a claim with the carrier",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The answer is on the ticket",
            trigger: ".o-mail-Message:contains('opened a claim with the carrier')",
        },
    ],
});
