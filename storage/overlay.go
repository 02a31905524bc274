package storage

import (
	"bytes"

	"github.com/RaduBerinde/btreemap"
)

// Overlay is an ordered set of writes not yet committed — values and
// tombstones keyed by full storage keys — that reads merge over a base
// Reader. A transaction keeps its writes in one until COMMIT so that its
// own statements read them. An Overlay is not safe for concurrent use.
type Overlay struct {
	tree *btreemap.BTreeMap[[]byte, overlayValue]
}

type overlayValue struct {
	value   []byte
	deleted bool
}

// NewOverlay returns an empty overlay.
func NewOverlay() *Overlay {
	return &Overlay{tree: btreemap.New[[]byte, overlayValue](16, bytes.Compare)}
}

// Set records a value for key; both are copied.
func (o *Overlay) Set(key, value []byte) {
	o.tree.ReplaceOrInsert(bytes.Clone(key), overlayValue{value: bytes.Clone(value)})
}

// Delete records a tombstone for key.
func (o *Overlay) Delete(key []byte) {
	o.tree.ReplaceOrInsert(bytes.Clone(key), overlayValue{deleted: true})
}

// Clone returns a copy of the overlay that later writes to either one do
// not reach. It is copy-on-write, so cheap: a savepoint or a cursor takes
// one to keep the writes as they are now.
func (o *Overlay) Clone() *Overlay { return &Overlay{tree: o.tree.Clone()} }

// Len is the number of keys written.
func (o *Overlay) Len() int { return o.tree.Len() }

// Over returns a Reader of base with the overlay's writes applied.
func (o *Overlay) Over(base Reader) Reader { return overlayReader{o: o, base: base} }

type overlayReader struct {
	o    *Overlay
	base Reader
}

func (r overlayReader) Get(key []byte) ([]byte, bool, error) {
	if _, v, ok := r.o.tree.Get(key); ok {
		return bytes.Clone(v.value), !v.deleted, nil
	}
	return r.base.Get(key)
}

// GetSorted implements SortedGetter: the overlay's keys, then the others in
// one pass over the base.
func (r overlayReader) GetSorted(keys [][]byte, fn func(i int, value []byte, ok bool) error) error {
	var missing [][]byte
	var missingAt []int
	for i, key := range keys {
		_, v, ok := r.o.tree.Get(key)
		if !ok {
			missing, missingAt = append(missing, key), append(missingAt, i)
			continue
		}
		if err := fn(i, v.value, !v.deleted); err != nil {
			return err
		}
	}
	return GetSorted(r.base, missing, func(i int, value []byte, ok bool) error {
		return fn(missingAt[i], value, ok)
	})
}

func (r overlayReader) Scan(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return r.scan(lower, upper, false, fn)
}

func (r overlayReader) ScanReverse(lower, upper []byte, fn func(key, value []byte) (bool, error)) error {
	return r.scan(lower, upper, true, fn)
}

func (r overlayReader) scan(lower, upper []byte, reverse bool, fn func(key, value []byte) (bool, error)) error {
	lo, hi := btreemap.Min[[]byte](), btreemap.Max[[]byte]()
	if len(lower) > 0 {
		lo = btreemap.GE(lower)
	}
	if len(upper) > 0 {
		hi = btreemap.LT(upper)
	}
	var keys [][]byte
	var vals []overlayValue
	for k, v := range r.o.tree.Ascend(lo, hi) {
		keys, vals = append(keys, k), append(vals, v)
	}
	if reverse {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
			vals[i], vals[j] = vals[j], vals[i]
		}
	}
	return MergeScan(keys, func(i int) ([]byte, bool) { return vals[i].value, vals[i].deleted },
		reverse, fn, func(f func(key, value []byte) (bool, error)) error {
			if reverse {
				return r.base.ScanReverse(lower, upper, f)
			}
			return r.base.Scan(lower, upper, f)
		})
}

// MergeScan calls fn for the union of a base scan and a sorted list of
// overlay keys (in the scan's direction), where the overlay's entry wins
// for a key in both and a tombstone hides the key. entry(i) gives the i-th
// overlay key's value and whether it is a tombstone; scanBase runs the base
// scan with the callback it is given.
func MergeScan(keys [][]byte, entry func(i int) (value []byte, deleted bool), reverse bool,
	fn func(key, value []byte) (bool, error), scanBase func(func(key, value []byte) (bool, error)) error) error {
	before := func(a, b []byte) bool {
		if reverse {
			return bytes.Compare(a, b) > 0
		}
		return bytes.Compare(a, b) < 0
	}
	next := 0
	more := true
	emitOverlay := func(untilKey []byte) error {
		for more && next < len(keys) && (untilKey == nil || before(keys[next], untilKey)) {
			if v, deleted := entry(next); !deleted {
				var err error
				if more, err = fn(keys[next], v); err != nil {
					return err
				}
			}
			next++
		}
		return nil
	}
	err := scanBase(func(key, value []byte) (bool, error) {
		if err := emitOverlay(key); err != nil || !more {
			return false, err
		}
		if next < len(keys) && bytes.Equal(keys[next], key) {
			v, deleted := entry(next)
			next++
			if deleted {
				return true, nil
			}
			value = v
		}
		var err error
		more, err = fn(key, value)
		return more, err
	})
	if err != nil {
		return err
	}
	return emitOverlay(nil)
}
