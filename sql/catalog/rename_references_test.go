package catalog

import "testing"

func TestRenameReferences(t *testing.T) {
	cat := New()
	orders := &Relation{ID: 20, Kind: KindTable, Schema: "public", Name: "orders"}
	other := &Relation{ID: 21, Kind: KindTable, Schema: "audit", Name: "orders"}
	items := &Relation{ID: 22, Kind: KindTable, Schema: "public", Name: "items"}
	for _, r := range []*Relation{orders, other, items} {
		cat.Add(r)
	}
	for _, tc := range []struct {
		name, sql string
		deps      []uint32
		want      string // "" when nothing changes
	}{
		{"unqualified", "SELECT id FROM orders", []uint32{20},
			"SELECT id FROM purchases"},
		{"qualified columns keep the old name as alias", "SELECT orders.id, o2.id FROM orders JOIN public.orders AS o2 USING (id)", []uint32{20},
			"SELECT orders.id, o2.id FROM (purchases AS orders JOIN public.purchases AS o2 USING (id))"},
		{"subquery and join", "SELECT i.id FROM items AS i WHERE i.id IN (SELECT id FROM orders)", []uint32{20, 22},
			"SELECT i.id FROM items AS i WHERE (i.id = ANY (SELECT id FROM purchases))"},
		{"a WITH query of that name shadows it", "WITH orders AS (SELECT 1 AS id) SELECT id FROM orders", nil, ""},
		{"another schema's relation", "SELECT id FROM audit.orders", []uint32{21}, ""},
		{"two dependencies of that name: only qualified names", "SELECT id FROM public.orders UNION ALL SELECT id FROM orders", []uint32{20, 21},
			"(SELECT id FROM public.purchases) UNION ALL (SELECT id FROM orders)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			view := &Relation{ID: 30, Kind: KindView, Schema: "public", Name: "v", SQL: tc.sql, DependsOn: tc.deps}
			got, changed, err := RenameReferences(cat, view, orders, "purchases")
			if err != nil {
				t.Fatal(err)
			}
			if changed != (tc.want != "") || (changed && got != tc.want) {
				t.Errorf("RenameReferences(%q)\n got %q (changed %v)\nwant %q", tc.sql, got, changed, tc.want)
			}
		})
	}
}
