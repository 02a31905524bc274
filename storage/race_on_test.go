//go:build race

package storage

// raceEnabled trims the randomized tests: under -race Pebble also checks its
// own invariants and runs several times slower.
const raceEnabled = true
