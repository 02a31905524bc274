package expr

import "testing"

func TestCLocaleCase(t *testing.T) {
	if got := asciiUpper("héllo"); got != "HéLLO" {
		t.Errorf("asciiUpper = %q", got)
	}
	if got := asciiLower("ÀÉÎ Ab"); got != "ÀÉÎ ab" {
		t.Errorf("asciiLower = %q", got)
	}
	if got := initcap("héllo wOrld 2nd"); got != "HéLlo World 2nd" {
		t.Errorf("initcap = %q", got)
	}
	for _, c := range []struct {
		pat, s string
		want   bool
	}{
		{"äbc", "ÄBC", false},
		{"abc", "xABCx", true},
		{"a[b-c]+", "ACB", true},
		{"^[^a]$", "A", false},
		{"^[^a]$", "b", true},
		{"^[^ä]$", "Ä", true},
		{"\\w+É", "abÉ", true},
	} {
		re, err := compileRegex(c.pat, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(c.s); got != c.want {
			t.Errorf("%q ~* %q = %v (via %s)", c.s, c.pat, got, re)
		}
	}
}
