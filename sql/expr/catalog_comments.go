package expr

import "github.com/eddy-db/eddy/sql/types"

// obj_description and col_description read the comments COMMENT ON keeps
// in the catalog (pg_description). Only relations carry comments in Eddy,
// so an object of any catalog but pg_class has none.

func init() {
	register(catalogOverloads("obj_description", types.Text, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		if len(a) > 1 && a[1].(string) != "pg_class" {
			return nil, nil
		}
		if text, ok := CatalogOf(ctx).Description(uint32(a[0].(int64)), 0); ok {
			return text, nil
		}
		return nil, nil
	}, []types.T{types.Oid}, []types.T{types.Oid, types.Name}), "obj_description")
	register(catalogOverloads("col_description", types.Text, true, func(ctx *Context, a []types.Datum) (types.Datum, error) {
		if text, ok := CatalogOf(ctx).Description(uint32(a[0].(int64)), int(a[1].(int64))); ok {
			return text, nil
		}
		return nil, nil
	}, []types.T{types.Oid, types.Int32}), "col_description")
}
