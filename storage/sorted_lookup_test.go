package storage

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStoreGetSorted checks GetSorted against Get over committed keys, with
// absent keys between, before and after them and an empty value.
func TestStoreGetSorted(t *testing.T) {
	s := openTestStore(t, "")
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	commit(t, s, 1, func(b *EpochBatch) {
		for i := 0; i < 200; i += 2 {
			value := fmt.Appendf(nil, "v%d", i)
			if i == 40 {
				value = nil
			}
			b.Set(fmt.Appendf(nil, "k%03d", i), value)
		}
	})
	for range 20 {
		var keys [][]byte
		for range rng.IntN(30) {
			keys = append(keys, fmt.Appendf(nil, "k%03d", rng.IntN(210)))
		}
		keys = append(keys, []byte("a"), []byte("z"))
		slices.SortFunc(keys, func(a, b []byte) int { return slices.Compare(a, b) })
		var readers = []Reader{s, readerOnly{s}}
		for _, r := range readers {
			err := GetSorted(r, keys, func(i int, got []byte, ok bool) error {
				want, wantOK, err := s.Get(keys[i])
				if err != nil || ok != wantOK || string(got) != string(want) {
					return fmt.Errorf("%T: GetSorted(%q) = %q, %v; Get = %q, %v, %v", r, keys[i], got, ok, want, wantOK, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// readerOnly hides the SortedGetter of a Reader, for the fallback.
type readerOnly struct{ Reader }
