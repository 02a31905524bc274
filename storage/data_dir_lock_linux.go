package storage

import (
	"io"
	"os"
	"syscall"
)

// lockHolder asks the kernel which process holds the write lock Pebble
// takes on path (a POSIX record lock), 0 if none or unknown.
func lockHolder(path string) int {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0
	}
	// Closing f would drop this process's own locks on the file; it holds
	// none, since its own Open just failed to take one.
	defer f.Close()
	lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lock); err != nil || lock.Type == syscall.F_UNLCK {
		return 0
	}
	return int(lock.Pid)
}
