import { registry } from "@web/core/registry";

// A rep opens My Visits, records the outcome of a planned visit and marks it done.
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
    ],
});
