/** @odoo-module **/

// The manager's morning screen: an Owl client action fed by one read-only
// call (logistics.tier.policy.get_manager_dashboard). Not a spreadsheet
// dashboard: its figures follow the addon's per-company rules and are tested
// against the models; each figure opens its records in Odoo's own views.

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

export class ManagerDashboard extends Component {
    static template = "logistics_crm.ManagerDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, loading: false });
        this.filters = { companyIds: [], period: "last_12_months", managerId: false };
        this.periods = [
            ["month", _t("This Month")],
            ["quarter", _t("This Quarter")],
            ["year", _t("This Year")],
            ["last_12_months", _t("Last 12 Months")],
        ];
        this.todoLabels = {
            key_at_risk: _t("Key accounts at risk"),
            breaches: _t("Open SLA breaches"),
            overdue_visits: _t("Overdue visits"),
        };
        this.todoIcons = {
            key_at_risk: "fa-star",
            breaches: "fa-clock-o",
            overdue_visits: "fa-calendar-times-o",
        };
        this.slaLabels = {
            on_track: _t("On Track"),
            at_risk: _t("SLA at Risk"),
            breached: _t("Breached"),
            no_sla: _t("No SLA"),
        };
        this.noData = _t("No data yet");
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call(
                "logistics.tier.policy",
                "get_manager_dashboard",
                [this.filters.companyIds, this.filters.period, this.filters.managerId]
            );
        } finally {
            this.state.loading = false;
        }
    }

    onCompanyChange(ev) {
        const value = parseInt(ev.target.value);
        this.filters.companyIds = value ? [value] : [];
        this.filters.managerId = false;
        this.load();
    }

    onPeriodChange(ev) {
        this.filters.period = ev.target.value;
        this.load();
    }

    onManagerChange(ev) {
        this.filters.managerId = parseInt(ev.target.value) || false;
        this.load();
    }

    open(action) {
        if (action) {
            this.actionService.doAction(action);
        }
    }

    /** A figure, or "no data yet" when the model has none (never 0). */
    fmt(value, digits = 0) {
        if (value === null || value === undefined || value === false) {
            return this.noData;
        }
        return formatFloat(value, { digits: [false, digits] });
    }

    fmtMoney(value) {
        if (value === null || value === undefined || value === false) {
            return this.noData;
        }
        const currency = this.state.data.currency;
        return `${currency} ${formatFloat(value, { digits: [false, 0] })}`;
    }

    /** Width (%) of a bar against the largest of a series. */
    barWidth(value, values) {
        const max = Math.max(0, ...values.map((v) => Math.abs(v || 0)));
        return max ? Math.round((Math.abs(value || 0) * 100) / max) : 0;
    }

    healthTotal(row) {
        return row.healthy + row.watch + row.at_risk + row.no_data;
    }

    share(part, total) {
        return total ? (part * 100) / total : 0;
    }

    get movesMax() {
        return Math.max(0, ...this.state.data.moves.rows.map((r) => Math.max(r.up, r.down)));
    }

    get gradeValues() {
        return this.state.data.grades.rows.map((r) => r.value);
    }

    get gradeCounts() {
        return this.state.data.grades.rows.map((r) => r.customers);
    }

    get overdueCounts() {
        return this.state.data.overdue_visits.rows.map((r) => r.count);
    }

    get latestChurn() {
        const rows = this.state.data.churn.rows;
        return rows.length ? rows[rows.length - 1].rate : null;
    }
}

registry.category("actions").add("logistics_crm.manager_dashboard", ManagerDashboard);
