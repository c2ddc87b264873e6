import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("nikki_dunning_dashboard_tour", {
    url: "/web#action=nikki_dunning.action_dunning_dashboard",
    steps: () => [
        {
            content: "The headline figures show what is with the agency",
            trigger:
                ".o_dashboard .o_kanban_record:contains('With the agency'):contains('400.00')",
        },
        {
            content: "The funnel is drawn",
            trigger: ".o_dashboard .o_graph_renderer canvas",
        },
        {
            content: "The funnel figures list Day 15 (the hand-over)",
            trigger: ".o_dashboard .o_pivot .o_pivot_header_cell_closed:contains('15')",
        },
        {
            content: "The policy comparison names the policy",
            trigger: ".o_dashboard .o_pivot:contains('NIKKI Standard')",
        },
        {
            content: "Open the invoices with the agency",
            trigger: ".o_dashboard .o_kanban_record a[name='action_open_handed_over']",
            run: "click",
        },
        {
            content: "The list shows the customer's invoice",
            trigger: ".o_list_view .o_data_row:contains('Customer D')",
        },
    ],
});
