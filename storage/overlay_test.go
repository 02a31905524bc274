package storage

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"
)

// TestOverlayMatchesModel writes random keys to a store and to an overlay
// over it, and checks Get, GetSorted, Scan and ScanReverse against a map
// model.
func TestOverlayMatchesModel(t *testing.T) {
	s, err := Open(t.TempDir(), Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewSource(7))
	model := map[string]string{}
	b := s.NewEpochBatch(1)
	for i := 0; i < 200; i++ {
		k := fmt.Sprintf("k%03d", rng.Intn(300))
		b.Set([]byte(k), []byte("base"+k))
		model[k] = "base" + k
	}
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	o := NewOverlay()
	for i := 0; i < 200; i++ {
		k := fmt.Sprintf("k%03d", rng.Intn(300))
		if rng.Intn(3) == 0 {
			o.Delete([]byte(k))
			delete(model, k)
		} else {
			o.Set([]byte(k), []byte("new"+k))
			model[k] = "new" + k
		}
	}
	r := o.Over(s)
	for i := 0; i < 300; i++ {
		k := fmt.Sprintf("k%03d", i)
		v, ok, err := r.Get([]byte(k))
		if err != nil {
			t.Fatal(err)
		}
		if want, wok := model[k]; ok != wok || string(v) != want {
			t.Fatalf("Get(%s) = %q %v, want %q %v", k, v, ok, want, wok)
		}
	}
	var keys [][]byte
	for i := 0; i < 300; i++ {
		keys = append(keys, fmt.Appendf(nil, "k%03d", i))
	}
	calls := 0
	err = GetSorted(r, keys, func(i int, v []byte, ok bool) error {
		calls++
		if want, wok := model[string(keys[i])]; ok != wok || string(v) != want {
			return fmt.Errorf("GetSorted(%s) = %q %v, want %q %v", keys[i], v, ok, want, wok)
		}
		return nil
	})
	if err != nil || calls != len(keys) {
		t.Fatalf("GetSorted: %v after %d calls of %d", err, calls, len(keys))
	}
	var want []string
	for k := range model {
		if k >= "k050" && k < "k250" {
			want = append(want, k+"="+model[k])
		}
	}
	sort.Strings(want)
	for _, reverse := range []bool{false, true} {
		var got []string
		scan := r.Scan
		if reverse {
			scan = r.ScanReverse
		}
		if err := scan([]byte("k050"), []byte("k250"), func(k, v []byte) (bool, error) {
			got = append(got, string(k)+"="+string(v))
			return true, nil
		}); err != nil {
			t.Fatal(err)
		}
		if reverse {
			sort.Strings(got)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("reverse=%v scan = %v\nwant %v", reverse, got, want)
		}
	}
}
