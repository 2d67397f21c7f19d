"""A search by characters (姓名、工作单位 containing the text) reads the people who have each
two-character piece of the text — people_searchgram, every lower-cased pair of consecutive
characters of a person's name and work unit — before the LIKE that decides (bench/README.md,
"The top of the tree"). Names are two to four characters, so a trigram index (pg_trgm, SQLite
FTS5 trigram) would not serve the commonest search, a whole two-character name.

The table belongs to the database's triggers on people_person, so that no way of writing
(forms, imports, the admin, bulk and raw SQL) can leave it behind; it has no model, and the
figure store does not watch it. Lower-cased by the database's own lower() on both sides, so
that it finds at least what the LIKE finds: SQLite's LIKE folds ASCII case as its lower() does,
PostgreSQL's LIKE folds none."""

from django.db import migrations

# Character positions for SQLite (no generate_series there): a work unit has at most 200. A
# table rather than json_each, so that a text reads only the positions it has (a range of the
# integer key), not 199 of them each: the 1M bench tree's people are filled in seconds.
POSITIONS = 200

SQLITE_GRAMS = (
    "INSERT OR IGNORE INTO people_searchgram (gram, person_id) "
    "SELECT lower(substr(t.value, n.n, 2)), {row}.id "
    # CROSS JOIN: SQLite keeps this order (each text, then its positions by the key's range).
    "FROM {source}json_each(json_array({row}.name, {row}.work_unit)) t "
    "CROSS JOIN people_searchgram_position n WHERE n.n < length(t.value)"
)

SQLITE_FORWARD = [
    "CREATE TABLE people_searchgram (gram varchar(2) NOT NULL, person_id bigint NOT NULL, "
    "PRIMARY KEY (gram, person_id)) WITHOUT ROWID",
    "CREATE INDEX people_searchgram_person ON people_searchgram (person_id)",
    "CREATE TABLE people_searchgram_position (n integer PRIMARY KEY)",
    "INSERT INTO people_searchgram_position (n) VALUES "
    + ", ".join(f"({i})" for i in range(1, POSITIONS)),
    SQLITE_GRAMS.format(row="p", source="people_person p CROSS JOIN "),
    "CREATE TRIGGER people_person_grams_insert AFTER INSERT ON people_person BEGIN "
    + SQLITE_GRAMS.format(row="NEW", source="")
    + "; END",
    "CREATE TRIGGER people_person_grams_update AFTER UPDATE OF name, work_unit ON people_person "
    "BEGIN DELETE FROM people_searchgram WHERE person_id = OLD.id; "
    + SQLITE_GRAMS.format(row="NEW", source="")
    + "; END",
    "CREATE TRIGGER people_person_grams_delete AFTER DELETE ON people_person BEGIN "
    "DELETE FROM people_searchgram WHERE person_id = OLD.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_person_grams_insert",
    "DROP TRIGGER IF EXISTS people_person_grams_update",
    "DROP TRIGGER IF EXISTS people_person_grams_delete",
    "DROP TABLE IF EXISTS people_searchgram",
    "DROP TABLE IF EXISTS people_searchgram_position",
]

POSTGRES_GRAMS = (
    "INSERT INTO people_searchgram (gram, person_id) "
    "SELECT DISTINCT lower(substr(t, n, 2)), {row}.id "
    "FROM {source}unnest(ARRAY[{row}.name, {row}.work_unit]) t, "
    "generate_series(1, length(t) - 1) n ON CONFLICT DO NOTHING"
)

POSTGRES_FORWARD = [
    # Filled before its indexes are made, rather than keeping them up pair by pair.
    "CREATE TABLE people_searchgram (gram varchar(2) NOT NULL, person_id bigint NOT NULL)",
    POSTGRES_GRAMS.format(row="p", source="people_person p, ").replace(
        " ON CONFLICT DO NOTHING", ""
    ),
    "ALTER TABLE people_searchgram ADD PRIMARY KEY (gram, person_id)",
    "CREATE INDEX people_searchgram_person ON people_searchgram (person_id)",
    "CREATE FUNCTION people_person_grams() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'TRUNCATE' THEN TRUNCATE people_searchgram; RETURN NULL; END IF; "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    "DELETE FROM people_searchgram WHERE person_id = OLD.id; END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    + POSTGRES_GRAMS.format(row="NEW", source="")
    + "; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER people_person_grams AFTER INSERT OR DELETE OR UPDATE OF name, work_unit "
    "ON people_person FOR EACH ROW EXECUTE FUNCTION people_person_grams()",
    "CREATE TRIGGER people_person_grams_truncate AFTER TRUNCATE ON people_person "
    "FOR EACH STATEMENT EXECUTE FUNCTION people_person_grams()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_person_grams ON people_person",
    "DROP TRIGGER IF EXISTS people_person_grams_truncate ON people_person",
    "DROP FUNCTION IF EXISTS people_person_grams()",
    "DROP TABLE IF EXISTS people_searchgram",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        chosen = statements.get(vendor)
        if chosen is None:
            raise NotImplementedError(f"people_searchgram: no SQL for {vendor}")
        for sql in chosen:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0013_imported_members_take_their_partys_status")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
