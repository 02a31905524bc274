package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/tests/harness"
)

// serverLogLines returns the lines the server wrote, without the lines the
// harness writes before each start ("==== time: command").
func serverLogLines(t *testing.T, s *harness.Server) []string {
	t.Helper()
	data, err := os.ReadFile(s.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if !strings.HasPrefix(l, "==== ") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestLogs: every line the server writes is one slog text record; schema
// changes, view builds and recovery each get one; a client that vanishes
// mid-query is no internal error.
func TestLogs(t *testing.T) {
	eddyOnlyTest(t)
	s := harness.StartEddy(t, harness.Options{})
	conn := s.Conn(t)
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%.80s: %v", sql, err)
		}
	}
	exec("CREATE TABLE logged (k int PRIMARY KEY, v text)")
	for batch := 0; batch < 30; batch++ {
		rows := make([]string, 100)
		for i := range rows {
			rows[i] = fmt.Sprintf("(%d, 'row %d')", batch*100+i+1, batch*100+i+1)
		}
		exec("INSERT INTO logged VALUES " + strings.Join(rows, ", "))
	}
	exec("CREATE MATERIALIZED VIEW logged_total AS SELECT count(*) AS n FROM logged")
	exec("DROP MATERIALIZED VIEW logged_total")
	exec("CREATE MATERIALIZED VIEW logged_long AS SELECT k FROM logged WHERE length(v) > 6")
	if _, err := conn.Exec(ctx, "CREATE TABLE logged (k int)"); err == nil {
		t.Fatal("CREATE TABLE of an existing table succeeded")
	}
	// A client that reads a few rows of a long result and goes.
	r := dialRaw(t, s)
	r.startup(t)
	r.fe.Send(&pgproto3.Query{String: "SELECT a.k, b.k FROM logged a, logged b"})
	_ = r.fe.Flush()
	for i := 0; i < 3; i++ {
		if _, err := r.fe.Receive(); err != nil {
			break
		}
	}
	r.Close()
	checkHealthy(t, s, conn)
	s.Restart(t)

	record := regexp.MustCompile(`^time=\S+ level=(DEBUG|INFO|WARN|ERROR) msg=`)
	lines := serverLogLines(t, s)
	for _, l := range lines {
		if !record.MatchString(l) {
			t.Errorf("log line not in slog's text format: %q", l)
		}
		if strings.Contains(l, "internal error") {
			t.Errorf("internal error logged: %s", l)
		}
	}
	log := strings.Join(lines, "\n")
	for _, want := range []string{
		`msg=ddl kind=createtable object=logged duration=`,
		`msg=ddl kind=creatematerializedview object=logged_total duration=`,
		`msg=ddl kind=drop object=logged_total duration=`,
		`msg="ddl failed" kind=createtable object=logged duration=\S+ pid=\d+ sqlstate=42P07 err=`,
		`msg="view build read its input" view=\d+ reading=public.logged epoch=\d+ rows=3000 duration=`,
		`msg="database recovered" dir=\S+ epoch=[1-9]\d* relations=2 duration=`,
		`msg=listening addr=127.0.0.1:\d+`,
	} {
		if !regexp.MustCompile(want).MatchString(log) {
			t.Errorf("no log line matches %s", want)
		}
	}
	if t.Failed() {
		t.Logf("server log:\n%s", log)
	}
}

// TestLogsJSON: with --log-format json every line is one JSON record.
func TestLogsJSON(t *testing.T) {
	eddyOnlyTest(t)
	s := harness.StartEddy(t, harness.Options{ExtraArgs: []string{"--log-format", "json"}})
	if _, err := s.Conn(t).Exec(context.Background(), "CREATE TABLE logged_json (k int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	sawDDL := false
	for _, l := range serverLogLines(t, s) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Errorf("log line is not JSON: %q (%v)", l, err)
			continue
		}
		for _, key := range []string{"time", "level", "msg"} {
			if _, ok := rec[key]; !ok {
				t.Errorf("log record without %q: %s", key, l)
			}
		}
		if rec["msg"] == "ddl" && rec["object"] == "logged_json" && rec["kind"] == "createtable" {
			sawDDL = true
		}
	}
	if !sawDDL {
		t.Errorf("no ddl record for CREATE TABLE logged_json")
	}
}
