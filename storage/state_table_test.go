package storage

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// tableContents returns the merged view of t as "k=v" lines, scanning in
// the given direction.
func tableContents(tb testing.TB, t *StateTable, lower, upper string, reverse bool) []string {
	tb.Helper()
	var out []string
	fn := func(k, v []byte) (bool, error) {
		out = append(out, fmt.Sprintf("%s=%s", k, v))
		return true, nil
	}
	var err error
	if reverse {
		err = t.ScanReverse([]byte(lower), []byte(upper), fn)
	} else {
		err = t.Scan([]byte(lower), []byte(upper), fn)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestStateTableLayers runs scripts of writes, flushes and commits, then
// checks the merged view. Each step is one word:
//
//	k=v      Put        -k       Delete
//	flush    Flush into the batch of the next epoch
//	commit   Commit that batch
//	drop     DeleteAll into the batch of the next epoch
func TestStateTableLayers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script string
		want   string
	}{
		{"dirty only", "b=1 a=1 c=1 b=2", "a=1 b=2 c=1"},
		{"committed only", "a=1 b=1 flush commit", "a=1 b=1"},
		{"pending only", "a=1 b=1 flush", "a=1 b=1"},
		{"dirty over pending", "a=1 b=1 flush b=2 c=2", "a=1 b=2 c=2"},
		{"dirty over committed", "a=1 b=1 flush commit a=2", "a=2 b=1"},
		{"pending over committed", "a=1 b=1 c=1 flush commit -a c=2 flush", "b=1 c=2"},
		{"three layers interleaved", "a=1 c=1 e=1 g=1 flush commit b=2 c=2 -e flush d=3 -g h=3 -c", "a=1 b=2 d=3 h=3"},
		{"dirty tombstone over pending", "a=1 flush -a", ""},
		{"dirty tombstone over committed", "a=1 b=1 flush commit -a", "b=1"},
		{"pending tombstone over committed", "a=1 flush commit -a flush", ""},
		{"put after delete", "a=1 flush commit -a a=2", "a=2"},
		{"delete of absent key", "-z a=1 flush commit -y", "a=1"},
		{"empty key and value", "=v a= flush commit", "=v a="},
		{"flush twice before commit", "a=1 flush b=2 flush -a commit flush", "b=2"},
		{"two epochs in flight", "a=1 b=1 flush c=1 -a flush commit", "b=1 c=1"},
		{"drop hides committed rows", "a=1 b=1 flush commit c=1 drop", ""},
		{"drop then writes", "a=1 flush commit drop b=2", "b=2"},
		{"drop then writes committed", "a=1 flush commit drop b=2 flush commit", "b=2"},
		{"drop committed then writes", "a=1 flush commit drop commit b=2 flush", "b=2"},
		{"drop with pending layer", "a=1 flush b=1 drop commit", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t, "")
			defer s.Close()
			// Neighbours on both sides that must never show through.
			commit(t, s, 1, func(b *EpochBatch) {
				for _, id := range []uint32{6, 8} {
					b.Set(append(TablePrefix(id), 'a'), []byte("neighbour"))
					b.Set(append(TablePrefix(id), 'z'), []byte("neighbour"))
				}
			})
			table := NewStateTable(s, 7)
			var queue []*EpochBatch
			nextEpoch := uint64(2)
			newBatch := func() *EpochBatch {
				b := s.NewEpochBatch(nextEpoch)
				nextEpoch++
				queue = append(queue, b)
				return b
			}
			for _, step := range strings.Fields(tc.script) {
				switch {
				case step == "flush":
					table.Flush(newBatch())
				case step == "drop":
					table.DeleteAll(newBatch())
				case step == "commit":
					if err := s.Commit(queue[0]); err != nil {
						t.Fatal(err)
					}
					queue = queue[1:]
				case strings.HasPrefix(step, "-"):
					table.Delete([]byte(step[1:]))
				default:
					k, v, _ := strings.Cut(step, "=")
					table.Put([]byte(k), []byte(v))
				}
			}
			want := strings.Fields(tc.want)
			if got := tableContents(t, table, "", "", false); !slices.Equal(got, want) {
				t.Fatalf("scan %q, want %q", got, want)
			}
			slices.Reverse(want)
			if got := tableContents(t, table, "", "", true); !slices.Equal(got, want) {
				t.Fatalf("reverse scan %q, want %q", got, want)
			}
			for _, line := range want {
				k, v, _ := strings.Cut(line, "=")
				got, ok, err := table.Get([]byte(k))
				if err != nil || !ok || string(got) != v {
					t.Fatalf("Get(%q) = %q, %v, %v; want %q", k, got, ok, err, v)
				}
			}
			// GetSorted of every key the script touched, present or not.
			slices.Reverse(want)
			wantValues := map[string]string{}
			for _, line := range want {
				k, v, _ := strings.Cut(line, "=")
				wantValues[k] = v
			}
			touched := map[string]bool{}
			for _, step := range strings.Fields(tc.script) {
				k, _, _ := strings.Cut(strings.TrimPrefix(step, "-"), "=")
				touched[k] = true
			}
			var keys [][]byte
			for _, k := range slices.Sorted(maps.Keys(touched)) {
				keys = append(keys, []byte(k))
			}
			err := table.GetSorted(keys, func(i int, got []byte, ok bool) error {
				want, wantOK := wantValues[string(keys[i])]
				if ok != wantOK || string(got) != want {
					return fmt.Errorf("GetSorted(%q) = %q, %v; want %q, %v", keys[i], got, ok, want, wantOK)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestStateTableModel drives state tables with random operations and checks
// every read against a plain map. Flushes and commits are interleaved so
// that reads cross the dirty, pending and committed layers, sometimes with
// two epochs in flight; the store is reopened at times to check that the
// committed state is what was flushed.
func TestStateTableModel(t *testing.T) {
	seeds := 20
	if testing.Short() || raceEnabled {
		seeds = 3
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			runStateTableModel(t, uint64(seed), 3000, 0)
		})
		// A state cache of a few entries, so that reads keep evicting
		// what flushes then update or miss.
		t.Run(fmt.Sprintf("%d/tiny-cache", seed), func(t *testing.T) {
			runStateTableModel(t, uint64(seed), 3000, 4*stateCacheShare*(cacheEntryOverhead+8))
		})
	}
}

func runStateTableModel(t *testing.T, seed uint64, steps int, memoryLimit int64) {
	rng := rand.New(rand.NewPCG(seed, 0))
	fs := vfs.NewMem()
	reopen := func() *Store {
		s, err := Open("db", Options{fs: fs, MemoryLimit: memoryLimit})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := reopen()
	defer func() { s.Close() }()

	// Three adjacent tables, so that scans must stay within their prefix.
	ids := []uint32{0x00ff, 0x0100, 0x0101}
	tables := make([]*StateTable, len(ids))
	models := make([]map[string]string, len(ids))
	for i, id := range ids {
		tables[i] = NewStateTable(s, id)
		models[i] = map[string]string{}
	}
	// Keys from a small alphabet so that writes collide, including the
	// empty key and bytes 0x00 and 0xff around prefix boundaries.
	alphabet := []string{"", "\x00", "a", "b", "\xff"}
	randKey := func() string {
		var sb strings.Builder
		for range rng.IntN(3) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return sb.String()
	}

	var queue []*EpochBatch
	nextEpoch := s.CommittedEpoch() + 1
	openBatch := func() *EpochBatch {
		if len(queue) == 0 || rng.IntN(4) == 0 {
			queue = append(queue, s.NewEpochBatch(nextEpoch))
			nextEpoch++
		}
		return queue[len(queue)-1]
	}
	commitOldest := func() {
		if err := s.Commit(queue[0]); err != nil {
			t.Fatal(err)
		}
		queue = queue[1:]
	}

	for step := range steps {
		i := rng.IntN(len(tables))
		table, model := tables[i], models[i]
		switch op := rng.IntN(100); {
		case op < 35:
			k, v := randKey(), fmt.Sprint(step)
			table.Put([]byte(k), []byte(v))
			model[k] = v
		case op < 50:
			k := randKey()
			table.Delete([]byte(k))
			delete(model, k)
		case op < 65:
			k := randKey()
			got, ok, err := table.Get([]byte(k))
			want, wantOK := model[k]
			if err != nil || ok != wantOK || string(got) != want {
				t.Fatalf("step %d: table %d Get(%q) = %q, %v, %v; want %q, %v", step, i, k, got, ok, err, want, wantOK)
			}
		case op < 68:
			// GetSorted over a sorted random set of keys, some absent.
			keys := map[string]bool{}
			for range 1 + rng.IntN(6) {
				keys[randKey()] = true
			}
			sorted := slices.Sorted(maps.Keys(keys))
			byteKeys := make([][]byte, len(sorted))
			for j, k := range sorted {
				byteKeys[j] = []byte(k)
			}
			err := table.GetSorted(byteKeys, func(j int, got []byte, ok bool) error {
				want, wantOK := model[sorted[j]]
				if ok != wantOK || string(got) != want {
					return fmt.Errorf("GetSorted key %q = %q, %v; want %q, %v", sorted[j], got, ok, want, wantOK)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("step %d: table %d: %v", step, i, err)
			}
		case op < 72:
			// ScanPrefixes over a few sorted prefixes through one iterator.
			prefixes := map[string]bool{}
			for range 1 + rng.IntN(4) {
				prefixes[randKey()] = true
			}
			sorted := slices.Sorted(maps.Keys(prefixes))
			byteKeys := make([][]byte, len(sorted))
			for j, k := range sorted {
				byteKeys[j] = []byte(k)
			}
			got := make([][]string, len(sorted))
			err := table.ScanPrefixes(byteKeys, func(j int, k, v []byte) (bool, error) {
				got[j] = append(got[j], fmt.Sprintf("%s=%s", k, v))
				return true, nil
			})
			if err != nil {
				t.Fatalf("step %d: table %d: %v", step, i, err)
			}
			for j, prefix := range sorted {
				if want := modelScan(model, prefix, string(PrefixEnd([]byte(prefix))), false); !slices.Equal(got[j], want) {
					t.Fatalf("step %d: table %d ScanPrefixes %q = %q, want %q", step, i, prefix, got[j], want)
				}
			}
		case op < 80:
			lower, upper := randKey(), randKey()
			if rng.IntN(2) == 0 {
				// ScanPrefix over a random prefix.
				upper = string(PrefixEnd([]byte(lower)))
			}
			reverse := rng.IntN(2) == 0
			got := tableContents(t, table, lower, upper, reverse)
			want := modelScan(model, lower, upper, reverse)
			if !slices.Equal(got, want) {
				t.Fatalf("step %d: table %d scan [%q, %q) reverse=%v = %q, want %q", step, i, lower, upper, reverse, got, want)
			}
		case op < 88:
			table.Flush(openBatch())
		case op < 96:
			if len(queue) > 0 {
				commitOldest()
			}
		case op < 97:
			table.DeleteAll(openBatch())
			clear(model)
		default:
			// Commit everything and reopen: what is committed must be what
			// the model holds.
			b := openBatch()
			for _, table := range tables {
				table.Flush(b)
			}
			for len(queue) > 0 {
				commitOldest()
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = reopen()
			nextEpoch = s.CommittedEpoch() + 1
			for i, id := range ids {
				tables[i] = NewStateTable(s, id)
				if got, want := tableContents(t, tables[i], "", "", false), modelScan(models[i], "", "", false); !slices.Equal(got, want) {
					t.Fatalf("step %d: after reopen table %d = %q, want %q", step, i, got, want)
				}
			}
		}
	}
}

func modelScan(model map[string]string, lower, upper string, reverse bool) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(model)) {
		if k >= lower && (upper == "" || k < upper) {
			out = append(out, k+"="+model[k])
		}
	}
	if reverse {
		slices.Reverse(out)
	}
	return out
}

func TestStateTableScanStopsAndReportsErrors(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	table := NewStateTable(s, 1)
	for _, k := range []string{"a", "b", "c"} {
		table.Put([]byte(k), []byte(k))
	}
	b := s.NewEpochBatch(1)
	table.Flush(b)
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	table.Put([]byte("ab"), []byte("ab"))
	var seen []string
	err := table.ScanPrefix([]byte("a"), func(k, v []byte) (bool, error) {
		seen = append(seen, string(k))
		return len(seen) < 1, nil
	})
	if err != nil || !slices.Equal(seen, []string{"a"}) {
		t.Fatalf("stopped scan saw %q, err %v", seen, err)
	}
	errStop := errors.New("stop")
	if err := table.Scan(nil, nil, func(k, v []byte) (bool, error) { return true, errStop }); !errors.Is(err, errStop) {
		t.Fatalf("scan error %v, want %v", err, errStop)
	}
}
