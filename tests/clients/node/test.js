// node-postgres (pg) conformance program for Eddy. It prints one line per
// observation, "case: value"; the Go test in tests/clients compares the output
// with testdata/node.out, written from a real PostgreSQL.
//
//   node test.js PORT [DATABASE [ENGINE]]
//
// ENGINE is eddy (default) or postgres: it only decides how a materialized
// view is brought up to date (FLUSH on Eddy, REFRESH MATERIALIZED VIEW on
// PostgreSQL). Every case catches its own errors, so one failure is one
// differing line.
'use strict';

process.env.TZ = 'UTC';
const { Client } = require('pg');

const port = Number(process.argv[2]);
const database = process.argv[3] || 'eddy';
const engine = process.argv[4] || 'eddy';
if (!port) {
  console.error('usage: node test.js PORT [DATABASE [ENGINE]]');
  process.exit(2);
}

function show(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Buffer.isBuffer(v)) return 'Buffer:' + v.toString('hex');
  if (v instanceof Date) return 'Date:' + (isNaN(v.getTime()) ? 'Invalid' : v.toISOString());
  if (typeof v === 'object' && typeof v.toPostgres === 'function') return v.constructor.name + ':' + v.toPostgres();
  if (typeof v === 'object') return v.constructor.name + ':' + JSON.stringify(v);
  return typeof v + ':' + String(v);
}

function out(key, value) {
  const s = String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
  console.log(key + ': ' + s);
}

function errText(e) {
  return e.code ? 'ERROR ' + e.code : 'EXCEPTION ' + String(e.message).split('\n')[0];
}

async function step(key, fn) {
  try {
    await fn();
  } catch (e) {
    out(key, errText(e) + (e.code ? ' ' + String(e.message).split('\n')[0] : ''));
  }
}

async function expectError(key, fn) {
  try {
    await fn();
    out(key, 'no error');
  } catch (e) {
    out(key, e.code ? 'code ' + e.code : 'EXCEPTION ' + String(e.message).split('\n')[0]);
  }
}

function dumpRows(key, res, idCol) {
  res.rows.forEach((row, i) => {
    const id = idCol ? row[idCol] : i + 1;
    const parts = Object.keys(row).filter((k) => k !== idCol).map((k) => k + '=' + show(row[k]));
    out(key + '.' + (idCol ? 'id' : 'row') + id, parts.join(' '));
  });
  out(key + '.rowCount', res.rowCount);
}

const COLUMNS = 'id, b, i2, i4, i8, f4, f8, n, t, vc, d, ts, tstz, iv, by';
const TABLE = '(id int PRIMARY KEY, b bool, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric, ' +
  't text, vc varchar(20), d date, ts timestamp, tstz timestamptz, iv interval, by bytea)';

// Values as an application passes them: node-postgres sends every parameter
// as text with an unspecified type, Dates in local time (UTC here) and
// Buffers as bytea hex.
const ROWS = [
  [1, true, 1, 100, '10000000000', 1.5, 2.25, '12345.6789', 'hello', 'world', '2024-01-02',
    '2024-01-02 03:04:05.123456', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123)), '1 year 2 mons 3 days 04:05:06.789', Buffer.from([0, 1, 2, 255])],
  [2, false, -32768, -2147483648, '9223372036854775807', 0.1, 0.1, '-123456789012345678901234567890.123456789',
    "h\u00e9llo \u2603 'q' \"d\" \\", '', '1999-12-31', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999+00', '-1 days +02:00:00', Buffer.alloc(0)],
  [3, true, 32767, 2147483647, '-9223372036854775808', 'Infinity', 'NaN', '1.500', 'line1\nline2\ttab', 'x', '2038-01-19',
    '2038-01-19 03:14:08', '2000-02-29 12:00:00+00', '00:00:00', Buffer.from('bytes')],
  [4, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  [5, false, 5, 50, 5000000000, 1.25, 1 / 3, 0.05, 'r5', 'v5', new Date(Date.UTC(2024, 1, 15)),
    new Date(Date.UTC(2024, 2, 1, 10, 30)), new Date(Date.UTC(2024, 2, 1, 10, 30, 0, 500)), '5 hours', Buffer.from([5])],
];

async function main() {
  const c = new Client({ host: '127.0.0.1', port, user: 'eddy', database, ssl: false, connectionTimeoutMillis: 10000 });
  await c.connect();
  out('connect', 'ok');

  await step('ddl', async () => {
    const r = await c.query('CREATE TABLE nt ' + TABLE);
    out('ddl', r.command + ' ' + r.rowCount);
  });

  const insert = 'INSERT INTO nt (' + COLUMNS + ') VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)';
  for (const row of ROWS) {
    await step('insert.id' + row[0], async () => {
      const r = await c.query(insert, row);
      out('insert.id' + row[0], r.command + ' ' + r.rowCount);
    });
  }

  // Text results through the simple protocol (no parameters) and the
  // extended protocol (parameters, unnamed and named statements).
  await step('select.simple', async () => {
    const r = await c.query('SELECT ' + COLUMNS + ' FROM nt ORDER BY id');
    out('select.simple.fields', r.fields.map((f) => f.name + ':' + f.dataTypeID).join(' '));
    dumpRows('select.simple', r, 'id');
  });
  await step('select.extended', async () => {
    const r = await c.query('SELECT ' + COLUMNS + ' FROM nt WHERE id >= $1 ORDER BY id', [0]);
    out('select.extended.fields', r.fields.map((f) => f.name + ':' + f.dataTypeID + ':' + f.format).join(' '));
    dumpRows('select.extended', r, 'id');
  });
  for (let run = 1; run <= 2; run++) {
    await step('select.named.run' + run, async () => {
      const r = await c.query({ name: 'sel_by_id', text: 'SELECT ' + COLUMNS + ' FROM nt WHERE id = $1', values: [run] });
      dumpRows('select.named.run' + run, r, 'id');
    });
  }
  await step('select.rowmode-array', async () => {
    const r = await c.query({ text: 'SELECT id, t, n FROM nt WHERE id <= $1 ORDER BY id', values: [2], rowMode: 'array' });
    out('select.rowmode-array', JSON.stringify(r.rows));
  });

  // Binary results for the numeric types (and bool), read by pg-types'
  // binary parsers. node-postgres needs at least one parameter to use the
  // extended protocol (else binary is ignored), and it decodes every DataRow
  // value as UTF-8 before its binary parsers see it, so bytes >= 0x80 arrive
  // as U+FFFD: values with such bytes print garbage, identically on
  // PostgreSQL, which still pins down the bytes Eddy sends.
  await step('binary', async () => {
    const r = await c.query({ text: 'SELECT id, b, i2, i4, i8, f4, f8, n FROM nt WHERE id >= $1 ORDER BY id', values: [0], binary: true });
    out('binary.fields', r.fields.map((f) => f.name + ':' + f.dataTypeID + ':' + f.format).join(' '));
    dumpRows('binary', r, null);
  });
  await step('binary.expressions', async () => {
    const r = await c.query({
      text: 'SELECT $1::int2 AS a, $2::int4 AS b, $3::int8 AS c, $4::float4 AS d, $5::float8 AS e, $6::numeric AS f, ' +
        '$6::numeric * 2 AS g, 0.000001::numeric AS h, 100000000::numeric AS i, (-1.5)::numeric AS j, 0::numeric AS k, 12.3400::numeric AS l',
      values: [-7, 123456, '-9000000000', 0.5, -1e300, '98765.4321'],
      binary: true,
    });
    dumpRows('binary.expressions', r, null);
  });

  // Parameters of every type.
  const params = [
    ['bool', 'SELECT id FROM nt WHERE b = $1 ORDER BY id', [false]],
    ['int2', 'SELECT id FROM nt WHERE i2 = $1 ORDER BY id', [32767]],
    ['int4', 'SELECT id FROM nt WHERE i4 = $1 ORDER BY id', [-2147483648]],
    ['int8', 'SELECT id FROM nt WHERE i8 = $1 ORDER BY id', ['9223372036854775807']],
    ['int8-number', 'SELECT id FROM nt WHERE i8 = $1 ORDER BY id', [5000000000]],
    ['float4', 'SELECT id FROM nt WHERE f4 = $1 ORDER BY id', [1.5]],
    ['float8', 'SELECT id FROM nt WHERE f8 > $1 ORDER BY id', [2]],
    ['numeric', 'SELECT id FROM nt WHERE n = $1 ORDER BY id', ['1.5']],
    ['numeric-number', 'SELECT id FROM nt WHERE n = $1 ORDER BY id', [0.05]],
    ['text', 'SELECT id FROM nt WHERE t = $1 ORDER BY id', ["h\u00e9llo \u2603 'q' \"d\" \\"]],
    ['varchar', 'SELECT id FROM nt WHERE vc = $1 ORDER BY id', ['']],
    ['date-string', 'SELECT id FROM nt WHERE d = $1 ORDER BY id', ['1999-12-31']],
    ['date-Date', 'SELECT id FROM nt WHERE d = $1 ORDER BY id', [new Date(Date.UTC(2024, 0, 2))]],
    ['timestamp-Date', 'SELECT id FROM nt WHERE ts = $1 ORDER BY id', [new Date(Date.UTC(2024, 2, 1, 10, 30))]],
    ['timestamptz-Date', 'SELECT id FROM nt WHERE tstz = $1 ORDER BY id', [new Date(Date.UTC(2000, 1, 29, 12))]],
    ['timestamptz-offset', 'SELECT id FROM nt WHERE tstz = $1 ORDER BY id', ['2000-02-29 13:00:00+01']],
    ['interval', 'SELECT id FROM nt WHERE iv = $1 ORDER BY id', ['-1 days +02:00:00']],
    ['bytea', 'SELECT id FROM nt WHERE by = $1 ORDER BY id', [Buffer.from('bytes')]],
    ['null', 'SELECT id FROM nt WHERE i4 IS NOT DISTINCT FROM $1 ORDER BY id', [null]],
    ['expr', 'SELECT $1::int + 1 AS a, $2::text || \'b\' AS b, $3::numeric * 2 AS c, $4::bool AS d, $5::date + 1 AS e', [41, 'a', '1.25', true, '2024-02-28']],
  ];
  for (const [name, text, values] of params) {
    await step('params.' + name, async () => {
      const r = await c.query(text, values);
      out('params.' + name, r.rows.map((row) => Object.values(row).map(show).join(',')).join(' '));
    });
  }

  await step('multi-statement', async () => {
    const rs = await c.query('SELECT 1 AS one; SELECT \'two\' AS two; INSERT INTO nt (id) VALUES (50)');
    out('multi-statement', rs.map((r) => r.command + ':' + JSON.stringify(r.rows)).join(' '));
  });
  await step('dml.update', async () => {
    const r = await c.query('UPDATE nt SET t = $1 WHERE id >= $2', ['upd', 4]);
    out('dml.update', r.command + ' ' + r.rowCount);
  });
  await step('dml.delete', async () => {
    const r = await c.query('DELETE FROM nt WHERE id = $1', [50]);
    out('dml.delete', r.command + ' ' + r.rowCount);
  });
  await step('dml.returning', async () => {
    const r = await c.query('INSERT INTO nt (id, t) VALUES ($1, $2) RETURNING id, t', [60, 'ret']);
    out('dml.returning', r.command + ' ' + r.rowCount + ' ' + JSON.stringify(r.rows));
  });

  await expectError('error.duplicate-key', () => c.query('INSERT INTO nt (id) VALUES ($1)', [1]));
  await expectError('error.duplicate-key.simple', () => c.query('INSERT INTO nt (id) VALUES (1)'));
  await expectError('error.unknown-table', () => c.query('SELECT * FROM no_such_table'));
  await expectError('error.unknown-table.extended', () => c.query('SELECT * FROM no_such_table WHERE a = $1', [1]));
  await expectError('error.unknown-column', () => c.query('SELECT no_such_column FROM nt'));
  await expectError('error.syntax', () => c.query('SELEKT 1'));
  await expectError('error.division-by-zero', () => c.query('SELECT i4 / 0 FROM nt WHERE id = $1', [1]));
  await expectError('error.bad-input', () => c.query('SELECT $1::int', ['not a number']));
  await expectError('error.param-count', () => c.query('SELECT $1::int, $2::int', [1]));
  await step('error.fields', async () => {
    try {
      await c.query('INSERT INTO nt (id) VALUES (1)');
      out('error.fields', 'no error');
    } catch (e) {
      out('error.fields', 'severity=' + e.severity + ' code=' + e.code + ' has_message=' + (e.message.length > 0));
    }
  });
  await step('error.after', async () => {
    const r = await c.query('SELECT count(*) AS n FROM nt');
    out('error.after', show(r.rows[0].n));
  });

  await step('mview', async () => {
    await c.query('CREATE MATERIALIZED VIEW nv AS SELECT b, count(*) AS cnt, sum(n) AS total, sum(i8) AS s8 FROM nt GROUP BY b');
    const flush = async () => {
      if (engine === 'eddy') await c.query('FLUSH');
      else await c.query('REFRESH MATERIALIZED VIEW nv');
    };
    await flush();
    dumpRows('mview.initial', await c.query('SELECT b, cnt, total, s8 FROM nv ORDER BY b'), null);
    await c.query('INSERT INTO nt (id, b, n, i8) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)', [70, true, '0.5', 7, 71, false, '1.25', 8]);
    await c.query('DELETE FROM nt WHERE id = $1', [3]);
    await flush();
    dumpRows('mview.after', await c.query('SELECT b, cnt, total, s8 FROM nv ORDER BY b'), null);
    dumpRows('mview.after.param', await c.query('SELECT b, cnt FROM nv WHERE cnt >= $1 ORDER BY b', [2]), null);
  });

  await c.end();
  out('done', 'ok');
}

main().catch((e) => {
  console.log('fatal: ' + e.stack);
  process.exit(1);
});
