package storage

// Reading a table's committed rows through any Reader, typically a Snapshot
// for a batch query or a backfill. Keys passed in and out are without the
// table prefix, as in StateTable. These see committed rows only; an
// operator reads its own state through its StateTable instead.

// GetTableRow returns the value of key in table tableID.
func GetTableRow(r Reader, tableID uint32, key []byte) ([]byte, bool, error) {
	return r.Get(append(TablePrefix(tableID), key...))
}

// ScanTable calls fn for each row of table tableID with a key in
// [lower, upper), in ascending order. A nil or empty bound means no bound
// within the table. The key and value are valid only during the call.
func ScanTable(r Reader, tableID uint32, lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	storeLower, storeUpper, strip := tableBounds(tableID, lower, upper)
	return r.Scan(storeLower, storeUpper, func(k, v []byte) (bool, error) { return fn(k[strip:], v) })
}

// ScanTableReverse is ScanTable in descending key order.
func ScanTableReverse(r Reader, tableID uint32, lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	storeLower, storeUpper, strip := tableBounds(tableID, lower, upper)
	return r.ScanReverse(storeLower, storeUpper, func(k, v []byte) (bool, error) { return fn(k[strip:], v) })
}

func tableBounds(tableID uint32, lower, upper []byte) (storeLower, storeUpper []byte, prefixLen int) {
	prefix := TablePrefix(tableID)
	storeLower = append(prefix[:len(prefix):len(prefix)], lower...)
	if len(upper) > 0 {
		storeUpper = append(prefix[:len(prefix):len(prefix)], upper...)
	} else {
		storeUpper = PrefixEnd(prefix)
	}
	return storeLower, storeUpper, len(prefix)
}
