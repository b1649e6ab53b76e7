import { registry } from "@web/core/registry";

// A manager working in Chinese, on a company set up from scratch: before the
// first nightly run the overview says that nothing is computed yet, not "0".
registry.category("web_tour.tours").add("logistics_crm_health_not_computed_tour", {
    url: "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
    steps: () => [
        {
            content: "Health per tier: not computed yet",
            trigger: ".o_logistics_crm_dashboard_health_not_computed:contains('尚未计算健康度')",
        },
        {
            content: "No health counts of 0 before the first run",
            trigger:
                ".o_kanban_record:not(:has(button:contains('个账户健康度有风险'))):not(:has(.o_logistics_crm_dashboard_health_grade))",
        },
        {
            content: "No NPS of 0 without answers",
            trigger: ".o_logistics_crm_dashboard_nps:contains('本季度尚无调查答卷')",
        },
        {
            content: "No churn rate of 0% without customers",
            trigger: ".o_logistics_crm_dashboard_churn_previous:contains('上季度初没有客户')",
        },
        {
            content: "Open the customers per tier",
            trigger: ".o_kanban_record button:contains('各等级客户')",
            run: "click",
        },
        {
            content: "Open the key customers (the list is grouped by grade)",
            trigger: ".o_group_header:contains('关键客户')",
            run: "click",
        },
        {
            content: "Open the key customer",
            trigger: ".o_data_row .o_data_cell:contains('Paying Freight Buyer')",
            run: "click",
        },
        {
            content: "Its health is not computed yet, and no score of 0.0 is shown",
            trigger:
                ".o_form_view:contains('尚未计算健康度：每晚自动计算。'):not(:has(.o_field_widget[name='health_score'])):not(:has(.o_field_widget[name='health_payment_score']))",
        },
    ],
});

// After the nightly run: a customer nothing is known of is "no data yet".
registry.category("web_tour.tours").add("logistics_crm_health_no_data_tour", {
    url: "/odoo/action-logistics_crm.logistics_crm_dashboard_action",
    steps: () => [
        {
            content: "The overview counts it apart, neither healthy nor at risk",
            trigger: ".o_logistics_crm_dashboard_health_grade:contains('1 位暂无数据')",
        },
        {
            content: "Open the accounts without health data",
            trigger: ".o_logistics_crm_dashboard_health_no_data:contains('1 个账户暂无健康数据')",
            run: "click",
        },
        {
            content: "Open the silent customer",
            trigger: ".o_data_row .o_data_cell:contains('Silent Freight Buyer')",
            run: "click",
        },
        {
            content: "Its health: no data yet",
            trigger: ".o_field_widget[name='health_status']:contains('暂无数据')",
        },
        {
            content: "No score, and its payment signal says no data instead of 0.0",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='health_score'])):not(:has(.o_field_widget[name='health_payment_score'])):has(.o_field_widget[name='health_visits_score'])",
        },
    ],
});
