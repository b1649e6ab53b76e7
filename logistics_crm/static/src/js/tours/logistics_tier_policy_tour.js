import { registry } from "@web/core/registry";

// A manager opens the tier policy, takes the railway A–D grades, gives grade A a 10%
// share and recomputes the tiers.
registry.category("web_tour.tours").add("logistics_crm_tier_policy_tour", {
    url: "/odoo/action-logistics_crm.logistics_tier_policy_action",
    steps: () => [
        {
            content: "Open the company's tier policy",
            trigger: ".o_data_row .o_data_cell:contains('ABC Tiers')",
            run: "click",
        },
        {
            content: "Take the railway freight grading",
            trigger: "button[name='action_apply_grade_template']:contains('Railway')",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Four grades, D takes the rest",
            trigger:
                ".o_field_widget[name='grade_ids'] .o_data_row:contains('D – Occasional Customer')",
        },
        {
            content: "Edit grade A",
            trigger:
                ".o_field_widget[name='grade_ids'] .o_data_row:first .o_data_cell[name='share_percent']",
            run: "click",
        },
        {
            content: "Make the top 10% key customers",
            trigger:
                ".o_field_widget[name='grade_ids'] .o_selected_row .o_field_widget[name='share_percent'] input",
            run: "edit 10",
        },
        {
            content: "Save the policy",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Recompute the tiers now",
            trigger: ".o_form_saved button[name='action_recompute']",
            run: "click",
        },
        {
            content: "The recompute says what it did",
            trigger: ".o_notification:contains('customers ranked')",
        },
    ],
});

// A manager opens the overview and clicks through from a number to the records.
registry.category("web_tour.tours").add("logistics_crm_overview_tour", {
    url: "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
    steps: () => [
        {
            content: "The overview shows the customers per tier",
            trigger: ".o_kanban_record:contains('Customers per Tier')",
        },
        {
            // the railway grades the policy tour chose before
            content: "The overview lists each grade",
            trigger:
                ".o_kanban_record .o_logistics_crm_dashboard_grade:contains('D – Occasional Customer')",
        },
        {
            content: "Open the customers per tier",
            trigger: ".o_kanban_record button:contains('Customers per Tier')",
            run: "click",
        },
        {
            content: "The ABC analysis groups the customers per grade",
            trigger: ".o_list_view .o_group_name:contains('A – Strategic Customer')",
            run: "click",
        },
        {
            content: "The A group lists the A customer",
            trigger: ".o_list_view .o_data_row:contains('Tour customer 9')",
        },
    ],
});

// A manager opens an at-risk account from the overview and sees why.
registry.category("web_tour.tours").add("logistics_crm_health_tour", {
    url: "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
    steps: () => [
        {
            content: "The overview counts it at risk in its tier",
            trigger: ".o_logistics_crm_dashboard_health_grade:contains('1 with health at risk')",
        },
        {
            content: "It is the month's worst mover",
            trigger: ".o_logistics_crm_dashboard_mover a:contains('Ailing Freight Buyer')",
        },
        {
            content: "Health per key-account manager",
            trigger: ".o_kanban_record button:contains('Health per Key-Account Manager')",
            run: "click",
        },
        {
            content: "A pivot of the accounts per manager and health",
            trigger: ".o_pivot .o_pivot_header_cell_closed, .o_pivot th:contains('Health at Risk')",
        },
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the accounts whose health is at risk",
            trigger: ".o_kanban_record button:contains('accounts with their health at risk')",
            run: "click",
        },
        {
            content: "Open the at-risk customer",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('Ailing Freight Buyer')",
            run: "click",
        },
        {
            content: "Its health is at risk",
            trigger: ".o_field_widget[name='health_status']:contains('Health at Risk')",
        },
        {
            content: "Why: the overdue visits score 0",
            trigger: ".o_field_widget[name='health_visits_score']:contains('0.0')",
        },
    ],
});
