/** @odoo-module **/

import { registry } from "@web/core/registry";

// A manager in Shanghai opens the morning screen: today's to-dos first, the
// figures of the period, "no data yet" where there is none, and a to-do card
// opens its records.
registry.category("web_tour.tours").add("logistics_crm_morning_tour", {
    url: "/odoo/action-logistics_crm.logistics_crm_morning_action",
    steps: () => [
        {
            content: "One key account at risk",
            trigger:
                ".o_logistics_crm_todo[data-todo='key_at_risk'] .o_logistics_crm_todo_count:contains(1)",
        },
        {
            content: "One open SLA breach",
            trigger:
                ".o_logistics_crm_todo[data-todo='breaches'] .o_logistics_crm_todo_count:contains(1)",
        },
        {
            content: "Two overdue visits, in Chinese",
            trigger:
                ".o_logistics_crm_todo[data-todo='overdue_visits']:contains('逾期未完成的拜访') .o_logistics_crm_todo_count:contains(2)",
        },
        {
            content: "Three graded customers",
            trigger: ".o_logistics_crm_kpi[data-kpi='customers'] .o_logistics_crm_kpi_value:contains(3)",
        },
        {
            content: "No survey answered yet: no NPS, not 0",
            trigger: ".o_logistics_crm_kpi[data-kpi='nps'] .o_logistics_crm_kpi_value:contains('暂无数据')",
        },
        {
            content: "The key grade in the course's words",
            trigger: ".o_logistics_crm_chart[data-chart='grades'] .o_logistics_crm_grade_row:contains('关键客户')",
        },
        {
            content: "Open the overdue visits",
            trigger: ".o_logistics_crm_todo[data-todo='overdue_visits']",
            run: "click",
        },
        {
            content: "The two overdue visits are listed",
            trigger: ".o_list_view:has(.o_data_row:nth-child(2)):not(:has(.o_data_row:nth-child(3)))",
        },
    ],
});

// On the demo database: the screen loads and every to-do card opens its list.
registry.category("web_tour.tours").add("logistics_crm_morning_demo_tour", {
    url: "/odoo/action-logistics_crm.logistics_crm_morning_action",
    steps: () => [
        {
            content: "The to-dos are shown first",
            trigger: ".o_logistics_crm_todo[data-todo='key_at_risk'] .o_logistics_crm_todo_count",
        },
        {
            content: "The period's figures are shown",
            trigger: ".o_logistics_crm_kpi[data-kpi='customers'] .o_logistics_crm_kpi_value",
        },
        {
            content: "Choose this year",
            trigger: ".o_logistics_crm_morning_filters select[name='period']",
            run: "select year",
        },
        {
            content: "Open the breaches",
            trigger: ".o_logistics_crm_todo[data-todo='breaches']",
            run: "click",
        },
        {
            content: "The tickets list opens",
            trigger: ".o_list_view",
        },
    ],
});
