import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("nikki_dunning_letter_tour", {
    url: "/web#action=nikki_dunning.action_dunning_policy",
    steps: () => [
        {
            content: "The manager opens the standard policy",
            trigger: ".o_data_row:contains('NIKKI Standard') td[name='name']",
            run: "click",
        },
        {
            content: "and the letter of its first step",
            trigger:
                ".o_field_one2many .o_data_row:first button[name='action_edit_letter']",
            run: "click",
        },
        {
            content: "The step has no text of its own: the standard text is shown",
            trigger:
                ".modal .o_field_widget[name='letter_body_default']:contains('{total_due}')",
        },
        {
            content: "Start from the standard text",
            trigger: ".modal button[name='action_letter_customize']",
            run: "click",
        },
        {
            content: "The step now has the text, ready to edit",
            trigger:
                ".modal .o_field_widget[name='letter_body']:contains('Dear {contact},')",
        },
        {
            content: "Save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
