import {formatDate} from "@web/core/l10n/dates";
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("nikki_dunning_call_tour", {
    url: "/web#action=nikki_dunning.action_my_dunning_calls",
    steps: () => [
        {
            content: "The salesperson finds today's call with the customer's phone",
            trigger:
                ".o_data_row:contains('Tour Call Customer BV'):contains('+31 10 555 0404')",
        },
        {
            content: "makes the call and records what happened",
            trigger:
                ".o_data_row:contains('Tour Call Customer BV') button[name='action_record_outcome']",
            run: "click",
        },
        {
            content: "The customer promises to pay",
            trigger:
                ".modal .o_field_widget[name='outcome'] input[data-value='promise']",
            run: "click",
        },
        {
            content: "on a date",
            trigger: ".modal .o_field_widget[name='promise_date'] input",
            run: `edit ${formatDate(luxon.DateTime.now().plus({days: 5}))}`,
        },
        {
            content: "with a note",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Pays after the weekend",
        },
        {
            content: "Record the outcome",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The call is recorded",
            trigger: ".o_notification:contains('Call recorded')",
        },
        {
            content: "and leaves the list of calls to make",
            trigger: ".o_action:not(:has(.modal)) .o_view_nocontent",
        },
    ],
});
