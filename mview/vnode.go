package mview

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"slices"

	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// # Virtual nodes
//
// A stateful operator's rows are partitioned on its distribution key (a
// hash aggregate's group columns, a join's key, a top-N's partition
// columns) into VnodeCount virtual nodes, and its N instances each own a
// contiguous range of them (instanceOf). The vnode of a row is the CRC-32C
// of the key encoding (sql/encoding) of its distribution columns, mod
// VnodeCount; an operator without distribution columns (a global aggregate
// or top-N) has all its rows on vnode 0 and runs as one instance.
//
// Every key of a stateful operator's state tables starts with its row's
// vnode, 2 bytes big-endian (vnodeTable), so an instance's state is a set of
// whole vnode ranges and N can change later without rewriting state: only
// the ranges each instance owns move. The rows of tables and views that
// Materialize writes are not prefixed: they keep the primary-key order the
// batch executor and backfill read them in.

// VnodeCount is the fixed number of virtual nodes.
const VnodeCount = 256

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// vnodeOf is the vnode of a row whose distribution columns encode as
// distKey; nil or empty when the operator has no distribution columns.
func vnodeOf(distKey []byte, hasDistribution bool) uint16 {
	if !hasDistribution {
		return 0
	}
	return uint16(crc32.Checksum(distKey, castagnoli) % VnodeCount)
}

// instanceOf is the instance, of n, that owns vnode v: instance i owns the
// vnodes [i·VnodeCount/n, (i+1)·VnodeCount/n).
func instanceOf(v uint16, n int) int {
	return int(v) * n / VnodeCount
}

// vnodeTable is a stateful operator's state table with every key prefixed
// by its vnode. Its methods take and return keys without the prefix, as
// storage.StateTable's do, and compute the vnode from the key itself: the
// distribution columns' encoding starts at byte skip of every key (after
// a fixed tag, as in the aggregate's values table) and every prefix the
// operator scans covers them, so prefix scans (a join key, a top-N group)
// stay within one vnode.
type vnodeTable struct {
	table     *storage.StateTable
	distTypes []types.T
	skip      int
	buf       []byte
}

// newVnodeTable wraps t, whose keys carry the encoding of distribution
// columns of types distTypes from byte skip on.
func newVnodeTable(t *storage.StateTable, distTypes []types.T, skip int) *vnodeTable {
	return &vnodeTable{table: t, distTypes: distTypes, skip: skip}
}

// vnode is the vnode of key (or of a prefix of it covering its
// distribution columns).
func (t *vnodeTable) vnode(key []byte) uint16 {
	if len(t.distTypes) == 0 {
		return 0
	}
	if len(key) < t.skip {
		panic("mview: state key shorter than its tag")
	}
	n, err := encoding.KeyLen(t.distTypes, key[t.skip:])
	if err != nil {
		// The operator encoded the key itself: a bug.
		panic("mview: state key without its distribution columns: " + err.Error())
	}
	return vnodeOf(key[t.skip:t.skip+n], true)
}

// prefixed appends key, prefixed by its vnode, to buf.
func (t *vnodeTable) prefixed(buf, key []byte) []byte {
	return append(binary.BigEndian.AppendUint16(buf, t.vnode(key)), key...)
}

func (t *vnodeTable) Get(key []byte) ([]byte, bool, error) {
	t.buf = t.prefixed(t.buf[:0], key)
	return t.table.Get(t.buf)
}

func (t *vnodeTable) Put(key, value []byte) {
	t.buf = t.prefixed(t.buf[:0], key)
	t.table.Put(t.buf, value)
}

func (t *vnodeTable) Delete(key []byte) {
	t.buf = t.prefixed(t.buf[:0], key)
	t.table.Delete(t.buf)
}

// sortedPrefixed returns keys prefixed by their vnodes, and the order in
// which they ascend.
func (t *vnodeTable) sortedPrefixed(keys [][]byte) ([][]byte, []int) {
	prefixed := make([][]byte, len(keys))
	order := make([]int, len(keys))
	for i, k := range keys {
		prefixed[i] = t.prefixed(nil, k)
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bytes.Compare(prefixed[a], prefixed[b]) })
	sorted := make([][]byte, len(keys))
	for n, i := range order {
		sorted[n] = prefixed[i]
	}
	return sorted, order
}

// GetSorted is StateTable.GetSorted; keys need not ascend once prefixed,
// so they are looked up in the order they do, and fn is called in that
// order with each key's index in keys.
func (t *vnodeTable) GetSorted(keys [][]byte, fn func(i int, value []byte, ok bool) error) error {
	sorted, order := t.sortedPrefixed(keys)
	return t.table.GetSorted(sorted, func(n int, value []byte, ok bool) error {
		return fn(order[n], value, ok)
	})
}

// ScanPrefixes is StateTable.ScanPrefixes, the prefixes read in the order
// they ascend once prefixed, fn's i naming the prefix in prefixes and its
// key given without the vnode.
func (t *vnodeTable) ScanPrefixes(prefixes [][]byte, fn func(i int, key, value []byte) (bool, error)) error {
	sorted, order := t.sortedPrefixed(prefixes)
	return t.table.ScanPrefixes(sorted, func(n int, key, value []byte) (bool, error) {
		return fn(order[n], key[2:], value)
	})
}

func (t *vnodeTable) ScanPrefix(prefix []byte, fn func(key, value []byte) (bool, error)) error {
	return t.table.ScanPrefix(t.prefixed(nil, prefix), func(key, value []byte) (bool, error) {
		return fn(key[2:], value)
	})
}

// ScanPrefixFrom is ScanPrefix from key from (which starts with prefix)
// on.
func (t *vnodeTable) ScanPrefixFrom(prefix, from []byte, fn func(key, value []byte) (bool, error)) error {
	return t.table.Scan(t.prefixed(nil, from), storage.PrefixEnd(t.prefixed(nil, prefix)), func(key, value []byte) (bool, error) {
		return fn(key[2:], value)
	})
}

func (t *vnodeTable) ScanPrefixReverse(prefix []byte, fn func(key, value []byte) (bool, error)) error {
	return t.table.ScanPrefixReverse(t.prefixed(nil, prefix), func(key, value []byte) (bool, error) {
		return fn(key[2:], value)
	})
}

func (t *vnodeTable) Charge(n int64)              { t.table.Charge(n) }
func (t *vnodeTable) Flush(b *storage.EpochBatch) { t.table.Flush(b) }
