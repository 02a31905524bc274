package expr

import (
	"testing"

	"github.com/eddy-db/eddy/sql/types"
)

// Expected outputs are PostgreSQL 15's.
func TestNumericToChar(t *testing.T) {
	for _, c := range []struct{ n, format, want string }{
		{"1234.5", "9999.99", " 1234.50"},
		{"1234.5", "FM9,999.00", "1,234.50"},
		{"-5", "999", "  -5"},
		{"42", "00000", " 00042"},
		{"0", "999", "   0"},
		{"0.5", "9.99", "  .50"},
		{"0.5", "0.99", " 0.50"},
		{"12345", "999", " ###"},
		{"5", "FM999.99", "5."},
		{"-1234.567", "9G999D99", "-1,234.57"},
		{"12", "9,999", "    12"},
		{"-12", "S999", " -12"},
		{"-12", "999MI", " 12-"},
		{"-0.5", "9.9", " -.5"},
		{"3", "9th", " 3rd"},
		{"12", `"n="99`, "n= 12"},
	} {
		d, err := types.ParseNumeric(c.n)
		if err != nil {
			t.Fatal(err)
		}
		got, err := numericToChar(d, c.format)
		if err != nil {
			t.Errorf("to_char(%s, %q): %v", c.n, c.format, err)
			continue
		}
		if got != c.want {
			t.Errorf("to_char(%s, %q) = %q, want %q", c.n, c.format, got, c.want)
		}
	}
}
