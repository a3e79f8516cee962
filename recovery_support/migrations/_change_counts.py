"""The triggers that counted each person's changes for the fragment cache, as SQL for
the migrations that made them (recovery_support 0002, which creates the function they
call, plans 0008, push 0001 and 0002) and for 0009_no_change_counts, which drops them
all. History only: the leading underscore keeps Django from taking it for a migration.

`counted`: {table: (SQL giving the person a changed row `r` belongs to, [columns
whose changes do not count])}."""

EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_triggers(counted: dict[str, tuple[str, list[str]]]) -> str:
    statements = []
    for table, (person, not_counted) in counted.items():
        arguments = ", ".join(_literal(a) for a in [person, *not_counted])
        for event, referencing in EVENTS.items():
            statements.append(
                f"CREATE TRIGGER count_changes_{event.lower()} AFTER {event} ON {table} "
                f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION count_changes({arguments});"
            )
    return "\n".join(statements)


def drop_triggers(counted: dict[str, tuple[str, list[str]]]) -> str:
    return "\n".join(
        f"DROP TRIGGER IF EXISTS count_changes_{event.lower()} ON {table};"
        for table in counted
        for event in EVENTS
    )
