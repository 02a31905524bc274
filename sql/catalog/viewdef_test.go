package catalog

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

func TestViewDefinition(t *testing.T) {
	c := New()
	c.Add(&Relation{ID: 16385, Kind: KindTable, Schema: "public", Name: "orders", Columns: []Column{
		{Name: "id", Type: types.Int32}, {Name: "customer", Type: types.Text}, {Name: "amount", Type: types.Numeric},
	}})
	c.Add(&Relation{ID: 16386, Kind: KindTable, Schema: "public", Name: "events", Columns: []Column{
		{Name: "kind", Type: types.Text}, {Name: "n", Type: types.Int32},
	}})
	path := []string{"eddy", "public"}
	for _, tc := range []struct {
		sql, want string
	}{
		{"SELECT customer, sum(amount) AS total FROM orders GROUP BY customer",
			" SELECT orders.customer,\n    sum(orders.amount) AS total\n   FROM orders\n  GROUP BY orders.customer;"},
		{"SELECT o.id, amount * 2 AS dbl, (amount + 1) * 2, count(*) FROM orders o WHERE id > 1 AND (customer = 'a' OR customer = 'b') ORDER BY o.id DESC LIMIT 5",
			" SELECT o.id,\n    o.amount * 2 AS dbl,\n    (o.amount + 1) * 2 AS \"?column?\",\n    count(*) AS count\n   FROM orders o\n" +
				"  WHERE o.id > 1 AND (o.customer = 'a' OR o.customer = 'b')\n  ORDER BY o.id DESC\n LIMIT 5;"},
		{"SELECT * FROM events e JOIN orders ON e.kind = customer",
			" SELECT e.kind,\n    e.n,\n    orders.id,\n    orders.customer,\n    orders.amount\n   FROM events e\n     JOIN orders ON e.kind = orders.customer;"},
		{"SELECT 1 UNION SELECT 2", " SELECT 1 UNION SELECT 2;"},
	} {
		v := &Relation{ID: 16390, Kind: KindView, Schema: "public", Name: "v", SQL: tc.sql}
		if got := ViewDefinition(c, v, path); got != tc.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.sql, got, tc.want)
		}
	}
}
