#!/usr/bin/env python3
"""The Python clients users reach for, against Eddy or PostgreSQL.

    python3 clients.py PORT DATABASE ENGINE

Drives Debian's python3-psycopg2, python3-psycopg (psycopg 3) and
python3-sqlalchemy (1.4) and prints one "case: value" line per
observation; tests/clients/python_test.go compares the lines with
testdata/python.out, written from PostgreSQL 15. A failing step prints
"case.error: ErrorClass SQLSTATE" and the run goes on, so one gap does not
hide the rest.

Cases that fail on Eddy only because another part of the work has not
landed yet are listed in EXPECTED_FAILURES_ON_EDDY; on Eddy the script
prints each as "expected-failure: case why" first, and the test accepts a
difference in those cases (and reports the ones that pass again).
"""

import datetime
import decimal
import io
import sys

import psycopg
import psycopg2
import psycopg2.extras
import sqlalchemy

# Case name prefix -> why it fails on Eddy today; remove an entry when its
# case passes (the test reports a listed case that passes).
EXPECTED_FAILURES_ON_EDDY = {}

PORT, DATABASE, ENGINE = sys.argv[1], sys.argv[2], sys.argv[3]
DSN = f"host=127.0.0.1 port={PORT} dbname={DATABASE} user=eddy sslmode=disable connect_timeout=10"
URL = f"postgresql+psycopg2://eddy@127.0.0.1:{PORT}/{DATABASE}"

UTC = datetime.timezone.utc
TYPED_COLUMNS = ["i", "n", "t", "b", "d", "ts", "j", "ia", "ta", "by"]

SCHEMA = [
    """CREATE TABLE py_types (id int PRIMARY KEY, i int, n numeric(10,2), t text, b bool,
        d date, ts timestamptz, j jsonb, ia int[], ta text[], by bytea)""",
    "CREATE TABLE py_copy (id int PRIMARY KEY, name text, amount numeric(10,2), note text)",
    "CREATE TABLE py_series (k int PRIMARY KEY, v text)",
    "INSERT INTO py_series SELECT k, 'row ' || k FROM generate_series(1, 100) AS k",
    """CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text UNIQUE, signup date,
        score double precision DEFAULT 0)""",
    """CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL,
        amount numeric(10,2) NOT NULL, placed_at timestamptz, tags text[])""",
    "CREATE VIEW large_orders AS SELECT id, customer_id, amount FROM orders WHERE amount > 100",
    """CREATE MATERIALIZED VIEW revenue AS
        SELECT customer_id, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY customer_id""",
    "CREATE SCHEMA analytics",
    "CREATE TABLE analytics.events (id bigint PRIMARY KEY, kind text NOT NULL, at timestamptz)",
]


def out(key, value):
    print(f"{key}: {value}", flush=True)


def shown(v):
    """A value as the type Python got and its repr, stable across runs."""
    if isinstance(v, memoryview):
        v = bytes(v)
    if isinstance(v, list):
        return "list [" + ", ".join(shown(x) for x in v) + "]"
    return f"{type(v).__name__} {v!r}"


def sqlstate(e):
    for err in (e, getattr(e, "orig", None), e.__cause__):
        if err is None:
            continue
        code = getattr(err, "pgcode", None) or getattr(err, "sqlstate", None)
        if code:
            return code
    return "-"


def step(key, fn):
    """Runs one observation; an exception becomes the case's error line
    (the class and SQLSTATE; the message, which differs between servers,
    goes to stderr)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - every failure is an observation
        print(f"{key}: {type(e).__name__}: {e}".splitlines()[0], file=sys.stderr)
        out(key + ".error", f"{type(e).__name__} {sqlstate(e)}")


def setup():
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    with conn.cursor() as cur:
        for i, sql in enumerate(SCHEMA):
            step(f"setup.{i}", lambda sql=sql: cur.execute(sql))
    conn.close()


TYPED_PARAMS = (
    42,
    decimal.Decimal("12.50"),
    "it's \"quoted\" \\ and ünïcode",
    True,
    datetime.date(2024, 1, 2),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
    {"a": [1, 2.5, None], "b": {"c": "d"}},
    [1, 2, None],
    ["x", "y z", None, ""],
    b"\x00\xff\x01ab",
)


def psycopg2_params():
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    cur = conn.cursor()
    params = list(TYPED_PARAMS)
    params[6] = psycopg2.extras.Json(params[6])

    def select():
        cur.execute(
            """SELECT %s::int AS i, %s::numeric AS n, %s::text AS t, %s::bool AS b, %s::date AS d,
                      %s::timestamptz AS ts, %s::jsonb AS j, %s::int[] AS ia, %s::text[] AS ta,
                      %s::bytea AS by, %s::text AS null_text, %s AS untyped_null""",
            params + [None, None])
        out("psycopg2.params.description", [(d.name, d.type_code) for d in cur.description])
        for d, v in zip(cur.description, cur.fetchone()):
            out(f"psycopg2.params.select.{d.name}", shown(v))
    step("psycopg2.params.select", select)

    def insert():
        cur.execute("INSERT INTO py_types VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", [1] + params)
        out("psycopg2.params.insert.rowcount", cur.rowcount)
        cur.executemany("INSERT INTO py_types (id, i, t) VALUES (%s, %s, %s)", [(2, None, None), (3, -7, "three")])
        cur.execute("SELECT * FROM py_types ORDER BY id")
        for row in cur.fetchall():
            for d, v in zip(cur.description, row):
                out(f"psycopg2.params.readback.{row[0]}.{d.name}", shown(v))
    step("psycopg2.params.insert", insert)

    def where():
        cur.execute("SELECT id FROM py_types WHERE t = %s OR i = %s ORDER BY id", ("three", 42))
        out("psycopg2.params.where", cur.fetchall())
        cur.execute("SELECT count(*) FROM py_types WHERE i IN %s", ((42, -7),))
        out("psycopg2.params.in_tuple", cur.fetchone())
        cur.execute("SELECT %(a)s::int + %(b)s::int AS sum, %(a)s::int AS again", {"a": 2, "b": 3})
        out("psycopg2.params.named", cur.fetchone())
    step("psycopg2.params.where", where)
    conn.close()


def psycopg2_copy():
    conn = psycopg2.connect(DSN)
    conn.autocommit = True
    cur = conn.cursor()

    def copy_in_csv():
        data = '1,ann,20.00,\n2,"bob, jr",15.50,"said ""hi"""\n3,cy,,\n'
        cur.copy_expert("COPY py_copy FROM STDIN WITH (FORMAT csv)", io.StringIO(data))
        out("psycopg2.copy.from_csv.rowcount", cur.rowcount)
    step("psycopg2.copy.from_csv", copy_in_csv)

    def copy_in_text():
        data = "4\tdee\t7.25\t\\N\n5\tt\\tab\t0.01\tline\\nbreak\n"
        cur.copy_expert("COPY py_copy (id, name, amount, note) FROM STDIN", io.StringIO(data))
        out("psycopg2.copy.from_text.rowcount", cur.rowcount)
    step("psycopg2.copy.from_text", copy_in_text)

    def copy_out(key, sql):
        buf = io.StringIO()
        cur.copy_expert(sql, buf)
        for i, line in enumerate(buf.getvalue().splitlines()):
            out(f"{key}.{i}", repr(line))
    step("psycopg2.copy.to_csv", lambda: copy_out(
        "psycopg2.copy.to_csv", "COPY (SELECT * FROM py_copy ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)"))
    step("psycopg2.copy.to_text", lambda: copy_out("psycopg2.copy.to_text", "COPY py_copy TO STDOUT"))

    def copy_bad():
        cur.copy_expert("COPY py_copy FROM STDIN WITH (FORMAT csv)", io.StringIO("6,eve,not-a-number,\n"))
    step("psycopg2.copy.bad_row", copy_bad)

    def after_bad():
        cur.execute("SELECT count(*) FROM py_copy")
        out("psycopg2.copy.count_after_bad_row", cur.fetchone())
    step("psycopg2.copy.count_after_bad_row", after_bad)
    conn.close()


def psycopg2_named_cursor():
    conn = psycopg2.connect(DSN)  # not autocommit: a named cursor lives in a transaction

    def plain():
        with conn.cursor(name="py_series_cursor") as cur:
            cur.itersize = 7
            cur.execute("SELECT k, v FROM py_series ORDER BY k")
            out("psycopg2.named_cursor.fetchmany", cur.fetchmany(5))
            out("psycopg2.named_cursor.fetchone", cur.fetchone())
            n, total = 0, 0
            for k, _ in cur:
                n, total = n + 1, total + k
            out("psycopg2.named_cursor.iterated", (n, total))
            out("psycopg2.named_cursor.rownumber", cur.rownumber)
        conn.commit()
    step("psycopg2.named_cursor.plain", plain)
    conn.rollback()

    def with_hold():
        cur = conn.cursor(name="py_held_cursor", withhold=True)
        cur.itersize = 30
        cur.execute("SELECT k FROM py_series WHERE k % 10 = 0 ORDER BY k")
        conn.commit()  # WITH HOLD: the cursor outlives its transaction
        out("psycopg2.named_cursor.with_hold", [k for (k,) in cur])
        cur.close()
    step("psycopg2.named_cursor.with_hold", with_hold)
    conn.rollback()

    def dict_rows():
        with conn.cursor(name="py_dict_cursor", cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute("SELECT k, v FROM py_series WHERE k <= %s ORDER BY k", (3,))
            out("psycopg2.named_cursor.dict_rows", [dict(r) for r in cur.fetchall()])
        conn.commit()
    step("psycopg2.named_cursor.dict_rows", dict_rows)
    conn.close()


def psycopg3_prepared():
    with psycopg.connect(DSN, autocommit=True) as conn:
        def repeated():
            for i in range(3):
                cur = conn.execute("SELECT %s::int + 1 AS x, %s::text AS t", (40 + i, f"n{i}"), prepare=True)
                out(f"psycopg3.prepared.repeated.{i}", cur.fetchone())
        step("psycopg3.prepared.repeated", repeated)

        def typed_params():
            cur = conn.execute("INSERT INTO py_types VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                               [10] + list(TYPED_PARAMS[:6]) + [psycopg.types.json.Jsonb(TYPED_PARAMS[6])]
                               + list(TYPED_PARAMS[7:]), prepare=True)
            out("psycopg3.prepared.insert.rowcount", cur.rowcount)
            for id in (10, 2):
                cur = conn.execute("SELECT * FROM py_types WHERE id = %s", (id,), prepare=True)
                row = cur.fetchone()
                for d, v in zip(cur.description, row):
                    out(f"psycopg3.prepared.readback.{id}.{d.name}", shown(v))
        step("psycopg3.prepared.typed_params", typed_params)

        def untyped_compare():
            cur = conn.execute("SELECT count(*) FROM py_series WHERE k > %s AND v LIKE %s", (90, "row 9%"), prepare=True)
            out("psycopg3.prepared.where", cur.fetchone())
        step("psycopg3.prepared.where", untyped_compare)


def psycopg3_binary():
    with psycopg.connect(DSN, autocommit=True) as conn:
        def results():
            with conn.cursor(binary=True) as cur:
                cur.execute("SELECT * FROM py_types WHERE id IN (1, 2, 10) ORDER BY id")
                out("psycopg3.binary.formats", [cur.pgresult.fformat(i) for i in range(cur.pgresult.nfields)])
                for row in cur.fetchall():
                    for d, v in zip(cur.description, row):
                        out(f"psycopg3.binary.select.{row[0]}.{d.name}", shown(v))
        step("psycopg3.binary.select", results)

        def binary_params():
            with conn.cursor(binary=True) as cur:
                cur.execute("""SELECT %b::int + 1 AS i, %b::numeric * 2 AS n, %b::text AS t, %b::bool AS b,
                                      %b::date + 1 AS d, %b::timestamptz AS ts, %b::int[] AS ia, %b::bytea AS by""",
                            (41, decimal.Decimal("-1.25"), "bin", False, datetime.date(2023, 12, 31),
                             datetime.datetime(2000, 2, 29, 23, 59, 59, tzinfo=UTC), [3, None, 4], b"\x01\x02"))
                for d, v in zip(cur.description, cur.fetchone()):
                    out(f"psycopg3.binary.params.{d.name}", shown(v))
        step("psycopg3.binary.params", binary_params)

        def copy_binary():
            with conn.cursor() as cur:
                with cur.copy("COPY py_copy (id, name, amount, note) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["int4", "text", "numeric", "text"])
                    copy.write_row((20, "bin", decimal.Decimal("3.50"), None))
                    copy.write_row((21, "ary", decimal.Decimal("0"), "n"))
                out("psycopg3.binary.copy.rowcount", cur.rowcount)
                cur.execute("SELECT id, name, amount, note FROM py_copy WHERE id >= 20 ORDER BY id")
                out("psycopg3.binary.copy.readback", cur.fetchall())
        step("psycopg3.binary.copy", copy_binary)


def sqlalchemy_inspector():
    engine = sqlalchemy.create_engine(URL)
    insp = sqlalchemy.inspect(engine)

    step("sqlalchemy.schemas", lambda: out("sqlalchemy.schemas", sorted(insp.get_schema_names())))
    for schema in ("public", "analytics"):
        step(f"sqlalchemy.tables.{schema}",
             lambda schema=schema: out(f"sqlalchemy.tables.{schema}", sorted(insp.get_table_names(schema=schema))))
    step("sqlalchemy.views", lambda: out("sqlalchemy.views", sorted(insp.get_view_names(include=("plain",)))))
    # SQLAlchemy 1.4 has no get_materialized_view_names (2.0 does); its
    # PostgreSQL dialect lists materialized views with get_view_names, by
    # default among the plain ones, which is what Superset shows.
    step("sqlalchemy.materialized_views",
         lambda: out("sqlalchemy.materialized_views", sorted(insp.get_view_names(include=("materialized",)))))
    step("sqlalchemy.all_views", lambda: out("sqlalchemy.all_views", sorted(insp.get_view_names())))

    relations = [("public", "customers"), ("public", "orders"), ("public", "large_orders"),
                 ("public", "revenue"), ("analytics", "events")]
    for schema, name in relations:
        key = f"{schema}.{name}"

        def columns(schema=schema, name=name, key=key):
            for c in insp.get_columns(name, schema=schema):
                out(f"sqlalchemy.columns.{key}.{c['name']}",
                    f"{c['type']!r} nullable={c['nullable']} default={c['default']!r} autoincrement={c.get('autoincrement')!r}")
        step(f"sqlalchemy.columns.{key}", columns)
        step(f"sqlalchemy.pk.{key}",
             lambda schema=schema, name=name, key=key: out(f"sqlalchemy.pk.{key}",
                                                           insp.get_pk_constraint(name, schema=schema)["constrained_columns"]))
        step(f"sqlalchemy.indexes.{key}",
             lambda schema=schema, name=name, key=key: out(f"sqlalchemy.indexes.{key}", insp.get_indexes(name, schema=schema)))
        step(f"sqlalchemy.foreign_keys.{key}",
             lambda schema=schema, name=name, key=key: out(f"sqlalchemy.foreign_keys.{key}",
                                                           insp.get_foreign_keys(name, schema=schema)))
        step(f"sqlalchemy.unique_constraints.{key}",
             lambda schema=schema, name=name, key=key: out(f"sqlalchemy.unique_constraints.{key}",
                                                           insp.get_unique_constraints(name, schema=schema)))

    def autoload():
        table = sqlalchemy.Table("orders", sqlalchemy.MetaData(), autoload_with=engine)
        out("sqlalchemy.autoload.columns", [c.name for c in table.columns])
        out("sqlalchemy.autoload.primary_key", [c.name for c in table.primary_key])
        with engine.begin() as conn:
            conn.execute(table.insert(), [
                {"id": 1, "customer_id": 7, "amount": decimal.Decimal("250.00"), "tags": ["a"]},
                {"id": 2, "customer_id": 7, "amount": decimal.Decimal("50.00"), "tags": []},
            ])
        with engine.connect() as conn:
            rows = conn.execute(sqlalchemy.select(table.c.id, table.c.amount, table.c.tags)
                                .where(table.c.customer_id == 7).order_by(table.c.id)).fetchall()
            out("sqlalchemy.autoload.select", [tuple(r) for r in rows])
    step("sqlalchemy.autoload", autoload)

    def stream_results():
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, max_row_buffer=10).execute(
                sqlalchemy.text("SELECT k FROM py_series ORDER BY k"))
            ks = [k for (k,) in result]
            out("sqlalchemy.stream_results", (len(ks), sum(ks)))
    step("sqlalchemy.stream_results", stream_results)
    engine.dispose()


def main():
    if ENGINE == "eddy":
        for case, why in EXPECTED_FAILURES_ON_EDDY.items():
            out("expected-failure", f"{case} {why}")
    setup()
    psycopg2_params()
    psycopg2_copy()
    psycopg2_named_cursor()
    psycopg3_prepared()
    psycopg3_binary()
    sqlalchemy_inspector()


main()
