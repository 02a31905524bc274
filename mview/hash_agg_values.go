package mview

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// This file keeps HashAgg's value multisets (the values state table) and
// the min/max extremes read from them.
//
// # Batched count changes
//
// A row does not read or write the values table. Its +1 or -1 joins the
// epoch's net change of that value (valueChange, in memory, coalesced by
// key); at the barrier the changes are sorted and their stored counts read
// with one forward iterator (StateTable.GetSorted), and the new counts are
// written. The stored value of a key is its count and the args of the last
// row that touched it, as when every row wrote through.
//
// A DISTINCT aggregate that is folded (count, sum, …) must see each row's
// count before it, so a multiset read by one loads a value's stored count
// on the value's first change in the epoch instead.
//
// # The count cache
//
// A group that starts in memory (no stored state) has empty multisets, so
// the operator can know every count of it without reading storage: such a
// group keeps its counts in memory (aggGroup.counts) and its values need no
// lookup until the barrier forgets the group. The cache is bounded (maxCachedCounts entries over all groups):
// a group whose counts would pass the bound drops them and reads storage
// from then on, as does a group loaded from state.
//
// # Extremes
//
// min and max keep their current value and its key (the EncodeKey of the
// value, the order of the multiset) in the group. At the barrier a value
// whose count rises above zero replaces the extreme if it lies beyond it;
// the multiset is scanned only when the extreme's count dropped to zero or
// the group was loaded with an extreme that cannot be trusted.

// valueChange is the epoch's net change to one value's count in one
// multiset (an owner aggregate's, in one group).
type valueChange struct {
	key []byte // the values table key: owner byte, group key, args key
	// id is key as a string, for the maps.
	id    string
	group *aggGroup
	owner int
	// args are those of the last row that changed the value.
	args  []types.Datum
	delta int64
	// base is the stored count before the epoch, once loaded.
	base   int64
	loaded bool
}

// argsKey is the part of the key after the owner byte and the group key:
// the args' EncodeKey, which orders the multiset.
func (c *valueChange) argsKey() []byte { return c.key[1+len(c.group.key):] }

// extreme is a min or max aggregate's current value in one group.
type extreme struct {
	// key is the EncodeKey of value; nil when the multiset is empty.
	key   []byte
	value types.Datum
	// stale is set when the value may no longer be the extreme: it left
	// the multiset, or the group's state could not vouch for it.
	stale bool
}

// changeValue adds sign to the count of args in aggregate k's multiset of
// g. It returns the count before the change when the multiset's counts are
// read row by row (needsBefore), and 0 otherwise.
func (h *HashAgg) changeValue(k int, g *aggGroup, args []types.Datum, sign int64) (int64, error) {
	h.valueKeyBuf = encoding.EncodeKey(valuePrefix(h.valueKeyBuf[:0], k, g), h.argTypes[k], args)
	c, ok := h.changes[string(h.valueKeyBuf)]
	if !ok {
		c = &valueChange{id: string(h.valueKeyBuf), key: bytes.Clone(h.valueKeyBuf), group: g, owner: k}
		h.values.Charge(int64(192 + 2*len(c.key) + 32*len(args)))
		h.changes[c.id] = c
		h.changeList = append(h.changeList, c)
		if g.counts != nil {
			c.base, c.loaded = g.counts[c.id], true
		}
	}
	c.args = append(c.args[:0], args...)
	if !h.needsBefore[k] {
		c.delta += sign
		return 0, nil
	}
	if !c.loaded {
		raw, ok, err := h.values.Get(c.key)
		if err != nil {
			return 0, err
		}
		if err := c.load(raw, ok); err != nil {
			return 0, err
		}
	}
	before := c.base + c.delta
	if before+sign < 0 {
		return before, errRetractionNeverAdded(h.calls[k].Name)
	}
	c.delta += sign
	return before, nil
}

func (c *valueChange) load(raw []byte, ok bool) error {
	c.loaded = true
	if !ok {
		return nil
	}
	count, n := binary.Varint(raw)
	if n <= 0 {
		return fmt.Errorf("mview: corrupt value count at %x", c.key)
	}
	c.base = count
	return nil
}

func errRetractionNeverAdded(name string) error {
	return pgerror.Internal("aggregate %s: retraction of a value never added", name)
}

// applyValueChanges writes the epoch's count changes into the values table
// and moves the extremes of the groups they touch. Call it at the barrier,
// before the groups settle.
func (h *HashAgg) applyValueChanges() error {
	if len(h.changeList) == 0 {
		return nil
	}
	changes := h.changeList
	defer func() {
		h.changes = clearedMap(h.changes)
		h.changeList = clearedSlice(h.changeList)
	}()
	slices.SortFunc(changes, func(a, b *valueChange) int { return bytes.Compare(a.key, b.key) })
	var keys [][]byte
	var toLoad []*valueChange
	for _, c := range changes {
		if !c.loaded {
			keys, toLoad = append(keys, c.key), append(toLoad, c)
		}
	}
	err := h.values.GetSorted(keys, func(i int, raw []byte, ok bool) error {
		return toLoad[i].load(raw, ok)
	})
	if err != nil {
		return err
	}
	var firstErr error
	for _, c := range changes {
		after := c.base + c.delta
		h.cacheCount(c, after)
		switch {
		case after > 0:
			h.values.Put(c.key, encoding.EncodeRow(binary.AppendVarint(h.valueBuf[:0], after), h.argTypes[c.owner], c.args))
		case after == 0:
			if c.base > 0 {
				h.values.Delete(c.key)
			}
		default:
			if firstErr == nil {
				firstErr = errRetractionNeverAdded(h.calls[c.owner].Name)
			}
			continue
		}
		for _, k := range h.extremeReaders[c.owner] {
			c.group.extremes[k].apply(c.argsKey(), c.args[0], after, h.calls[k].Name == "max")
		}
	}
	return firstErr
}

// cacheCount records a value's new count in its group's count cache, or
// drops the cache when it is full.
func (h *HashAgg) cacheCount(c *valueChange, after int64) {
	g := c.group
	if g.counts == nil {
		return
	}
	_, had := g.counts[c.id]
	switch {
	case after > 0 && had:
		g.counts[c.id] = after
	case after > 0 && h.cachedCounts < h.maxCachedCounts:
		g.counts[c.id] = after
		h.cachedCounts++
	case after > 0:
		h.dropCounts(g)
	case had:
		delete(g.counts, c.id)
		h.cachedCounts--
	}
}

// dropCounts drops a group's count cache; its counts are read from
// storage from then on.
func (h *HashAgg) dropCounts(g *aggGroup) {
	h.cachedCounts -= len(g.counts)
	g.counts = nil
}

// apply moves the extreme for a value whose count is now after.
func (e *extreme) apply(key []byte, value types.Datum, after int64, isMax bool) {
	switch {
	case e.key == nil && e.stale:
		return // unknown until the scan at settle
	case e.key == nil:
		// An empty multiset: the first value is the extreme.
		if after > 0 {
			e.key, e.value = bytes.Clone(key), value
		}
		return
	}
	c := bytes.Compare(key, e.key)
	switch {
	case c == 0 && after > 0:
		// The stored value of the key is now this row's (equal keys may
		// print differently: 1.0 and 1.00).
		e.value = value
	case c == 0:
		e.stale = true
	case after > 0 && (c < 0) != isMax:
		// Beyond the old extreme, which was beyond every other value: the
		// new extreme even when the old one left.
		e.key, e.value, e.stale = bytes.Clone(key), value, false
	}
}

// extremeResult returns min or max aggregate k of g, scanning the multiset
// when the extreme is stale.
func (h *HashAgg) extremeResult(k int, g *aggGroup) (types.Datum, error) {
	e := &g.extremes[k]
	if !e.stale {
		return e.value, nil
	}
	prefix := valuePrefix(nil, h.owner[k], g)
	scan := h.values.ScanPrefix
	if h.calls[k].Name == "max" {
		scan = h.values.ScanPrefixReverse
	}
	*e = extreme{}
	err := scan(prefix, func(key, value []byte) (bool, error) {
		_, n := binary.Varint(value)
		if n <= 0 {
			return false, fmt.Errorf("mview: corrupt value in group %x", g.key)
		}
		args, err := encoding.DecodeRow(h.argTypes[k], value[n:])
		if err != nil {
			return false, err
		}
		e.key, e.value = bytes.Clone(key[len(prefix):]), args[0]
		return false, nil
	})
	return e.value, err
}

// loadExtremes sets the extremes of a group read from state: the results
// it last emitted are its extremes when the result type is the argument
// type (so the value round-trips to the same key); otherwise, or when the
// group was never emitted with a value, the first settle scans.
func (h *HashAgg) loadExtremes(g *aggGroup, stored bool) {
	for k := range h.calls {
		if !h.isExtreme[k] {
			continue
		}
		e := &g.extremes[k]
		switch {
		case !stored:
			// A new group: its multisets are empty.
		case g.emitted && g.results[k] == nil:
			// Emitted NULL: no non-NULL value, so an empty multiset.
		case g.emitted && h.argTypes[k][0] == h.resultTypes[k]:
			e.value = g.results[k]
			e.key = encoding.AppendKey(nil, h.argTypes[k][0], e.value)
		default:
			e.stale = true
		}
	}
}
