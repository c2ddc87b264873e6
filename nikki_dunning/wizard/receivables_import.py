import base64

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}


class NikkiReceivablesImport(models.TransientModel):
    """Submit a receivables list: upload, check the preview, import.

    ``action_import()`` called without the preview step imports the file
    with the recognised columns and returns the list's form.
    """

    _name = "nikki.receivables.import"
    _description = "Submit Receivables List"

    file = fields.Binary(string="List", attachment=False)
    filename = fields.Char()
    decimal_separator = fields.Selection(
        [
            ("auto", "Automatic"),
            (",", "Comma (1.234,56)"),
            (".", "Point (1,234.56)"),
        ],
        default="auto",
        required=True,
        help="How amounts written as text separate decimals. Automatic: a "
        "comma in semicolon-separated CSV files, a point otherwise; "
        "unambiguous amounts such as 1.234,56 are read right either way.",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview")], default="upload"
    )
    batch_id = fields.Many2one("nikki.receivables.batch", readonly=True)
    column_ids = fields.One2many(
        "nikki.receivables.import.column", "wizard_id", string="Columns"
    )
    mapping_problem = fields.Text(readonly=True)
    file_summary = fields.Char(compute="_compute_file_summary")
    row_count = fields.Integer(related="batch_id.row_count")
    pending_count = fields.Integer(related="batch_id.pending_count")
    to_link_count = fields.Integer(related="batch_id.to_link_count")
    new_customer_count = fields.Integer(related="batch_id.new_customer_count")
    duplicate_count = fields.Integer(related="batch_id.duplicate_count")
    rejected_count = fields.Integer(related="batch_id.rejected_count")
    to_create_count = fields.Integer(compute="_compute_to_create_count")
    rejected_line_ids = fields.Many2many(
        "nikki.receivables.batch.line", compute="_compute_rejected_line_ids"
    )

    @api.depends("batch_id")
    def _compute_file_summary(self):
        for wizard in self:
            batch = wizard.batch_id
            if not batch:
                wizard.file_summary = False
                continue
            formats = dict(
                batch._fields["file_format"]._description_selection(self.env)
            )
            parts = [f"{batch.filename}: {formats[batch.file_format]}"]
            if batch.file_format == "csv":
                parts.append(ENCODINGS.get(batch.csv_encoding, batch.csv_encoding))
                parts.append(
                    _("separated by '%s'", batch.csv_delimiter.replace("\t", "tab"))
                )
            parts.append(
                _("decimal comma")
                if batch.decimal_separator == ","
                else _("decimal point")
            )
            parts.append(_("header in row %s", batch.header_row))
            wizard.file_summary = ", ".join(parts)

    @api.depends("batch_id")
    def _compute_to_create_count(self):
        for wizard in self:
            wizard.to_create_count = wizard.pending_count - wizard.to_link_count

    @api.depends("batch_id")
    def _compute_rejected_line_ids(self):
        for wizard in self:
            wizard.rejected_line_ids = self.env["nikki.receivables.batch.line"].search(
                [("batch_id", "=", wizard.batch_id.id), ("state", "=", "rejected")],
                limit=200,
            )

    # ------------------------------------------------------------------

    def _data(self):
        self.ensure_one()
        if not self.file:
            if self.filename:
                raise UserError(_("The file is empty."))
            raise UserError(_("Choose the receivables list to upload."))
        return base64.b64decode(self.file)

    def _column_mapping(self):
        """Field -> column position as chosen in the column list."""
        mapping, headers = {}, {}
        labels = dict(self.column_ids._fields["field"]._description_selection(self.env))
        for column in self.column_ids.sorted("position"):
            if not column.field:
                continue
            if column.field in mapping:
                raise UserError(
                    _(
                        "'%(field)s' is chosen for two columns: '%(first)s' and "
                        "'%(second)s'. Choose it for one column only.",
                        field=labels[column.field],
                        first=headers[column.field],
                        second=column.header,
                    )
                )
            mapping[column.field] = column.position
            headers[column.field] = column.header
        return mapping

    def _discard_batch(self):
        # a checked list never confirmed is not kept (the user cannot delete
        # confirmed lists, hence sudo for their own draft)
        if self.batch_id and self.batch_id.state == "draft":
            self.batch_id.sudo().unlink()

    def _check(self):
        """Read and check the file; keep the result as a draft list."""
        self.ensure_one()
        data = self._data()
        Batch = self.env["nikki.receivables.batch"]
        mapping = self._column_mapping() if self.column_ids else None
        self._discard_batch()
        layout = Batch._inspect(data, self.filename, mapping)
        sample = layout["sample"]
        fields_by_position = {pos: field for field, pos in layout["mapping"].items()}
        self.column_ids = [Command.clear()] + [
            Command.create(
                {
                    "position": position,
                    "header": header,
                    "field": fields_by_position.get(position),
                    "sample": sample[position] if position < len(sample) else "",
                }
            )
            for position, header in enumerate(layout["headers"])
        ]
        values = {"state": "preview", "batch_id": False, "mapping_problem": False}
        if layout["missing"]:
            values["mapping_problem"] = Batch._missing_columns_message(
                layout["missing"]
            )
        else:
            separator = self.decimal_separator
            values["batch_id"] = Batch._create_from_file(
                data,
                self.filename,
                layout["mapping"],
                separator if separator != "auto" else None,
                layout=layout,
            ).id
        self.write(values)

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": _("Submit Receivables List"),
        }

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------

    def action_check(self):
        self._check()
        return self._reopen()

    def action_import(self):
        """Import the checked list (checking it first when called directly)
        and return the list's form."""
        self.ensure_one()
        batch = self.batch_id
        if (
            batch
            and self.column_ids
            and self._column_mapping()
            != {
                field: int(position)
                for field, position in (batch.mapping or {}).items()
            }
        ):
            # the columns were changed after the check: show the new counts
            self._check()
            return self._reopen()
        if not batch:
            self._check()
            if self.mapping_problem:
                raise UserError(self.mapping_problem)
            batch = self.batch_id
        batch._start()
        return batch._form_action()

    def action_back(self):
        self._discard_batch()
        self.write(
            {
                "state": "upload",
                "batch_id": False,
                "column_ids": [Command.clear()],
                "mapping_problem": False,
            }
        )
        return self._reopen()

    def action_discard(self):
        self._discard_batch()
        return {"type": "ir.actions.act_window_close"}

    def action_download_rejected(self):
        self.ensure_one()
        return self.batch_id.action_download_rejected()
