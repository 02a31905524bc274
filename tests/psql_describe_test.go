package tests

import (
	"regexp"
	"strings"
	"testing"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestPsqlDescribe checks what psql's \dt+, \dm+ and \d+ show of
// relations with comments (COMMENT ON, through pg_description and
// obj_description/col_description) and with rows: sizes come from
// storage, so a table or view that holds rows is never "0 bytes", and a
// comment survives a restart.
func TestPsqlDescribe(t *testing.T) {
	s := harness.StartEddy(t, harness.Options{})
	setup := []string{
		`CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric)`,
		`INSERT INTO accounts SELECT g, 'owner ' || g, g * 10 FROM generate_series(1, 2000) g`,
		`CREATE TABLE empty_table (x int)`,
		`CREATE MATERIALIZED VIEW balances AS SELECT owner, sum(balance) AS total FROM accounts GROUP BY owner`,
		`COMMENT ON TABLE accounts IS 'one row per account'`,
		`COMMENT ON COLUMN accounts.balance IS 'in cents'`,
		`COMMENT ON MATERIALIZED VIEW balances IS 'total per owner'`,
		`COMMENT ON COLUMN balances.total IS 'sum of balances'`,
		`FLUSH`,
	}
	for _, stmt := range setup {
		if _, errOut, err := psql(t, s, "-c", stmt); err != nil {
			t.Fatalf("%s: %v\n%s", stmt, err, errOut)
		}
	}
	// Schema|Name|Type|Owner|Persistence|Access method|Size|Description
	sized := func(name, kind, description string) *regexp.Regexp {
		return regexp.MustCompile(`^public\|` + name + `\|` + kind + `\|eddy\|permanent\|heap\|([1-9][0-9]* (bytes|kB|MB))\|` + regexp.QuoteMeta(description) + `$`)
	}
	cases := []struct {
		command string
		want    []string
		match   []*regexp.Regexp
	}{
		{command: `\dt+`,
			match: []*regexp.Regexp{sized("accounts", "table", "one row per account")},
			want:  []string{"public|empty_table|table|eddy|permanent|heap|0 bytes|"}},
		{command: `\dm+`, match: []*regexp.Regexp{sized("balances", "materialized view", "total per owner")}},
		{command: `\d+ accounts`, want: []string{
			"id|integer||not null||plain|||",
			"owner|text||not null||extended|||",
			"balance|numeric||||main|||in cents",
		}},
		{command: `\d+ balances`, want: []string{
			"owner|text||||extended|||",
			"total|numeric||||main|||sum of balances",
		}},
	}
	check := func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.command, func(t *testing.T) {
				out, errOut, err := psql(t, s, "-c", c.command)
				if err != nil || strings.Contains(errOut, "ERROR") {
					t.Fatalf("%s: %v\n%s", c.command, err, errOut)
				}
				lines := strings.Split(out, "\n")
				for _, w := range c.want {
					if !containsLine(lines, w) {
						t.Errorf("%s: missing line %q in:\n%s", c.command, w, out)
					}
				}
				for _, re := range c.match {
					found := false
					for _, l := range lines {
						found = found || re.MatchString(l)
					}
					if !found {
						t.Errorf("%s: no line matches %s in:\n%s", c.command, re, out)
					}
				}
			})
		}
	}
	t.Run("live", check)
	s.Restart(t)
	t.Run("after restart", check)

	t.Run("comment dropped", func(t *testing.T) {
		if _, errOut, err := psql(t, s, "-c", `COMMENT ON COLUMN accounts.balance IS NULL`); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		out, errOut, err := psql(t, s, "-c", `\d+ accounts`)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if !containsLine(strings.Split(out, "\n"), "balance|numeric||||main|||") {
			t.Errorf("comment still shown after IS NULL:\n%s", out)
		}
	})
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
