// EddyJdbc exercises the PostgreSQL JDBC driver (pgJDBC) against a server and
// prints one line per observation, "case: value", so that the Go test in
// tests/clients can compare the output with a golden file written from a real
// PostgreSQL.
//
// Run it as a single-file source program:
//
//	java -cp /usr/share/java/postgresql.jar EddyJdbc.java PORT DATABASE ENGINE SECTION
//
// ENGINE is eddy or postgres: it only decides how a materialized view is
// brought up to date (FLUSH on Eddy, REFRESH MATERIALIZED VIEW on PostgreSQL).
// SECTION is main (no catalog access at all) or catalog (DatabaseMetaData and
// everything else pgJDBC answers by querying pg_catalog).
//
// Every case catches its own exceptions and prints them, so that one failure
// shows up as one differing line rather than a crash of the whole program.

import java.math.BigDecimal;
import java.sql.*;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;

public class EddyJdbc {
    static String baseUrl;
    static String engine;

    interface Body {
        void run() throws Exception;
    }

    // out prints one observation; newlines and tabs inside values are escaped
    // so that every observation stays on one line.
    static void out(String key, Object value) {
        String v = String.valueOf(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
        System.out.println(key + ": " + v);
    }

    // step runs one case; an exception becomes the case's output.
    static void step(String key, Body body) {
        try {
            body.run();
        } catch (SQLException e) {
            out(key, "ERROR " + e.getSQLState() + " " + firstLine(e.getMessage()));
        } catch (Exception e) {
            out(key, "EXCEPTION " + e.getClass().getSimpleName() + " " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    // expectError runs a statement that must fail and prints only its SQLSTATE
    // (messages are not compared: they need not be PostgreSQL's word for word).
    static void expectError(String key, Body body) {
        try {
            body.run();
            out(key, "no error");
        } catch (SQLException e) {
            out(key, "SQLSTATE " + e.getSQLState());
        } catch (Exception e) {
            out(key, "EXCEPTION " + e.getClass().getSimpleName() + " " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    static String firstLine(String s) {
        if (s == null) return "null";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    static Connection connect(String extra) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "eddy");
        props.setProperty("sslmode", "disable");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        String url = baseUrl + (extra.isEmpty() ? "" : "?" + extra);
        return DriverManager.getConnection(url, props);
    }

    static void flush(Statement st, String... views) throws SQLException {
        if (engine.equals("eddy")) {
            st.execute("FLUSH");
        } else {
            for (String v : views) st.execute("REFRESH MATERIALIZED VIEW " + v);
        }
    }

    static final String COLUMNS = "id, b, i2, i4, i8, f4, f8, n, t, vc, d, ts, tstz, iv, by";

    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        if (args.length != 4) {
            System.err.println("usage: EddyJdbc PORT DATABASE ENGINE main|catalog");
            System.exit(2);
        }
        baseUrl = "jdbc:postgresql://127.0.0.1:" + args[0] + "/" + args[1];
        engine = args[2];
        switch (args[3]) {
            case "main" -> mainSection();
            case "catalog" -> catalogSection();
            default -> {
                System.err.println("unknown section " + args[3]);
                System.exit(2);
            }
        }
    }

    // ---------------------------------------------------------------- main

    static void mainSection() throws Exception {
        Connection c = connect("");
        Connection c1 = connect("prepareThreshold=1");
        out("connect.product", c.getMetaData().getDatabaseProductName());
        out("connect.autocommit", c.getAutoCommit());
        out("connect.valid", c.isValid(5));

        step("ddl.create", () -> {
            try (Statement st = c.createStatement()) {
                int n = st.executeUpdate("CREATE TABLE jt (id int PRIMARY KEY, b bool, i2 smallint, i4 int, i8 bigint, "
                        + "f4 real, f8 double precision, n numeric, t text, vc varchar(20), d date, ts timestamp, "
                        + "tstz timestamptz, iv interval, by bytea)");
                out("ddl.create", n);
                st.executeUpdate("CREATE TABLE jp (id int PRIMARY KEY, b bool, i2 smallint, i4 int, i8 bigint, "
                        + "f4 real, f8 double precision, n numeric, t text, vc varchar(20), d date, ts timestamp, "
                        + "tstz timestamptz, iv interval, by bytea)");
            }
        });

        // jt is filled with SQL literals over the simple protocol, so that the
        // getter cases below do not depend on the setters working; jp is filled
        // through PreparedStatement setters and read back as text.
        step("seed", () -> {
            try (Statement st = c.createStatement()) {
                StringBuilder sb = new StringBuilder("INSERT INTO jt (" + COLUMNS + ") VALUES ");
                for (int i = 0; i < ROWS.length; i++) sb.append(i > 0 ? ", " : "").append(ROWS[i].literal());
                out("seed", st.executeUpdate(sb.toString()));
            }
        });

        String insert = "INSERT INTO jp (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS interval), ?)";

        // Default connection: unnamed statements, text parameters and results.
        for (int i = 0; i < 4; i++) {
            final Row row = ROWS[i];
            step("setters.default.id" + row.id, () -> {
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    row.set(ps);
                    out("setters.default.id" + row.id, ps.executeUpdate());
                }
            });
        }

        // prepareThreshold=1: from the second execution on the driver uses a
        // named server-side statement and binary transfer.
        step("setters.prepared", () -> {
            try (PreparedStatement ps = c1.prepareStatement(insert)) {
                List<String> counts = new ArrayList<>();
                for (int i = 4; i < 10; i++) {
                    ROWS[i].set(ps);
                    try {
                        counts.add(String.valueOf(ps.executeUpdate()));
                    } catch (SQLException e) {
                        counts.add("ERROR " + e.getSQLState());
                    }
                }
                out("setters.prepared", counts);
            }
        });

        step("setters.batch", () -> {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                for (int i = 10; i < 15; i++) {
                    ROWS[i].set(ps);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                out("setters.batch", java.util.Arrays.toString(counts));
            }
        });

        step("setters.readback", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM jp ORDER BY id")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 2; i <= n; i++) sb.append(i > 2 ? " " : "").append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i));
                    out("setters.readback.id" + rs.getInt(1), sb);
                }
            }
        });

        step("insert.batch.statement", () -> {
            try (Statement st = c.createStatement()) {
                st.addBatch("INSERT INTO jt (id, t) VALUES (16, 'batch16')");
                st.addBatch("INSERT INTO jt (id, t) VALUES (17, 'batch17')");
                st.addBatch("UPDATE jt SET t = 'batch16u' WHERE id = 16");
                out("insert.batch.statement", java.util.Arrays.toString(st.executeBatch()));
            }
        });

        String select = "SELECT " + COLUMNS + " FROM jt WHERE id IN (1, 2, 3, 4, 5, 6, 11, 16) ORDER BY id";
        step("select.text", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(select)) {
                dumpRows("select.text", rs);
            }
        });
        // The same query through a server-side prepared statement: the first
        // run describes it, later runs fetch binary results.
        for (int run = 1; run <= 3; run++) {
            final int r = run;
            step("select.prepared.run" + r, () -> {
                try (PreparedStatement ps = c1.prepareStatement(select); ResultSet rs = ps.executeQuery()) {
                    dumpRows("select.prepared.run" + r, rs);
                }
            });
        }

        step("getobject", () -> {
            try (PreparedStatement ps = c1.prepareStatement("SELECT b, i2, i4, i8, f4, f8, n, t, vc, d, ts, tstz, by FROM jt WHERE id = ?")) {
                for (int run = 1; run <= 2; run++) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ResultSetMetaData md = rs.getMetaData();
                        StringBuilder sb = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object o = rs.getObject(i);
                            String v = o instanceof byte[] ? HexFormat.of().formatHex((byte[]) o) : String.valueOf(o);
                            sb.append(md.getColumnLabel(i)).append('=').append(o == null ? "null" : o.getClass().getSimpleName()).append(':').append(v).append(' ');
                        }
                        out("getobject.run" + run, sb.toString().trim());
                        out("getobject.java8.run" + run, "d=" + rs.getObject("d", LocalDate.class) + " ts=" + rs.getObject("ts", LocalDateTime.class)
                                + " tstz=" + rs.getObject("tstz", OffsetDateTime.class));
                    }
                }
            }
        });

        step("metadata", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT " + COLUMNS + ", n * 2 AS n2, t || 'x' AS tx, 42::bigint AS cnt FROM jt WHERE id = 1")) {
                ResultSetMetaData md = rs.getMetaData();
                out("metadata.count", md.getColumnCount());
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    // getColumnTypeName looks in pg_catalog (serial detection), and
                    // interval is not in the driver's built-in type cache: both are
                    // in the catalog section.
                    if (md.getColumnName(i).equals("iv")) continue;
                    out("metadata.col" + i, md.getColumnName(i) + " label=" + md.getColumnLabel(i) + " type=" + md.getColumnType(i)
                            + " class=" + md.getColumnClassName(i)
                            + " precision=" + md.getPrecision(i) + " scale=" + md.getScale(i)
                            + " displaysize=" + md.getColumnDisplaySize(i) + " signed=" + md.isSigned(i));
                }
            }
        });
        step("metadata.typmod", () -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE jtm (k int PRIMARY KEY, n numeric(10,2), vc varchar(7), ts timestamp(3))");
                try (ResultSet rs = st.executeQuery("SELECT k, n, vc, ts FROM jtm")) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        out("metadata.typmod." + md.getColumnName(i), "type=" + md.getColumnType(i) + " precision=" + md.getPrecision(i)
                                + " scale=" + md.getScale(i) + " displaysize=" + md.getColumnDisplaySize(i));
                    }
                }
                st.execute("INSERT INTO jtm VALUES (1, 3.14159, 'abc', '2024-01-02 03:04:05.123456')");
                try (ResultSet rs = st.executeQuery("SELECT n, vc, ts FROM jtm")) {
                    rs.next();
                    out("metadata.typmod.values", rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3));
                }
            }
        });

        // Parameters of every type in WHERE clauses, through both connections.
        for (Connection conn : new Connection[]{c, c1}) {
            String p = conn == c ? "params.default" : "params.prepared";
            for (int run = 1; run <= 2; run++) {
                final String key = p + ".run" + run;
                step(key + ".int", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE i4 = ? OR i8 = ? OR i2 = ? ORDER BY id")) {
                        ps.setInt(1, 100);
                        ps.setLong(2, Long.MIN_VALUE);
                        ps.setShort(3, (short) 7);
                        out(key + ".int", ids(ps));
                    }
                });
                step(key + ".text", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE t = ? OR vc = ? ORDER BY id")) {
                        ps.setString(1, "h\u00e9llo \u2603 'q' \"d\" \\");
                        ps.setString(2, "x");
                        out(key + ".text", ids(ps));
                    }
                });
                step(key + ".numeric", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE n = ? OR n > ? ORDER BY id")) {
                        ps.setBigDecimal(1, new BigDecimal("1.5"));
                        ps.setBigDecimal(2, new BigDecimal("10000"));
                        out(key + ".numeric", ids(ps));
                    }
                });
                step(key + ".float", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE f8 > ? AND f4 < ? ORDER BY id")) {
                        ps.setDouble(1, 2.0);
                        ps.setFloat(2, 100f);
                        out(key + ".float", ids(ps));
                    }
                });
                step(key + ".bool", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM jt WHERE b = ?")) {
                        ps.setBoolean(1, false);
                        out(key + ".bool", ids(ps));
                    }
                });
                step(key + ".date", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE d = ? OR d > ? ORDER BY id")) {
                        ps.setDate(1, Date.valueOf("1999-12-31"));
                        ps.setDate(2, Date.valueOf("2030-01-01"));
                        out(key + ".date", ids(ps));
                    }
                });
                step(key + ".timestamp", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE ts = ? OR tstz < ? ORDER BY id")) {
                        ps.setTimestamp(1, Timestamp.valueOf("2024-01-02 03:04:05.123456"));
                        ps.setTimestamp(2, Timestamp.valueOf("1999-01-01 00:00:00"));
                        out(key + ".timestamp", ids(ps));
                    }
                });
                step(key + ".bytea", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE by = ? ORDER BY id")) {
                        ps.setBytes(1, "bytes".getBytes());
                        out(key + ".bytea", ids(ps));
                    }
                });
                step(key + ".null", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM jt WHERE i4 IS NOT DISTINCT FROM ? ORDER BY id")) {
                        ps.setNull(1, Types.INTEGER);
                        out(key + ".null", ids(ps));
                    }
                });
                step(key + ".expr", () -> {
                    try (PreparedStatement ps = conn.prepareStatement("SELECT ? + 1, ? || 'b', ?::numeric * 2, ?, ?")) {
                        ps.setInt(1, 41);
                        ps.setString(2, "a");
                        ps.setBigDecimal(3, new BigDecimal("1.25"));
                        ps.setBoolean(4, true);
                        ps.setDouble(5, 0.5);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            out(key + ".expr", rs.getInt(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3) + " " + rs.getBoolean(4) + " " + rs.getDouble(5));
                        }
                    }
                });
            }
        }

        step("dml.update", () -> {
            try (PreparedStatement ps = c1.prepareStatement("UPDATE jt SET t = ?, n = n + ? WHERE id BETWEEN ? AND ?")) {
                ps.setString(1, "updated");
                ps.setBigDecimal(2, BigDecimal.ONE);
                ps.setInt(3, 5);
                ps.setInt(4, 7);
                out("dml.update", ps.executeUpdate());
            }
        });
        step("dml.delete", () -> {
            try (PreparedStatement ps = c1.prepareStatement("DELETE FROM jt WHERE id = ?")) {
                ps.setInt(1, 17);
                int a = ps.executeUpdate();
                ps.setInt(1, 17);
                out("dml.delete", a + " " + ps.executeUpdate());
            }
        });
        step("dml.returning", () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt (id, t) VALUES (?, ?) RETURNING id, t")) {
                ps.setInt(1, 18);
                ps.setString(2, "ret");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out("dml.returning", rs.getInt(1) + " " + rs.getString(2));
                }
            }
        });
        step("dml.generatedkeys", () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt (id, t) VALUES (?, ?)", new String[]{"id"})) {
                ps.setInt(1, 19);
                ps.setString(2, "gen");
                int n = ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    out("dml.generatedkeys", n + " id=" + rs.getInt(1));
                }
            }
        });
        step("dml.after", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, t, n FROM jt WHERE id BETWEEN 5 AND 19 ORDER BY id")) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) sb.append(rs.getInt(1)).append('=').append(rs.getString(2)).append('/').append(rs.getString(3)).append(' ');
                out("dml.after", sb.toString().trim());
            }
        });

        // Errors: SQLSTATE codes, and the connection stays usable after them.
        expectError("error.duplicate-key", () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt (id) VALUES (?)")) {
                ps.setInt(1, 1);
                ps.executeUpdate();
            }
        });
        expectError("error.duplicate-key.prepared", () -> {
            try (PreparedStatement ps = c1.prepareStatement("INSERT INTO jt (id) VALUES (?)")) {
                ps.setInt(1, 2);
                ps.executeUpdate();
            }
        });
        expectError("error.duplicate-key.batch", () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt (id) VALUES (?)")) {
                ps.setInt(1, 100);
                ps.addBatch();
                ps.setInt(1, 100);
                ps.addBatch();
                ps.executeBatch();
            }
        });
        step("error.duplicate-key.batch.after", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM jt WHERE id = 100")) {
                rs.next();
                out("error.duplicate-key.batch.after", rs.getLong(1));
            }
        });
        expectError("error.unknown-table", () -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT * FROM no_such_table");
            }
        });
        expectError("error.unknown-table.prepared", () -> {
            try (PreparedStatement ps = c1.prepareStatement("SELECT * FROM no_such_table WHERE a = ?")) {
                ps.setInt(1, 1);
                ps.executeQuery();
            }
        });
        expectError("error.unknown-column", () -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT no_such_column FROM jt");
            }
        });
        expectError("error.syntax", () -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELEKT 1");
            }
        });
        expectError("error.division-by-zero", () -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT i4 / 0 FROM jt WHERE id = 1").next();
            }
        });
        expectError("error.not-null-pk", () -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO jt (t) VALUES ('no key')");
            }
        });
        expectError("error.bad-input", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS int)")) {
                ps.setString(1, "not a number");
                ps.executeQuery().next();
            }
        });
        expectError("error.duplicate-table", () -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE jt (id int)");
            }
        });
        step("error.after", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM jt WHERE id < 30")) {
                rs.next();
                out("error.after", rs.getLong(1));
            }
        });

        // Transactions: autocommit off, commit, rollback, fetch size (portals).
        step("tx.commit", () -> {
            Connection t = connect("");
            try {
                t.setAutoCommit(false);
                try (Statement st = t.createStatement()) {
                    st.executeUpdate("INSERT INTO jt (id, t) VALUES (30, 'tx')");
                    st.executeUpdate("INSERT INTO jt (id, t) VALUES (31, 'tx')");
                }
                out("tx.commit.before", count(c, "SELECT count(*) FROM jt WHERE id IN (30, 31)"));
                t.commit();
                out("tx.commit.after", count(c, "SELECT count(*) FROM jt WHERE id IN (30, 31)"));
            } finally {
                t.close();
            }
        });
        step("tx.rollback", () -> {
            Connection t = connect("");
            try {
                t.setAutoCommit(false);
                try (Statement st = t.createStatement()) {
                    st.executeUpdate("INSERT INTO jt (id, t) VALUES (32, 'tx')");
                    out("tx.rollback.inside", count(t, "SELECT count(*) FROM jt WHERE id = 32"));
                }
                t.rollback();
                out("tx.rollback.after", count(c, "SELECT count(*) FROM jt WHERE id = 32"));
            } finally {
                t.close();
            }
        });
        step("tx.error", () -> {
            Connection t = connect("");
            try {
                t.setAutoCommit(false);
                try (Statement st = t.createStatement()) {
                    st.executeUpdate("INSERT INTO jt (id, t) VALUES (33, 'tx')");
                    try {
                        st.executeUpdate("INSERT INTO jt (id, t) VALUES (33, 'dup')");
                        out("tx.error.dup", "no error");
                    } catch (SQLException e) {
                        out("tx.error.dup", "SQLSTATE " + e.getSQLState());
                    }
                    try {
                        st.executeQuery("SELECT 1");
                        out("tx.error.aborted", "no error");
                    } catch (SQLException e) {
                        out("tx.error.aborted", "SQLSTATE " + e.getSQLState());
                    }
                }
                t.rollback();
                out("tx.error.after", count(c, "SELECT count(*) FROM jt WHERE id = 33"));
            } finally {
                t.close();
            }
        });
        step("tx.fetchsize", () -> {
            Connection t = connect("");
            try {
                t.setAutoCommit(false);
                try (PreparedStatement ps = t.prepareStatement("SELECT id FROM jt WHERE id <= ? ORDER BY id")) {
                    ps.setFetchSize(2);
                    ps.setInt(1, 15);
                    try (ResultSet rs = ps.executeQuery()) {
                        StringBuilder sb = new StringBuilder();
                        while (rs.next()) sb.append(rs.getInt(1)).append(' ');
                        out("tx.fetchsize", sb.toString().trim());
                    }
                }
                t.commit();
            } finally {
                t.close();
            }
        });
        step("tx.maxrows", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jt ORDER BY id")) {
                ps.setMaxRows(3);
                out("tx.maxrows", ids(ps));
            }
        });

        // A materialized view kept up to date (FLUSH) or refreshed (PostgreSQL).
        step("mview.create", () -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE MATERIALIZED VIEW jv AS SELECT b, count(*) AS cnt, sum(n) AS total, max(t) AS maxt FROM jt WHERE id < 30 GROUP BY b");
                flush(st, "jv");
                try (ResultSet rs = st.executeQuery("SELECT b, cnt, total, maxt FROM jv ORDER BY b")) {
                    dumpPlain("mview.initial", rs);
                }
            }
        });
        step("mview.update", () -> {
            try (PreparedStatement ps = c1.prepareStatement("INSERT INTO jt (id, b, n, t) VALUES (?, ?, ?, ?)")) {
                for (int id = 40; id < 44; id++) {
                    ps.setInt(1, id);
                    ps.setBoolean(2, id % 2 == 0);
                    ps.setBigDecimal(3, new BigDecimal(id).movePointLeft(1));
                    ps.setString(4, "zz" + id);
                    ps.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM jt WHERE id = 3");
                flush(st, "jv");
            }
            try (PreparedStatement ps = c1.prepareStatement("SELECT b, cnt, total, maxt FROM jv WHERE cnt > ? ORDER BY b")) {
                for (int run = 1; run <= 2; run++) {
                    ps.setLong(1, 0);
                    try (ResultSet rs = ps.executeQuery()) {
                        dumpPlain("mview.after.run" + run, rs);
                    }
                }
            }
        });

        c.close();
        c1.close();
        out("done", "main");
    }

    // Row is one row of jt / jp; null fields are SQL NULLs.
    record Row(int id, Boolean b, Short i2, Integer i4, Long i8, Float f4, Double f8, BigDecimal n, String t, String vc,
               String d, String ts, String tstz, String iv, byte[] by) {

        void set(PreparedStatement ps) throws SQLException {
            ps.setInt(1, id);
            if (b == null) ps.setNull(2, Types.BOOLEAN); else ps.setBoolean(2, b);
            if (i2 == null) ps.setNull(3, Types.SMALLINT); else ps.setShort(3, i2);
            if (i4 == null) ps.setNull(4, Types.INTEGER); else ps.setInt(4, i4);
            if (i8 == null) ps.setNull(5, Types.BIGINT); else ps.setLong(5, i8);
            if (f4 == null) ps.setNull(6, Types.REAL); else ps.setFloat(6, f4);
            if (f8 == null) ps.setNull(7, Types.DOUBLE); else ps.setDouble(7, f8);
            if (n == null) ps.setNull(8, Types.NUMERIC); else ps.setBigDecimal(8, n);
            if (t == null) ps.setNull(9, Types.VARCHAR); else ps.setString(9, t);
            if (vc == null) ps.setNull(10, Types.VARCHAR); else ps.setString(10, vc);
            if (d == null) ps.setNull(11, Types.DATE); else ps.setDate(11, Date.valueOf(d));
            if (ts == null) ps.setNull(12, Types.TIMESTAMP); else ps.setTimestamp(12, Timestamp.valueOf(ts));
            if (tstz == null) ps.setNull(13, Types.TIMESTAMP_WITH_TIMEZONE); else ps.setTimestamp(13, Timestamp.valueOf(tstz));
            if (iv == null) ps.setNull(14, Types.VARCHAR); else ps.setString(14, iv);
            if (by == null) ps.setNull(15, Types.BINARY); else ps.setBytes(15, by);
        }

        String literal() {
            return "(" + id + ", " + lit(b) + ", " + lit(i2) + ", " + lit(i4) + ", " + lit(i8) + ", " + lit(f4) + ", " + lit(f8) + ", "
                    + lit(n == null ? null : n.toPlainString()) + ", " + lit(t) + ", " + lit(vc) + ", " + lit(d) + ", " + lit(ts) + ", "
                    + lit(tstz == null ? null : tstz + "+00") + ", " + lit(iv) + ", " + lit(by == null ? null : "\\x" + HexFormat.of().formatHex(by)) + ")";
        }

        static String lit(Object o) {
            return o == null ? "NULL" : "'" + o.toString().replace("'", "''") + "'";
        }
    }

    static Row gen(int id) {
        return new Row(id, id % 2 == 0, (short) id, id * 10, id * 1000000000L, id / 4f, id / 3.0, new BigDecimal(id).movePointLeft(2),
                "r" + id, "v" + id, "2024-02-" + (10 + id), "2024-03-01 " + (id + 5) + ":30:00", "2024-03-01 " + (id + 5) + ":30:00.5",
                id + " hours", new byte[]{(byte) id});
    }

    static final Row[] ROWS = {
        new Row(1, true, (short) 1, 100, 10000000000L, 1.5f, 2.25, new BigDecimal("12345.6789"), "hello", "world",
                "2024-01-02", "2024-01-02 03:04:05.123456", "2024-01-02 03:04:05.123456", "1 year 2 mons 3 days 04:05:06.789", new byte[]{0, 1, 2, (byte) 255}),
        new Row(2, false, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, 0.1f, 0.1, new BigDecimal("-123456789012345678901234567890.123456789"),
                "h\u00e9llo \u2603 'q' \"d\" \\", "", "1999-12-31", "1970-01-01 00:00:00", "1969-12-31 23:59:59.999999", "-1 days +02:00:00", new byte[]{}),
        new Row(3, true, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Float.POSITIVE_INFINITY, Double.NaN, new BigDecimal("1.500"),
                "line1\nline2\ttab", "x", "2038-01-19", "2038-01-19 03:14:08", "2000-02-29 12:00:00", "00:00:00", "bytes".getBytes()),
        new Row(4, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
        gen(5), gen(6), gen(7), gen(8), gen(9), gen(10), gen(11), gen(12), gen(13), gen(14), gen(15),
    };

    static String ids(PreparedStatement ps) throws SQLException {
        List<String> l = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) l.add(rs.getString(1));
        }
        return String.join(",", l);
    }

    static long count(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // dumpRows prints, per row of jt, what getString gives for every column
    // and what the typed getters give.
    static void dumpRows(String key, ResultSet rs) throws SQLException {
        while (rs.next()) {
            int id = rs.getInt("id");
            StringBuilder s = new StringBuilder();
            for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                // getString of a binary bytea is byte[].toString(): see getBytes below.
                if (rs.getMetaData().getColumnName(i).equals("by")) continue;
                s.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
            }
            out(key + ".string.id" + id, s.toString().trim());
            StringBuilder g = new StringBuilder();
            g.append("b=").append(rs.getBoolean("b")).append(nul(rs));
            g.append(" i2=").append(rs.getShort("i2")).append(nul(rs));
            g.append(" i4=").append(rs.getInt("i4")).append(nul(rs));
            g.append(" i8=").append(rs.getLong("i8")).append(nul(rs));
            g.append(" f4=").append(rs.getFloat("f4")).append(nul(rs));
            g.append(" f8=").append(rs.getDouble("f8")).append(nul(rs));
            g.append(" n=").append(rs.getBigDecimal("n")).append(nul(rs));
            g.append(" d=").append(rs.getDate("d"));
            g.append(" ts=").append(rs.getTimestamp("ts"));
            g.append(" tstz=").append(rs.getTimestamp("tstz"));
            byte[] by = rs.getBytes("by");
            g.append(" by=").append(by == null ? "null" : HexFormat.of().formatHex(by));
            g.append(" i4long=").append(rs.getLong("i4"));
            g.append(" i2string=").append(rs.getString("i2"));
            out(key + ".getters.id" + id, g.toString());
        }
    }

    static String nul(ResultSet rs) throws SQLException {
        return rs.wasNull() ? "(null)" : "";
    }

    static void dumpPlain(String key, ResultSet rs) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        int row = 0;
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= n; i++) sb.append(i > 1 ? " | " : "").append(rs.getString(i));
            out(key + ".row" + (++row), sb);
        }
        out(key + ".rows", row);
    }

    // -------------------------------------------------------------- catalog

    // catalogSection holds what pgJDBC answers by querying pg_catalog: the
    // DatabaseMetaData methods, ResultSetMetaData's table-related methods, and
    // types outside the driver's built-in OID cache (interval).
    static void catalogSection() throws Exception {
        Connection c = connect("");
        step("catalog.setup", () -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE jc (id int PRIMARY KEY, name varchar(30) NOT NULL, amount numeric(12,2), iv interval, created timestamptz)");
                st.execute("CREATE TABLE jc_nokey (a int, b text)");
                st.execute("INSERT INTO jc VALUES (1, 'one', 1.50, '1 day 02:00:00', '2024-01-02 03:04:05+00')");
                st.execute("CREATE MATERIALIZED VIEW jc_view AS SELECT name, sum(amount) AS total FROM jc GROUP BY name");
                st.execute("CREATE TABLE jc_types (id serial PRIMARY KEY, b bool, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, "
                        + "n numeric, n2 numeric(10,2), t text, vc varchar(20), c char(4), by bytea, d date, tm time, ts timestamp, tstz timestamptz, "
                        + "iv interval, u uuid, js json, jb jsonb, ia int[], ta text[], o oid)");
            }
        });
        DatabaseMetaData md = c.getMetaData();
        step("catalog.getTables", () -> {
            try (ResultSet rs = md.getTables(null, null, "jc%", new String[]{"TABLE", "VIEW", "MATERIALIZED VIEW"})) {
                List<String> l = new ArrayList<>();
                while (rs.next()) l.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
                out("catalog.getTables", String.join(" ", l));
            }
        });
        step("catalog.getTables.types", () -> {
            try (ResultSet rs = md.getTables(null, "public", "jc%", new String[]{"TABLE"})) {
                List<String> l = new ArrayList<>();
                while (rs.next()) l.add(rs.getString("TABLE_NAME"));
                out("catalog.getTables.types", String.join(" ", l));
            }
        });
        step("catalog.getSchemas", () -> {
            try (ResultSet rs = md.getSchemas()) {
                List<String> l = new ArrayList<>();
                while (rs.next()) l.add(rs.getString("TABLE_SCHEM"));
                out("catalog.getSchemas", String.join(" ", l));
            }
        });
        step("catalog.getColumns", () -> {
            try (ResultSet rs = md.getColumns(null, "public", "jc", "%")) {
                while (rs.next()) {
                    out("catalog.getColumns." + rs.getString("COLUMN_NAME"), "pos=" + rs.getInt("ORDINAL_POSITION") + " type=" + rs.getInt("DATA_TYPE")
                            + " typename=" + rs.getString("TYPE_NAME") + " size=" + rs.getInt("COLUMN_SIZE") + " digits=" + rs.getInt("DECIMAL_DIGITS")
                            + " nullable=" + rs.getInt("NULLABLE") + " is_nullable=" + rs.getString("IS_NULLABLE"));
                }
            }
        });
        step("catalog.getColumns.every_type", () -> {
            try (ResultSet rs = md.getColumns(null, "public", "jc_types", "%")) {
                while (rs.next()) {
                    out("catalog.getColumns.every_type." + rs.getString("COLUMN_NAME"), "pos=" + rs.getInt("ORDINAL_POSITION") + " type=" + rs.getInt("DATA_TYPE")
                            + " typename=" + rs.getString("TYPE_NAME") + " size=" + rs.getInt("COLUMN_SIZE") + " digits=" + rs.getInt("DECIMAL_DIGITS")
                            + " nullable=" + rs.getInt("NULLABLE") + " default=" + rs.getString("COLUMN_DEF") + " autoinc=" + rs.getString("IS_AUTOINCREMENT"));
                }
            }
        });
        step("catalog.getPrimaryKeys", () -> {
            try (ResultSet rs = md.getPrimaryKeys(null, "public", "jc")) {
                List<String> l = new ArrayList<>();
                while (rs.next()) l.add(rs.getString("COLUMN_NAME") + "#" + rs.getInt("KEY_SEQ"));
                out("catalog.getPrimaryKeys", String.join(" ", l));
            }
        });
        step("catalog.getPrimaryKeys.none", () -> {
            try (ResultSet rs = md.getPrimaryKeys(null, "public", "jc_nokey")) {
                int n = 0;
                while (rs.next()) n++;
                out("catalog.getPrimaryKeys.none", n);
            }
        });
        step("catalog.rsmd", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name, amount, iv, created, amount * 2 AS dbl FROM jc")) {
                ResultSetMetaData r = rs.getMetaData();
                for (int i = 1; i <= r.getColumnCount(); i++) {
                    out("catalog.rsmd." + r.getColumnLabel(i), "typename=" + r.getColumnTypeName(i) + " table=" + r.getTableName(i)
                            + " schema=" + r.getSchemaName(i) + " base=" + ((org.postgresql.PGResultSetMetaData) r).getBaseColumnName(i)
                            + " nullable=" + r.isNullable(i) + " autoincrement=" + r.isAutoIncrement(i));
                }
            }
        });
        step("catalog.rsmd.typenames", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + COLUMNS + ", n * 2 AS n2, t || 'x' AS tx FROM jt WHERE id = 1")) {
                ResultSetMetaData r = rs.getMetaData();
                List<String> l = new ArrayList<>();
                for (int i = 1; i <= r.getColumnCount(); i++) l.add(r.getColumnLabel(i) + "=" + r.getColumnTypeName(i) + "/" + r.getColumnClassName(i));
                out("catalog.rsmd.typenames", String.join(" ", l));
            }
        });
        step("catalog.interval", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT iv FROM jc")) {
                rs.next();
                Object o = rs.getObject(1);
                out("catalog.interval", o.getClass().getSimpleName() + " " + o);
            }
        });
        step("catalog.interval.param", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM jc WHERE iv = ?")) {
                ps.setObject(1, new org.postgresql.util.PGInterval("1 day 2 hours"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out("catalog.interval.param", rs.getLong(1));
                }
            }
        });
        c.close();
        out("done", "catalog");
    }
}
