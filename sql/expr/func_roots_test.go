package expr

import (
	"strconv"
	"testing"
)

func TestGlibcCbrt(t *testing.T) {
	for x, want := range map[float64]string{27: "3.0000000000000004", -8: "-2", 2: "1.2599210498948734", 1: "1", 0.001: "0.1"} {
		if got := strconv.FormatFloat(glibcCbrt(x), 'g', -1, 64); got != want {
			t.Errorf("cbrt(%v) = %s, want %s", x, got, want)
		}
	}
}
