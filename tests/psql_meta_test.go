package tests

import (
	"strings"
	"testing"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestPsqlMeta runs psql's backslash commands, which read pg_catalog with
// the queries psql 15 sends to a PostgreSQL 15 server, and checks the
// objects they list.
func TestPsqlMeta(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	setup := []string{
		`CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) DEFAULT 0)`,
		`CREATE TABLE events (ts timestamp, kind varchar(20))`,
		`CREATE MATERIALIZED VIEW order_totals AS SELECT customer, sum(amount) AS total FROM orders GROUP BY customer`,
		`CREATE VIEW big_orders AS SELECT id, customer FROM orders WHERE amount > 10`,
		`CREATE TABLE tickets (id serial PRIMARY KEY, code bigint GENERATED ALWAYS AS IDENTITY, note text)`,
	}
	for _, stmt := range setup {
		if _, errOut, err := psql(t, s, "-c", stmt); err != nil {
			t.Fatalf("%s: %v\n%s", stmt, err, errOut)
		}
	}

	cases := []struct {
		command string
		want    []string // lines that must appear (unaligned)
		absent  []string
		// footers prints the title, header and footers (Indexes:, View
		// definition:) too, which tuples-only mode leaves out.
		footers bool
	}{
		{command: `\l`, want: []string{"eddy|eddy|UTF8|C|C||libc|"}},
		{command: `\dn`, want: []string{"public|eddy"}, absent: []string{"pg_catalog", "information_schema"}},
		{command: `\dt`, want: []string{"public|events|table|eddy", "public|orders|table|eddy"}, absent: []string{"order_totals", "pg_class"}},
		{command: `\dt+`, want: []string{"public|orders|table|eddy|permanent|heap|0 bytes|"}},
		{command: `\dm`, want: []string{"public|order_totals|materialized view|eddy"}, absent: []string{"|orders|"}},
		{command: `\dv`, want: []string{"public|big_orders|view|eddy"}, absent: []string{"order_totals", "|orders|"}},
		{command: `\d`, want: []string{"public|big_orders|view|eddy", "public|events|table|eddy", "public|order_totals|materialized view|eddy", "public|orders|table|eddy"}},
		{command: `\df`, absent: []string{"|"}},
		{command: `\d orders`, footers: true, want: []string{
			`Table "public.orders"`,
			"Column|Type|Collation|Nullable|Default",
			"id|integer||not null|",
			"customer|text||not null|",
			"amount|numeric(10,2)|||0",
			"Indexes:",
			`    "orders_pkey" PRIMARY KEY, btree (id)`,
		}},
		{command: `\d tickets`, footers: true, want: []string{
			`Table "public.tickets"`,
			"id|integer||not null|nextval('tickets_id_seq'::regclass)",
			"code|bigint||not null|generated always as identity",
			"note|text|||",
		}},
		{command: `\d+ orders`, footers: true, want: []string{
			"Column|Type|Collation|Nullable|Default|Storage|Compression|Stats target|Description",
			"id|integer||not null||plain|||",
			"customer|text||not null||extended|||",
			"amount|numeric(10,2)|||0|main|||",
			`    "orders_pkey" PRIMARY KEY, btree (id)`,
			"Access method: heap",
		}},
		{command: `\d order_totals`, footers: true, want: []string{
			`Materialized view "public.order_totals"`,
			"customer|text|||",
			"total|numeric|||",
		}},
		{command: `\d+ order_totals`, footers: true, want: []string{
			"customer|text||||extended|||",
			"View definition:",
			" SELECT orders.customer,",
			"    sum(orders.amount) AS total",
			"   FROM orders",
			"  GROUP BY orders.customer;",
			"Access method: heap",
		}},
		{command: `\d+ big_orders`, footers: true, want: []string{
			`View "public.big_orders"`,
			"Column|Type|Collation|Nullable|Default|Storage|Description",
			"id|integer||||plain|",
			"View definition:",
			" SELECT orders.id,",
			"    orders.customer",
			"   FROM orders",
		}},
		{command: `\d pg_namespace`, footers: true, want: []string{
			`Table "pg_catalog.pg_namespace"`,
			"oid|oid||not null|",
			"nspname|name||not null|",
			"nspacl|aclitem[]|||",
		}},
		{command: `\d pg_index`, footers: true, want: []string{
			"indkey|int2vector||not null|",
			"indclass|oidvector||not null|",
			"indexprs|pg_node_tree|C||",
		}},
		{command: `\d pg_roles`, footers: true, want: []string{
			`View "pg_catalog.pg_roles"`,
			"rolname|name|||",
		}},
		{command: `\d information_schema.columns`, footers: true, want: []string{
			`View "information_schema.columns"`,
		}},
	}
	for _, c := range cases {
		t.Run(c.command, func(t *testing.T) {
			args := []string{"-c", c.command}
			if c.footers {
				args = append([]string{"-P", "tuples_only=off"}, args...)
			}
			out, errOut, err := psql(t, s, args...)
			if err != nil {
				t.Fatalf("%s: %v\n%s", c.command, err, errOut)
			}
			if strings.Contains(errOut, "ERROR") {
				t.Fatalf("%s: %s", c.command, errOut)
			}
			lines := map[string]bool{}
			for _, l := range strings.Split(out, "\n") {
				lines[l] = true
			}
			for _, w := range c.want {
				if !lines[w] {
					t.Errorf("%s: missing line %q in:\n%s", c.command, w, out)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(out, a) {
					t.Errorf("%s: unexpected %q in:\n%s", c.command, a, out)
				}
			}
		})
	}
}
