import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("nikki_dunning_submit_tour", {
    url: "/web#action=account.action_move_out_invoice_type",
    steps: () => [
        {
            content: "The accountant finds the overdue invoice in the list",
            trigger: ".o_data_row:contains('Tour Customer BV')",
        },
        {
            content: "and selects it",
            trigger:
                ".o_data_row:contains('Tour Customer BV') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Submit it to dunning",
            trigger: ".o_control_panel button:contains('Submit to Dunning')",
            run: "click",
        },
        {
            content: "The Day 0 notice is queued at once",
            trigger: ".o_notification:contains('entered the dunning workflow')",
        },
        {
            content: "The list shows the invoice in dunning",
            trigger: ".o_data_row:contains('Tour Customer BV'):contains('In Dunning')",
        },
    ],
});
