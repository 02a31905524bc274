package slt

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
	"github.com/jackc/pgx/v5/pgconn"
)

// Mode says what a run does with the results it gets.
type Mode int

const (
	// Verify compares every record with its expectations.
	Verify Mode = iota
	// RewriteAll replaces every expectation with what the server answered
	// (used against the PostgreSQL oracle).
	RewriteAll
	// RewriteEddyOnly replaces only the expectations of records PostgreSQL
	// cannot answer and checks nothing else (used against Eddy).
	RewriteEddyOnly
)

// statementTimeout bounds one record; a hang fails the file, not the suite.
const statementTimeout = 2 * time.Minute

var (
	createMViewPattern = regexp.MustCompile(`(?is)^\s*CREATE\s+MATERIALIZED\s+VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]+)`)
	dropMViewPattern   = regexp.MustCompile(`(?is)^\s*DROP\s+MATERIALIZED\s+VIEW\s+(?:IF\s+EXISTS\s+)?(.+?)\s*(?:CASCADE|RESTRICT)?\s*;?\s*$`)
	flushPattern       = regexp.MustCompile(`(?is)^\s*FLUSH\s*;?\s*$`)
	// Statements with no PostgreSQL equivalent: the oracle skips them and
	// their written expectations stand.
	eddyOnlyPattern = regexp.MustCompile(`(?is)^\s*(SHOW\s+(TABLES|MATERIALIZED\s+VIEWS|SOURCES|SINKS|VIEWS)|CREATE\s+(SOURCE|SINK)|DROP\s+(SOURCE|SINK)|SUBSCRIBE)\b`)
)

// Runner runs the records of .slt files over one connection.
type Runner struct {
	Engine harness.Engine
	Conn   *pgconn.PgConn
	Mode   Mode
	// Known is the file's directory's known-failures list (known.go), or
	// nil; it applies only when checking Eddy.
	Known *KnownFailures

	mviews  []string  // materialized views created so far, in creation order
	kr      *knownRun // the known-failures view of the file being run
	current *Record   // the record being run
	failed  bool      // the current record has failed
}

// EddyOnly reports whether PostgreSQL cannot run the record at all.
func EddyOnly(r *Record) bool {
	return r.OnlyIf(string(harness.EngineEddy)) || eddyOnlyPattern.MatchString(r.SQL)
}

// RunFile runs every record of the file, reporting mismatches as test errors
// (file:line first), and in a rewrite mode writes the file back.
func (rn *Runner) RunFile(t *testing.T, f *File) {
	t.Helper()
	newLines := map[*Record][]string{}
	rn.kr = nil
	if rn.Known != nil && rn.Mode == Verify && rn.Engine == harness.EngineEddy {
		rn.kr = rn.Known.start(f)
		defer rn.kr.finish(t, f)
	}
	for i, r := range f.Records {
		if r.Kind == KindHalt {
			if r.Skipped(string(rn.Engine)) {
				continue
			}
			break
		}
		if r.Skipped(string(rn.Engine)) {
			continue
		}
		eddyOnly := EddyOnly(r)
		if rn.Engine == harness.EnginePostgres && eddyOnly {
			continue
		}
		rewrite := rn.Mode == RewriteAll || (rn.Mode == RewriteEddyOnly && eddyOnly)
		check := rn.Mode == Verify || rewrite
		rn.failed = false
		out, ok := rn.runRecord(t, f, r, rewrite, check)
		if ok && rewrite {
			newLines[r] = out
		}
		if rn.kr != nil {
			rn.kr.stats.Total++
			if !rn.failed {
				rn.kr.stats.Passed++
			}
		}
		if rn.Conn.IsClosed() {
			if rn.kr != nil {
				rn.loseRest(t, f, f.Records[i+1:], r.Line)
				return
			}
			t.Fatalf("%s:%d: connection lost; stopping this file", f.Path, r.Line)
		}
	}
	if rn.Mode != Verify {
		if err := writeBack(f, newLines); err != nil {
			t.Fatal(err)
		}
	}
}

// exec runs sql, translating FLUSH for PostgreSQL.
func (rn *Runner) exec(sql string) (*harness.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), statementTimeout)
	defer cancel()
	if rn.Engine == harness.EnginePostgres && flushPattern.MatchString(sql) {
		for _, stmt := range harness.FlushStatements(rn.Engine, rn.mviews...) {
			if _, err := harness.SimpleExec(ctx, rn.Conn, stmt); err != nil {
				return nil, err
			}
		}
		return &harness.Result{Tag: "FLUSH"}, nil
	}
	res, err := harness.SimpleExec(ctx, rn.Conn, sql)
	if err == nil {
		rn.track(sql)
	}
	return res, err
}

// track follows CREATE/DROP MATERIALIZED VIEW so FLUSH can be translated.
func (rn *Runner) track(sql string) {
	if m := createMViewPattern.FindStringSubmatch(sql); m != nil {
		rn.mviews = append(rn.mviews, m[1])
		return
	}
	if m := dropMViewPattern.FindStringSubmatch(sql); m != nil {
		for _, name := range strings.Split(m[1], ",") {
			name = strings.TrimSpace(name)
			for i, v := range rn.mviews {
				if strings.EqualFold(v, name) {
					rn.mviews = append(rn.mviews[:i], rn.mviews[i+1:]...)
					break
				}
			}
		}
	}
}

// runRecord runs one record. When rewrite is set it returns the record's
// regenerated lines (header, SQL, separator, results) and whether they
// should replace the old ones; when check is false mismatches are ignored.
func (rn *Runner) runRecord(t *testing.T, f *File, r *Record, rewrite, check bool) ([]string, bool) {
	t.Helper()
	where := fmt.Sprintf("%s:%d", f.Path, r.Line)
	rn.current = r
	res, err := rn.exec(r.SQL)
	if r.ExpectError {
		if err == nil {
			if check {
				rn.fail(t, "no error (want "+orAny(r.ErrorPattern)+")", "%s: expected an error (%s), the statement succeeded\n%s", where, r.ErrorPattern, r.SQL)
			}
			return nil, false
		}
		matched, how := matchError(err, r.ErrorPattern)
		if rewrite && (!matched || SQLStatePattern.MatchString(r.ErrorPattern) || r.ErrorPattern == "") {
			code := harness.SQLState(err)
			if code == "" {
				rn.fail(t, "error without SQLSTATE", "%s: error without SQLSTATE: %v", where, err)
				return nil, false
			}
			kind := "statement"
			if r.Kind == KindQuery {
				kind = "query"
			}
			return []string{kind + " error " + code}, true
		}
		if !matched && check {
			rn.fail(t, "wrong error "+shortError(err)+" (want "+r.ErrorPattern+")", "%s: error did not match %s\n%s\ngot: %s", where, how, r.SQL, describeError(err))
		}
		return nil, false
	}
	if err != nil {
		if check {
			rn.fail(t, shortError(err), "%s: unexpected error: %s\n%s", where, describeError(err), r.SQL)
		}
		return nil, false
	}
	if r.Kind != KindQuery {
		return nil, false
	}
	actual := harness.FormatRows(res.Rows)
	if r.Sort == RowSort {
		sort.Strings(actual)
	}
	if rewrite {
		header := "query " + typeString(res.OIDs)
		if r.Sort != NoSort || r.headerSuffix != "" {
			header += " " + string(r.Sort)
		}
		if r.headerSuffix != "" {
			header += " " + r.headerSuffix
		}
		out := []string{header}
		out = append(out, strings.Split(r.SQL, "\n")...)
		out = append(out, "----")
		return append(out, actual...), true
	}
	if !check {
		return nil, false
	}
	if r.Types != "" && len(r.Types) != len(res.Columns) {
		rn.fail(t, "wrong column count", "%s: type string %q has %d columns, the query returned %d (%s)\n%s",
			where, r.Types, len(r.Types), len(res.Columns), strings.Join(res.Columns, ", "), r.SQL)
		return nil, false
	}
	if diff := compare(r.Sort, r.Expected, actual); diff != "" {
		rn.fail(t, "wrong result", "%s: results differ\n%s\n%s", where, r.SQL, diff)
	}
	return nil, false
}

// matchError checks an error against a pattern: a SQLSTATE exactly, a
// regexp against the message, or anything when the pattern is empty.
func matchError(err error, pattern string) (bool, string) {
	switch {
	case pattern == "":
		return true, "any error"
	case SQLStatePattern.MatchString(pattern):
		return harness.SQLState(err) == pattern, "SQLSTATE " + pattern
	default:
		re, rerr := regexp.Compile(pattern)
		if rerr != nil {
			return strings.Contains(err.Error(), pattern), fmt.Sprintf("substring %q", pattern)
		}
		msg := err.Error()
		if pgErr, ok := err.(*pgconn.PgError); ok {
			msg = pgErr.Message
		}
		return re.MatchString(msg), fmt.Sprintf("regexp %q", pattern)
	}
}

// fail reports a failing record: a test error, or a known failure when the
// record is on the known-failures list. reason is the list's reason column.
func (rn *Runner) fail(t *testing.T, reason, format string, args ...any) {
	t.Helper()
	rn.failed = true
	msg := fmt.Sprintf(format, args...)
	if rn.kr != nil {
		rn.kr.fail(t, rn.current, failureReason(reason), msg)
		return
	}
	t.Error(msg)
}

// loseRest fails the records left in a file after the connection was lost.
func (rn *Runner) loseRest(t *testing.T, f *File, rest []*Record, line int) {
	t.Helper()
	t.Logf("%s:%d: connection lost; the rest of the file fails", f.Path, line)
	for _, r := range rest {
		if r.Kind == KindHalt || r.Skipped(string(rn.Engine)) {
			continue
		}
		rn.current = r
		rn.kr.stats.Total++
		rn.fail(t, fmt.Sprintf("connection lost at line %d", line), "%s:%d: not run: connection lost at line %d", f.Path, r.Line, line)
	}
}

// shortError is an error as the reason column shows it: SQLSTATE and message.
func shortError(err error) string {
	if pgErr, ok := err.(*pgconn.PgError); ok {
		return pgErr.Code + " " + pgErr.Message
	}
	return err.Error()
}

func orAny(pattern string) string {
	if pattern == "" {
		return "any error"
	}
	return pattern
}

func describeError(err error) string {
	if pgErr, ok := err.(*pgconn.PgError); ok {
		return fmt.Sprintf("%s %s: %s", pgErr.Severity, pgErr.Code, pgErr.Message)
	}
	return err.Error()
}

// normalize collapses whitespace runs so tabs and aligned columns compare
// equal to single spaces.
func normalize(line string) string { return strings.Join(strings.Fields(line), " ") }

// compare returns "" when actual matches expected under the sort mode, or a
// readable diff otherwise.
func compare(mode SortMode, expected, actual []string) string {
	exp := make([]string, len(expected))
	for i, l := range expected {
		exp[i] = normalize(l)
	}
	act := make([]string, len(actual))
	for i, l := range actual {
		act[i] = normalize(l)
	}
	switch mode {
	case RowSort:
		sort.Strings(exp)
		sort.Strings(act)
	case ValueSort:
		exp = strings.Fields(strings.Join(exp, " "))
		act = strings.Fields(strings.Join(act, " "))
		sort.Strings(exp)
		sort.Strings(act)
	}
	if strings.Join(exp, "\n") == strings.Join(act, "\n") {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "expected (%d):\n", len(exp))
	for _, l := range exp {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	fmt.Fprintf(&b, "got (%d):\n", len(act))
	for _, l := range act {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	return b.String()
}

// typeString derives a type string from result column types.
func typeString(oids []uint32) string {
	var b strings.Builder
	for _, oid := range oids {
		switch oid {
		case 20, 21, 23, 26: // int8, int2, int4, oid
			b.WriteByte('I')
		case 700, 701, 1700: // float4, float8, numeric
			b.WriteByte('R')
		case 16:
			b.WriteByte('B')
		default:
			b.WriteByte('T')
		}
	}
	if b.Len() == 0 {
		return "T"
	}
	return b.String()
}

// writeBack splices regenerated records into the file's lines and writes
// the file if anything changed.
func writeBack(f *File, newLines map[*Record][]string) error {
	if len(newLines) == 0 {
		return nil
	}
	out := make([]string, 0, len(f.Lines))
	next := 0
	for _, r := range f.Records {
		repl, ok := newLines[r]
		if !ok {
			continue
		}
		out = append(out, f.Lines[next:r.header]...)
		if r.Kind == KindQuery && !r.ExpectError {
			out = append(out, repl...)
			next = r.resultsEnd
		} else {
			out = append(out, repl[0]) // an error header only
			next = r.header + 1
		}
	}
	out = append(out, f.Lines[next:]...)
	text := strings.Join(out, "\n") + "\n"
	old, _ := os.ReadFile(f.Path)
	if string(old) == text {
		return nil
	}
	return os.WriteFile(f.Path, []byte(text), 0o644)
}
