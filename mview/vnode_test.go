package mview

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
	"github.com/eddy-db/eddy/storage"
)

// TestVnodeTablePrefixesKeys checks that a vnodeTable stores each key after
// the vnode of its distribution columns, and that gets and prefix scans,
// whose prefixes cover those columns, see the keys without it.
func TestVnodeTablePrefixesKeys(t *testing.T) {
	store, err := storage.Open("mem", storage.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	const tableID = 7
	// Keys as a join side lays them out: join key (text), then stream key
	// (bigint), after a one-byte tag as the aggregate's values table has.
	vt := newVnodeTable(storage.NewStateTable(store, tableID), []types.T{types.Text}, 1)
	key := func(group string, id int64) []byte {
		return encoding.EncodeKey([]byte{9}, []types.T{types.Text, types.Int64}, []types.Datum{group, id})
	}
	prefix := func(group string) []byte {
		return encoding.EncodeKey([]byte{9}, []types.T{types.Text}, []types.Datum{group})
	}
	groups := []string{"a", "b", "c", "d", "e", "f"}
	for _, g := range groups {
		for id := range int64(3) {
			vt.Put(key(g, id), []byte(g))
		}
	}
	b := store.NewEpochBatch(1)
	vt.Flush(b)
	if err := store.Commit(b); err != nil {
		t.Fatal(err)
	}
	// In storage each key starts with the vnode of its group.
	vnodes := map[uint16]bool{}
	err = store.Scan(storage.TablePrefix(tableID), storage.PrefixEnd(storage.TablePrefix(tableID)), func(k, v []byte) (bool, error) {
		k = k[len(storage.TablePrefix(tableID)):]
		vnode := binary.BigEndian.Uint16(k)
		if want := vnodeOf(prefix(string(v))[1:], true); vnode != want {
			t.Errorf("key %x of group %s stored at vnode %d, want %d", k, v, vnode, want)
		}
		if vnode >= VnodeCount {
			t.Errorf("vnode %d out of range", vnode)
		}
		vnodes[vnode] = true
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(vnodes) < 2 {
		t.Errorf("six groups all on vnode %v", vnodes)
	}
	if v, ok, err := vt.Get(key("c", 2)); err != nil || !ok || string(v) != "c" {
		t.Errorf("Get = %q, %v, %v", v, ok, err)
	}
	var prefixes [][]byte
	for _, g := range groups {
		prefixes = append(prefixes, prefix(g))
	}
	seen := make([]int, len(groups))
	err = vt.ScanPrefixes(prefixes, func(i int, k, v []byte) (bool, error) {
		if !bytes.HasPrefix(k, prefixes[i]) || string(v) != groups[i] {
			return false, fmt.Errorf("prefix %d (%s) scanned key %x value %q", i, groups[i], k, v)
		}
		seen[i]++
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range seen {
		if n != 3 {
			t.Errorf("group %s: %d keys scanned, want 3", groups[i], n)
		}
	}
	found := 0
	err = vt.GetSorted([][]byte{key("a", 0), key("f", 1), key("z", 0)}, func(i int, v []byte, ok bool) error {
		if want := []bool{true, true, false}[i]; ok != want {
			t.Errorf("GetSorted key %d: ok %v", i, ok)
		}
		if ok {
			found++
		}
		return nil
	})
	if err != nil || found != 2 {
		t.Fatalf("GetSorted found %d, %v", found, err)
	}
}

// TestInstancesOwnContiguousVnodeRanges checks that every vnode has one
// owner among n instances, each owning one contiguous, non-empty range.
func TestInstancesOwnContiguousVnodeRanges(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 7, 256} {
		last := -1
		for v := range uint16(VnodeCount) {
			i := instanceOf(v, n)
			if i != last && i != last+1 {
				t.Fatalf("n=%d: vnode %d owned by %d after %d", n, v, i, last)
			}
			last = i
		}
		if last != n-1 {
			t.Fatalf("n=%d: last instance owning vnodes is %d", n, last)
		}
	}
}
