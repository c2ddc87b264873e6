import {inputFiles} from "@web/../tests/utils";
import {registry} from "@web/core/registry";

function ddmmyyyy(daysAgo) {
    const day = new Date();
    day.setDate(day.getDate() - daysAgo);
    const pad = (number) => String(number).padStart(2, "0");
    return `${pad(day.getDate())}-${pad(day.getMonth() + 1)}-${day.getFullYear()}`;
}

// a club's membership-fee list as a treasurer exports it: Dutch headers,
// semicolons, decimal commas; the third row has no open amount
function clubList() {
    const rows = [
        "Factuurnummer;Debiteur;Debiteurnummer;E-mail;Factuurdatum;Vervaldatum;Openstaand",
        `TOUR-001;Tour Lid Jansen;TL1;jansen@tourclub.example.com;${ddmmyyyy(60)};${ddmmyyyy(30)};45,50`,
        `TOUR-002;Tour Lid Bakker;TL2;bakker@tourclub.example.com;${ddmmyyyy(60)};${ddmmyyyy(30)};45,50`,
        `TOUR-003;Tour Lid Smit;TL3;smit@tourclub.example.com;${ddmmyyyy(60)};${ddmmyyyy(30)};`,
    ];
    return new File([rows.join("\r\n")], "leden.csv", {type: "text/csv"});
}

registry.category("web_tour.tours").add("nikki_dunning_import_tour", {
    url: "/web#action=nikki_dunning.action_receivables_batch",
    steps: () => [
        {
            content: "The accountant opens the Customers menu",
            trigger: ".o_menu_sections button:contains('Customers')",
            run: "click",
        },
        {
            content: "and chooses Submit Receivables List",
            trigger: ".dropdown-item:contains('Submit Receivables List')",
            run: "click",
        },
        {
            content: "uploads the club's list",
            trigger: ".modal .o_field_widget[name=file] .o_select_file_button",
            async run() {
                await inputFiles(
                    ".modal .o_field_widget[name=file] input.o_input_file",
                    [clubList()]
                );
            },
        },
        {
            content: "the file is loaded",
            trigger: ".modal .o_field_widget[name=file] .o_clear_file_button",
        },
        {
            content: "and checks it",
            trigger: ".modal footer button[name=action_check]",
            run: "click",
        },
        {
            content: "The preview counts two invoices to create",
            trigger: ".modal .o_field_widget[name=to_create_count]:contains('2')",
        },
        {
            content: "and names the rejected row, its column and why",
            trigger:
                ".modal .o_field_widget[name=rejected_line_ids] .o_data_row:contains('TOUR-003'):contains('Openstaand')",
        },
        {
            content: "The accountant imports the list",
            trigger: ".modal footer button[name=action_import]",
            run: "click",
        },
        {
            content: "The list is done",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "with its two invoices in dunning",
            trigger:
                ".o_form_view .o-form-buttonbox button[name=action_view_invoices]:contains('2'):contains('In Dunning')",
        },
        {
            content: "and the rejected row ready to download",
            trigger: ".o_form_view button[name=action_download_rejected]",
        },
    ],
});
