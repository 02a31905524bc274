package storage

import (
	"bytes"
	"errors"

	"github.com/cockroachdb/pebble/v2"
)

// SortedLookup reads many keys in ascending order through one Pebble
// iterator that only seeks forward. A Get sets up an iterator per key;
// reads batched into key order (an operator's reads at a barrier, the
// duplicate-key checks of a multi-row INSERT) skip that and let Pebble step
// from one key to the next.
type SortedLookup struct {
	r      pebbleReader
	opts   pebble.IterOptions
	it     *pebble.Iterator
	closed bool
}

func newSortedLookup(r pebbleReader, lower, upper []byte) *SortedLookup {
	return &SortedLookup{r: r, opts: pebble.IterOptions{LowerBound: lower, UpperBound: upper}}
}

// NewSortedLookup returns a SortedLookup over the latest committed state.
func (s *Store) NewSortedLookup() *SortedLookup { return newSortedLookup(s.db, nil, nil) }

// Get returns the value of key, which must not sort before the key of the
// previous call. The value is valid until the next call or Close.
func (l *SortedLookup) Get(key []byte) ([]byte, bool, error) {
	if l.it == nil {
		it, err := l.r.NewIter(&l.opts)
		if err != nil {
			return nil, false, err
		}
		l.it = it
	}
	// With the default comparer a key is its own prefix, so a prefix seek
	// is an exact lookup that consults the sstables' bloom filters: an
	// absent key, the common case of a new group or join key, skips every
	// table whose filter rules it out instead of reading a block of each.
	if !l.it.SeekPrefixGE(key) || !bytes.Equal(l.it.Key(), key) {
		return nil, false, l.it.Error()
	}
	v, err := l.it.ValueAndErr()
	if v == nil && err == nil {
		v = []byte{}
	}
	return v, err == nil, err
}

// Close releases the iterator.
func (l *SortedLookup) Close() error {
	if l.it == nil || l.closed {
		return nil
	}
	l.closed = true
	return errors.Join(l.it.Error(), l.it.Close())
}

// SortedGetter is a Reader that looks up many keys in one pass.
type SortedGetter interface {
	// GetSorted calls fn once for each of keys, which must be in ascending
	// order, with its value, or ok false for an absent key. The calls may
	// come in any order; the value is valid only during the call.
	GetSorted(keys [][]byte, fn func(i int, value []byte, ok bool) error) error
}

// GetSorted looks up keys, in ascending order, in r: in one pass when r is
// a SortedGetter, otherwise one Get at a time.
func GetSorted(r Reader, keys [][]byte, fn func(i int, value []byte, ok bool) error) error {
	if sg, ok := r.(SortedGetter); ok {
		return sg.GetSorted(keys, fn)
	}
	for i, key := range keys {
		v, ok, err := r.Get(key)
		if err != nil {
			return err
		}
		if err := fn(i, v, ok); err != nil {
			return err
		}
	}
	return nil
}

// GetSorted implements SortedGetter on the latest committed state.
func (s *Store) GetSorted(keys [][]byte, fn func(i int, value []byte, ok bool) error) (err error) {
	l := s.NewSortedLookup()
	defer func() { err = errors.Join(err, l.Close()) }()
	for i, key := range keys {
		v, ok, err := l.Get(key)
		if err != nil {
			return err
		}
		if err := fn(i, v, ok); err != nil {
			return err
		}
	}
	return nil
}

var (
	_ SortedGetter = (*Store)(nil)
	_ SortedGetter = overlayReader{}
)
