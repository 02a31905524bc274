package types

import "strconv"

// formatRegtype is regtype's output function (regtypeout): the type's
// name as format_type prints it without a typmod ("character" for bpchar),
// "-" for 0, and the number for an OID Eddy has no type for.
func formatRegtype(oid int64) string {
	if oid == 0 {
		return "-"
	}
	t, ok := FromOID(uint32(oid))
	if !ok {
		return strconv.FormatInt(oid, 10)
	}
	return t.String()
}
