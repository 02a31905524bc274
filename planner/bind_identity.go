package planner

import (
	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/catalog"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// Identity columns (GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY) take their
// default from their sequence; an ALWAYS column refuses a value written
// by the user unless the INSERT says OVERRIDING SYSTEM VALUE, and
// OVERRIDING USER VALUE ignores the user's values for identity columns.

// defaultText is column i's DEFAULT expression as SQL, an identity
// column's nextval of its sequence included; "" for none.
func (b *binder) defaultText(rel *catalog.Relation, i int) (string, error) {
	col := rel.Columns[i]
	if col.Identity == "" {
		return col.Default, nil
	}
	seq, ok := b.p.cat.ByID(col.SequenceID)
	if !ok {
		return "", pgerror.Internal("planner: identity column %s.%s has no sequence %d", rel.Name, col.Name, col.SequenceID)
	}
	name := ast.QuoteIdent(seq.Schema) + "." + ast.QuoteIdent(seq.Name)
	return "nextval(" + ast.QuoteString(name) + "::regclass)", nil
}

// overrideIdentity applies INSERT's OVERRIDING clause to the values
// written into identity columns: values[i] goes to column targets[i], nil
// being DEFAULT. It returns the values with the ignored ones set to nil.
func overrideIdentity(rel *catalog.Relation, targets []int, values []scalar, overriding byte) ([]scalar, error) {
	for i, idx := range targets {
		col := rel.Columns[idx]
		if values[i] == nil || col.Identity == "" {
			continue
		}
		switch {
		case overriding == 'u':
			values[i] = nil
		case col.Identity == catalog.IdentityAlways && overriding != 's':
			return nil, pgerror.New(pgerror.GeneratedAlways, "cannot insert a non-DEFAULT value into column %q", col.Name).
				WithDetail("Column %q is an identity column defined as GENERATED ALWAYS.", col.Name).
				WithHint("Use OVERRIDING SYSTEM VALUE to override.")
		}
	}
	return values, nil
}

// checkIdentityUpdate refuses UPDATE … SET col = value for a GENERATED
// ALWAYS identity column (DEFAULT is allowed).
func checkIdentityUpdate(col catalog.Column) error {
	if col.Identity == catalog.IdentityAlways {
		return pgerror.New(pgerror.GeneratedAlways, "column %q can only be updated to DEFAULT", col.Name).
			WithDetail("Column %q is an identity column defined as GENERATED ALWAYS.", col.Name)
	}
	return nil
}
