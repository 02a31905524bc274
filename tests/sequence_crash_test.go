package tests

import (
	"context"
	"testing"
	"time"

	"github.com/eddy-db/eddy/tests/harness"
)

// TestSequenceSurvivesKill calls nextval across several of the blocks a
// sequence reserves per durable write, kills the server with SIGKILL
// between calls, and checks that no value is ever handed out twice and
// that serial defaults keep counting after each restart.
func TestSequenceSurvivesKill(t *testing.T) {
	eddyOnlyTest(t)
	s := harness.StartEddy(t, harness.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn := s.Conn(t)
	for _, sql := range []string{
		`CREATE SEQUENCE seq_k`,
		`CREATE TABLE serial_k (id bigserial PRIMARY KEY, note text)`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	conn.Close(ctx)

	seen := map[int64]bool{}
	last := int64(0)
	for round := 0; round < 4; round++ {
		conn := s.Conn(t)
		// 45 calls cross a reserved block of 32 in most rounds.
		for i := 0; i < 45; i++ {
			var v int64
			if err := conn.QueryRow(ctx, `SELECT nextval('seq_k')`).Scan(&v); err != nil {
				t.Fatalf("round %d: nextval: %v", round, err)
			}
			if seen[v] {
				t.Fatalf("round %d: nextval handed out %d twice", round, v)
			}
			if v <= last {
				t.Fatalf("round %d: nextval went from %d back to %d", round, last, v)
			}
			seen[v], last = true, v
			if _, err := conn.Exec(ctx, `INSERT INTO serial_k (note) VALUES ($1)`, "r"); err != nil {
				t.Fatalf("round %d: insert with a serial default: %v", round, err)
			}
		}
		s.Kill()
		s.Restart(t)
	}
	conn = s.Conn(t)
	var rows, distinct int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT id) FROM serial_k`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != 4*45 || distinct != rows {
		t.Errorf("serial_k holds %d rows with %d distinct ids after the kills, want %d and %d", rows, distinct, 4*45, 4*45)
	}
}
