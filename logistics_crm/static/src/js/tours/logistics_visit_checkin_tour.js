import { registry } from "@web/core/registry";

// A rep's visit on a phone: My Visits opens as cards; the rep checks in (the
// browser's position stubbed near the customer's warehouse), checks out and marks
// the visit done, never scrolling sideways.
const CARD = ".o_kanban_view .o_kanban_record:contains('Phone Tour Customer')";

function assertNoSidewaysScroll(element) {
    const page = document.scrollingElement;
    if (page.scrollWidth > window.innerWidth) {
        throw new Error(
            `the page scrolls sideways: ${page.scrollWidth} px wide in ${window.innerWidth} px`
        );
    }
    if (element) {
        const box = element.getBoundingClientRect();
        if (box.left < 0 || box.right > window.innerWidth) {
            throw new Error(`${element.outerHTML} is off the screen (${box.left}-${box.right})`);
        }
    }
}

registry.category("web_tour.tours").add("logistics_crm_visit_checkin_phone_tour", {
    url: "/odoo/action-logistics_crm.logistics_visit_action_my",
    steps: () => [
        {
            content: "My Visits opens as cards on a phone; the position is near the customer",
            trigger: `${CARD} .o_logistics_visit_checkin`,
            run() {
                if (window.innerWidth > 500) {
                    throw new Error(`not a phone: ${window.innerWidth} px wide`);
                }
                Object.defineProperty(navigator, "geolocation", {
                    configurable: true,
                    value: {
                        getCurrentPosition(success) {
                            success({
                                coords: { latitude: 31.221, longitude: 121.54, accuracy: 15 },
                            });
                        },
                    },
                });
                assertNoSidewaysScroll(this.anchor);
            },
        },
        {
            content: "Check in",
            trigger: `${CARD} .o_logistics_visit_checkin`,
            run: "click",
        },
        {
            content: "The check-in time and the distance to the customer are shown",
            trigger: `${CARD} .o_logistics_visit_distance:contains('111')`,
        },
        {
            content: "Check out",
            trigger: `${CARD} button[name='action_check_out']`,
            run(helpers) {
                assertNoSidewaysScroll(this.anchor);
                return helpers.click();
            },
        },
        {
            content: "Checked out: the button is gone; mark the visit done",
            trigger: `${CARD}:not(:has(button[name='action_check_out'])) button[name='action_done']`,
            run(helpers) {
                assertNoSidewaysScroll(this.anchor);
                return helpers.click();
            },
        },
        {
            content: "Done: the visit leaves the to-do list",
            trigger: ".o_kanban_view .o_view_nocontent",
            run() {
                assertNoSidewaysScroll();
            },
        },
    ],
});
