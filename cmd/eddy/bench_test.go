package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestBenchScenarios runs every scenario of eddy bench at a small size and
// checks what it reports: each phase's rows, positive rates, the
// change-to-visible latencies of the phases that have them, and the peak
// RSS and state of the scenario's own server.
func TestBenchScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server per scenario")
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"bench", "--json", "--rows", "3000", "--batch", "1000", "--groups", "10", "--keys", "50", "--inserts", "5"}, &stdout, &stderr); code != 0 {
		t.Fatalf("eddy bench exited %d: %s", code, stderr.String())
	}
	wantPhases := map[string][]string{
		"filter": {"load", "build", "stream", "insert"},
		"agg":    {"load", "build", "stream", "insert"},
		"join":   {"load", "build", "stream", "insert"},
		"topn":   {"load", "build", "stream", "insert"},
		"load":   {"load", "insert"},
	}
	dec := json.NewDecoder(&stdout)
	seen := 0
	for dec.More() {
		var r benchResult
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		seen++
		var names []string
		for _, p := range r.Phases {
			names = append(names, p.Name)
			if p.Rows <= 0 || p.RowsPerSec <= 0 || p.Seconds <= 0 {
				t.Errorf("%s %s: rows %d, %f rows/s over %fs", r.Scenario, p.Name, p.Rows, p.RowsPerSec, p.Seconds)
			}
			if (p.Name == "stream" || p.Name == "insert" || (p.Name == "load" && r.Scenario == "load")) && (p.LatencyCount == 0 || p.P99Millis < p.P50Millis) {
				t.Errorf("%s %s: latencies p50 %f p99 %f over %d samples", r.Scenario, p.Name, p.P50Millis, p.P99Millis, p.LatencyCount)
			}
		}
		if got, want := strings.Join(names, ","), strings.Join(wantPhases[r.Scenario], ","); got != want {
			t.Errorf("%s: phases %s, want %s", r.Scenario, got, want)
		}
		if r.PeakRSS <= 0 || r.StateBytes <= 0 {
			t.Errorf("%s: peak RSS %d, data directory %d bytes", r.Scenario, r.PeakRSS, r.StateBytes)
		}
	}
	if seen != len(wantPhases) {
		t.Errorf("%d scenarios reported, want %d", seen, len(wantPhases))
	}
}

func TestBenchRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "nosuch"},
		{"bench", "--rows", "0"},
		{"bench", "--parallelism", "-1"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr.String())
		}
	}
}
