package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// memoryLimit is the value of --memory-limit: bytes, written as a plain
// number or with a unit as PostgreSQL's memory settings are (kB, MB, GB,
// TB, powers of 1024; the case of the unit does not matter).
type memoryLimit int64

var memoryUnits = []struct {
	suffix string
	bytes  int64
}{
	{"tb", 1 << 40}, {"gb", 1 << 30}, {"mb", 1 << 20}, {"kb", 1 << 10}, {"b", 1},
}

func (m *memoryLimit) String() string { return formatBytes(int64(*m)) }

func (m *memoryLimit) Set(s string) error {
	v, err := parseBytes(s)
	if err != nil {
		return err
	}
	*m = memoryLimit(v)
	return nil
}

// minMemoryLimit is the smallest --memory-limit: below it the shares of
// the limit (see storage.Memory) leave Pebble and the operators nothing
// workable.
const minMemoryLimit = 32 << 20

func parseBytes(s string) (int64, error) {
	text := strings.TrimSpace(s)
	lower := strings.ToLower(text)
	mult := int64(1)
	for _, u := range memoryUnits {
		if strings.HasSuffix(lower, u.suffix) {
			lower, mult = strings.TrimSpace(strings.TrimSuffix(lower, u.suffix)), u.bytes
			break
		}
	}
	n, err := strconv.ParseFloat(lower, 64)
	if err != nil || n <= 0 || n*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("invalid memory size %q: write bytes, or a number with kB, MB, GB or TB (512MB, 2GB)", s)
	}
	v := int64(n * float64(mult))
	if v < minMemoryLimit {
		return 0, fmt.Errorf("memory size %q is below the minimum of %s", s, formatBytes(minMemoryLimit))
	}
	return v, nil
}

func formatBytes(v int64) string {
	for _, u := range memoryUnits {
		if v >= u.bytes && v%u.bytes == 0 && u.bytes > 1 {
			return fmt.Sprintf("%d%s", v/u.bytes, strings.Replace(strings.ToUpper(u.suffix), "KB", "kB", 1))
		}
	}
	return strconv.FormatInt(v, 10)
}

// defaultMemoryLimit is a quarter of the machine's memory, or of the
// cgroup's limit when that is lower (a container).
func defaultMemoryLimit() int64 {
	total := machineMemory()
	if limit := cgroupMemoryLimit(); limit > 0 && (total == 0 || limit < total) {
		total = limit
	}
	if total == 0 {
		return 1 << 30 // no /proc: assume a 4 GB machine
	}
	return max(total/4, minMemoryLimit)
}

// machineMemory reads MemTotal from /proc/meminfo; 0 when it cannot.
func machineMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// cgroupMemoryLimit reads the memory limit of the process's cgroup (v2
// memory.max, else v1 memory.limit_in_bytes); 0 when there is none.
func cgroupMemoryLimit() int64 {
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		// "max", or v1's "no limit" of nearly 2^63.
		if err != nil || v <= 0 || v >= 1<<60 {
			return 0
		}
		return v
	}
	return 0
}
