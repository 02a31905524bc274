package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"syscall"
)

// DirInUseError says that another process holds the data directory: Pebble
// locks the file LOCK in it for as long as a database is open.
type DirInUseError struct {
	Dir string
	// PID is the process holding the lock, 0 when the system cannot tell.
	PID int
}

func (e *DirInUseError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("data directory %s is in use by another Eddy (pid %d)", e.Dir, e.PID)
	}
	return fmt.Sprintf("data directory %s is in use by another Eddy", e.Dir)
}

// dirInUse turns Pebble's failure to lock dir into a DirInUseError; any
// other error comes back as nil.
func dirInUse(dir string, err error) *DirInUseError {
	if !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EACCES) {
		return nil
	}
	return &DirInUseError{Dir: dir, PID: lockHolder(filepath.Join(dir, "LOCK"))}
}
