import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// How long a check-in waits for the browser's position before it is recorded
// without one (no permission, no GPS fix indoors, no geolocation at all).
export const POSITION_TIMEOUT_MS = 10000;

/**
 * The browser's position as {latitude, longitude, accuracy}, or null: never
 * rejects, never waits longer than `timeout` (a permission prompt left open
 * does not block the check-in).
 */
export function getCurrentPosition(timeout = POSITION_TIMEOUT_MS) {
    return new Promise((resolve) => {
        const geolocation = navigator.geolocation;
        if (!geolocation) {
            resolve(null);
            return;
        }
        const timer = setTimeout(() => resolve(null), timeout + 1000);
        const done = (value) => {
            clearTimeout(timer);
            resolve(value);
        };
        try {
            geolocation.getCurrentPosition(
                ({ coords }) =>
                    done({
                        latitude: coords.latitude,
                        longitude: coords.longitude,
                        accuracy: coords.accuracy,
                    }),
                () => done(null),
                { enableHighAccuracy: true, timeout, maximumAge: 60000 }
            );
        } catch {
            done(null);
        }
    });
}

/**
 * Check In button of a visit (form header and sheet, kanban card): asks the
 * browser for the position, then records the check-in on the server.
 */
export class VisitCheckIn extends Component {
    static template = "logistics_crm.VisitCheckIn";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ busy: false });
    }

    get visible() {
        const { data } = this.props.record;
        return data.state === "planned" && !data.checkin_date;
    }

    async onClick() {
        const record = this.props.record;
        this.state.busy = true;
        try {
            if (record.isNew || (await record.isDirty())) {
                if (!(await record.save())) {
                    return;
                }
            }
            const position = await getCurrentPosition();
            await this.orm.call("logistics.visit", "action_check_in", [[record.resId]], {
                ...(position || {}),
            });
            if (!position) {
                this.notification.add(
                    _t("Checked in without a position: the browser did not give one."),
                    { type: "warning" }
                );
            }
            await record.load();
        } finally {
            this.state.busy = false;
        }
    }
}

registry.category("view_widgets").add("logistics_visit_checkin", {
    component: VisitCheckIn,
    fieldDependencies: [
        { name: "state", type: "selection" },
        { name: "checkin_date", type: "datetime" },
    ],
});
