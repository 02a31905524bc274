package catalog

import (
	"github.com/eddy-db/eddy/sql/types"
)

// Comments (COMMENT ON) are kept in the relation's descriptor, so they are
// stored and recovered with it; pg_description shows them as PostgreSQL
// does, keyed by the object's oid, the oid of the catalog it is in and,
// for a column, its attnum.

// PgClassOID is the oid of pg_class, the classoid of a relation's comment.
const PgClassOID = 1259

// Description is the comment of relation id (objsubid 0) or of its column
// number objsubid, for obj_description and col_description.
func (c *Catalog) Description(id uint32, objsubid int) (string, bool) {
	r, ok := c.ByID(id)
	if !ok || r.Kind == KindSystemView {
		return "", false
	}
	if objsubid == 0 {
		return r.Comment, r.Comment != ""
	}
	if objsubid < 1 || objsubid > len(r.Columns) {
		return "", false
	}
	text := r.Columns[objsubid-1].Comment
	return text, text != ""
}

func init() {
	defineSystemView(2609, pgCatalog, "pg_description", []string{
		"objoid oid", "classoid oid", "objsubid int4", "description text",
	}, func(v *systemContext) [][]types.Datum {
		var rows [][]types.Datum
		for _, r := range v.userRelations() {
			if r.Comment != "" {
				rows = append(rows, rowOf(r.ID, PgClassOID, 0, r.Comment))
			}
			for i, col := range r.Columns {
				if col.Comment != "" {
					rows = append(rows, rowOf(r.ID, PgClassOID, i+1, col.Comment))
				}
			}
		}
		return rows
	})
}
