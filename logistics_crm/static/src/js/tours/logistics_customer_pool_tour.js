import { registry } from "@web/core/registry";

// A rep of a Chinese company opens the customer pool (公海), sees what they need to
// decide and nothing private, claims a customer (领取), and finds it among their own.
registry.category("web_tour.tours").add("logistics_crm_customer_pool_tour", {
    url: "/odoo/action-logistics_crm.res_partner_action_customer_pool",
    steps: () => [
        {
            content: "The pool lists the unowned customer",
            trigger: ".o_data_row:contains('杭州公海物流有限公司')",
        },
        {
            content: "with its city and why it is in the pool",
            trigger: ".o_data_row:contains('杭州公海物流有限公司') td[name='pool_reason']:contains('从未有负责人')",
        },
        {
            content: "No private figure is a column of the pool",
            trigger: ".o_list_view:not(:has(th[data-name='tier_value'])):not(:has(th[data-name='health_score']))",
        },
        {
            content: "Select the customer",
            trigger: ".o_data_row:contains('杭州公海物流有限公司') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Claim it",
            trigger: ".o_list_buttons button[name='action_logistics_pool_claim'], .o_control_panel_actions button[name='action_logistics_pool_claim']",
            run: "click",
        },
        {
            content: "The claim is confirmed",
            trigger: ".o_notification:contains('已领取 1 个客户')",
        },
        {
            content: "The customer left the pool",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('杭州公海物流有限公司')))",
        },
    ],
});
