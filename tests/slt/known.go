package slt

// Known failures.
//
// A directory of .slt files may hold a KNOWN_FAILURES file: the records of
// its files that Eddy is known to get wrong today, one per line,
//
//	strings.slt:42  42883 function md5(text) does not exist
//	# comments and blank lines are ignored
//
// When TestSLT checks Eddy, a listed record that fails is logged as a known
// failure instead of failing the test, and a listed record that passes fails
// the test ("remove from KNOWN_FAILURES"), so the list only shrinks. A record
// that fails and is not listed fails the test as usual.
//
//	go test ./tests -run TestSLT/pg -update-known
//
// rewrites the list from Eddy's current answers (entries of files that did
// not run are kept), with the reason taken from the error message or "wrong
// result", and a summary (passed/total per file) at its top. Run it after a
// -rewrite that moved lines. The list applies only to Eddy in Verify mode;
// -rewrite and -target=postgres ignore it.

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// KnownFailuresFile is the name of a directory's known-failures list.
const KnownFailuresFile = "KNOWN_FAILURES"

// FileStats counts the records of one file in one run.
type FileStats struct {
	Total, Passed, Known, Failed int
}

// KnownFailures is one directory's list, shared by the subtests of its files.
type KnownFailures struct {
	Path   string // the KNOWN_FAILURES file
	Update bool   // rewrite the list from this run instead of checking it

	mu      sync.Mutex
	entries map[string]map[int]string // file name -> line -> reason, as listed
	summary map[string]FileStats      // as listed (# summary lines), then as run
	ran     map[string]bool           // files run in this invocation
	seen    map[string]map[int]string // failures observed in this run
}

var summaryLine = regexp.MustCompile(`^#\s+(\S+\.slt)\s+(\d+)/(\d+) passed, (\d+) known failing`)

// LoadKnownFailures reads dir/KNOWN_FAILURES; it returns nil (no list) when
// the directory has none.
func LoadKnownFailures(dir string, update bool) (*KnownFailures, error) {
	path := filepath.Join(dir, KnownFailuresFile)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	k := &KnownFailures{
		Path: path, Update: update,
		entries: map[string]map[int]string{}, summary: map[string]FileStats{},
		ran: map[string]bool{}, seen: map[string]map[int]string{},
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if m := summaryLine.FindStringSubmatch(line); m != nil {
			passed, _ := strconv.Atoi(m[2])
			total, _ := strconv.Atoi(m[3])
			known, _ := strconv.Atoi(m[4])
			k.summary[m[1]] = FileStats{Total: total, Passed: passed, Known: known}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, _ := strings.Cut(line, " ")
		file, lineStr, ok := strings.Cut(key, ":")
		recLine, err := strconv.Atoi(lineStr)
		if !ok || err != nil || !strings.HasSuffix(file, ".slt") {
			return nil, fmt.Errorf("%s:%d: want \"file.slt:line  reason\", got %q", path, n, line)
		}
		if k.entries[file] == nil {
			k.entries[file] = map[int]string{}
		}
		k.entries[file][recLine] = strings.TrimSpace(reason)
	}
	return k, sc.Err()
}

// knownRun is the list as seen by the run of one file.
type knownRun struct {
	list  *KnownFailures
	file  string // base name, as written in the list
	stats FileStats
	seen  map[int]string
}

func (k *KnownFailures) start(f *File) *knownRun {
	name := filepath.Base(f.Path)
	k.mu.Lock()
	k.ran[name] = true
	k.mu.Unlock()
	return &knownRun{list: k, file: name, seen: map[int]string{}}
}

func (k *KnownFailures) listed(file string, line int) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	reason, ok := k.entries[file][line]
	return reason, ok
}

// fail handles a failing record: a known failure is logged, an unknown one
// fails the test (or, when updating, is recorded for the new list).
func (kr *knownRun) fail(t *testing.T, r *Record, reason, msg string) {
	t.Helper()
	kr.seen[r.Line] = reason
	if listed, ok := kr.list.listed(kr.file, r.Line); ok {
		kr.stats.Known++
		t.Logf("%s:%d: known failure: %s", kr.file, r.Line, listed)
		return
	}
	if kr.list.Update {
		kr.stats.Known++
		t.Logf("%s:%d: new known failure: %s", kr.file, r.Line, reason)
		return
	}
	kr.stats.Failed++
	t.Error(msg)
}

// finish checks that every listed record of the file still fails, logs the
// file's summary and hands the results to the list.
func (kr *knownRun) finish(t *testing.T, f *File) {
	t.Helper()
	records := map[int]bool{}
	for _, r := range f.Records {
		records[r.Line] = true
	}
	k := kr.list
	k.mu.Lock()
	var stale []int
	for line := range k.entries[kr.file] {
		if _, failed := kr.seen[line]; !failed {
			stale = append(stale, line)
		}
	}
	k.seen[kr.file] = kr.seen
	k.summary[kr.file] = kr.stats
	k.mu.Unlock()
	sort.Ints(stale)
	for _, line := range stale {
		switch {
		case k.Update:
			t.Logf("%s:%d: passes now; dropped from %s", kr.file, line, KnownFailuresFile)
		case !records[line]:
			t.Errorf("%s: %s lists %s:%d but no record starts on that line; run -update-known", f.Path, KnownFailuresFile, kr.file, line)
		default:
			t.Errorf("%s:%d: passes now: remove from %s (or run -update-known)", f.Path, line, KnownFailuresFile)
		}
	}
	s := kr.stats
	t.Logf("slt-summary %s: %d/%d passed, %d known failing, %d failing", f.Path, s.Passed, s.Total, s.Known, s.Failed)
}

// Finish logs the overall summary and, when updating, writes the new list.
// Call it after every file's subtest has completed.
func (k *KnownFailures) Finish(t *testing.T) {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.ran) == 0 {
		return
	}
	var total FileStats
	for file := range k.ran {
		s := k.summary[file]
		total.Total += s.Total
		total.Passed += s.Passed
		total.Known += s.Known
		total.Failed += s.Failed
	}
	pct := 0.0
	if total.Total > 0 {
		pct = 100 * float64(total.Passed) / float64(total.Total)
	}
	t.Logf("slt-summary %s: %d files, %d/%d records passed (%.1f%%), %d known failing, %d failing",
		filepath.Dir(k.Path), len(k.ran), total.Passed, total.Total, pct, total.Known, total.Failed)
	if !k.Update || t.Failed() {
		return
	}
	if err := k.write(); err != nil {
		t.Fatal(err)
	}
}

func (k *KnownFailures) write() error {
	// The new list: this run's failures for the files that ran, the old
	// entries for the others.
	entries := map[string]map[int]string{}
	for file, lines := range k.entries {
		if !k.ran[file] {
			entries[file] = lines
		}
	}
	for file, lines := range k.seen {
		if len(lines) > 0 {
			entries[file] = lines
		}
	}
	var b strings.Builder
	b.WriteString("# Records Eddy is known to fail: file.slt:line  reason.\n")
	b.WriteString("# A listed record that passes fails TestSLT, so this list only shrinks.\n")
	b.WriteString("# Regenerate with: go test ./tests -run TestSLT/" + filepath.Base(filepath.Dir(k.Path)) + " -update-known\n")
	b.WriteString("#\n# Summary (records per file):\n")
	var files []string
	for file := range k.summary {
		files = append(files, file)
	}
	sort.Strings(files)
	var total FileStats
	for _, file := range files {
		s := k.summary[file]
		total.Total += s.Total
		total.Passed += s.Passed
		total.Known += s.Known
		fmt.Fprintf(&b, "#   %-24s %d/%d passed, %d known failing\n", file, s.Passed, s.Total, s.Known)
	}
	fmt.Fprintf(&b, "#   %-24s %d/%d passed, %d known failing\n\n", "(all)", total.Passed, total.Total, total.Known)
	files = files[:0]
	for file := range entries {
		files = append(files, file)
	}
	sort.Strings(files)
	for _, file := range files {
		var lines []int
		for line := range entries[file] {
			lines = append(lines, line)
		}
		sort.Ints(lines)
		for _, line := range lines {
			fmt.Fprintf(&b, "%s  %s\n", fmt.Sprintf("%s:%d", file, line), entries[file][line])
		}
	}
	return os.WriteFile(k.Path, []byte(b.String()), 0o644)
}

// failureReason condenses a failure into the reason column of the list.
func failureReason(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 110 {
		s = s[:107] + "..."
	}
	return s
}
