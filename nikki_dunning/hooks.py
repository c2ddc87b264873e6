from odoo.tools.sql import column_exists, create_column


def pre_init_hook(env):
    """Create the dunning columns of account_move before the ORM does.

    The ORM would otherwise compute the stored computed dunning fields for
    every existing journal entry at install: on a large database that is
    millions of rows for values that are 'none' or empty for all of them.
    Adding a column with a constant default is instant in PostgreSQL.
    """
    cr = env.cr
    if not column_exists(cr, "account_move", "dunning_state"):
        cr.execute(
            "ALTER TABLE account_move ADD COLUMN dunning_state varchar DEFAULT 'none'"
        )
    for column, column_type in (
        ("dunning_end_reason", "varchar"),
        ("dunning_end_date", "date"),
        ("dunning_next_step_id", "int4"),
        ("dunning_next_date", "date"),
    ):
        if not column_exists(cr, "account_move", column):
            create_column(cr, "account_move", column, column_type)


def post_init_hook(env):
    """Every existing company starts on the NIKKI standard policy."""
    policy = env.ref("nikki_dunning.policy_nikki_standard")
    env["res.company"].search([("dunning_policy_id", "=", False)]).write(
        {"dunning_policy_id": policy.id}
    )
