"""18.0.1.1.0: the agency exchange (nikki_dunning/migrations/18.0.1.1.0)."""

# invoices paid or cancelled after their hand-over leave their case
CONVERTED = {
    "nikki_collection_case": {"state"},
    "nikki_collection_case_line": {"state"},
}


def check(env, snapshot):
    """Every case line handed over before is recorded as sent (nothing goes
    to the agency twice); lines of invoices paid or cancelled since are
    closed with a stop notice; open ones keep their state."""
    old_lines = snapshot["nikki_collection_case_line"]["rows"]
    lines = env["nikki.collection.case.line"].browse(int(i) for i in old_lines)
    assert all(line.export_exchange_id for line in lines), "a line would go twice"
    for line in lines:
        old_state = old_lines[str(line.id)]["state"]
        end_reason = line.move_id.dunning_end_reason
        if line.move_id.dunning_state == "done" and end_reason in ("paid", "cancelled"):
            expected = "paid_directly" if end_reason == "paid" else "recalled"
            assert line.state == expected, f"line {line.id}: {line.state}"
            assert (
                line.notice_required and not line.notice_exchange_id
            ), f"line {line.id}: the agency is not told to stop"
        else:
            assert (
                line.state == old_state
            ), f"line {line.id}: {old_state} -> {line.state}"
    for case in lines.case_id:
        old = snapshot["nikki_collection_case"]["rows"][str(case.id)]["state"]
        if case.line_ids.filtered(lambda line: line.state == "in_collection"):
            assert case.state == old, f"case {case.id}: {old} -> {case.state}"
    assert not env.ref(
        "nikki_dunning.mail_template_collection_handover", raise_if_not_found=False
    ), "the old template is still there"
