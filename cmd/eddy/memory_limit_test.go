package main

import "testing"

func TestParseMemoryLimit(t *testing.T) {
	for in, want := range map[string]int64{
		"512MB":     512 << 20,
		"2GB":       2 << 30,
		"2gb":       2 << 30,
		"1.5GB":     3 << 29,
		"65536kB":   64 << 20,
		"134217728": 128 << 20,
		"1TB":       1 << 40,
	} {
		got, err := parseBytes(in)
		if err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "-1GB", "12XB", "1MB", "0", "abc"} {
		if v, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) = %d, want an error", in, v)
		}
	}
	if got := formatBytes(512 << 20); got != "512MB" {
		t.Errorf("formatBytes(512MB) = %q", got)
	}
	if d := defaultMemoryLimit(); d < minMemoryLimit || (machineMemory() > 0 && d > machineMemory()/4+1) {
		t.Errorf("default memory limit %d bytes, machine %d", d, machineMemory())
	}
}
