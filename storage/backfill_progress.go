package storage

import (
	"encoding/binary"
	"fmt"
)

// metaBackfill is the meta name prefix of view builds' progress; the view
// id and the scan's index in the view's dataflow follow it in binary.
const metaBackfill = "backfill/"

// BackfillProgress is how far one input scan of a view being built has
// read its input's rows, in key order. It is written with every epoch of
// the build, in that epoch's batch, so a restart resumes where the last
// committed epoch left off. Every scan of the view has one while the view
// is being built; the epoch that ends the build deletes them all, so a
// view with no progress stored is built.
type BackfillProgress struct {
	// Input is the relation the scan reads.
	Input uint32
	// Done is set once the scan has read every row of its input.
	Done bool
	// LastKey is the key (without the table prefix) of the last row read;
	// empty before the first.
	LastKey []byte
	// Rows is the number of rows read so far.
	Rows uint64
	// StartedAt is when the build started, in Unix microseconds.
	StartedAt int64
}

func backfillPrefix(viewID uint32) []byte {
	return binary.BigEndian.AppendUint32(MetaKey(metaBackfill), viewID)
}

// BackfillProgressKey returns the meta key of scan's progress in view
// viewID's build.
func BackfillProgressKey(viewID uint32, scan int) []byte {
	return binary.BigEndian.AppendUint16(backfillPrefix(viewID), uint16(scan))
}

// PutBackfillProgress records p as scan's progress in b.
func PutBackfillProgress(b *EpochBatch, viewID uint32, scan int, p BackfillProgress) {
	v := binary.BigEndian.AppendUint32(nil, p.Input)
	flags := byte(0)
	if p.Done {
		flags = 1
	}
	v = append(v, flags)
	v = binary.BigEndian.AppendUint64(v, p.Rows)
	v = binary.BigEndian.AppendUint64(v, uint64(p.StartedAt))
	b.Set(BackfillProgressKey(viewID, scan), append(v, p.LastKey...))
}

// DeleteBackfillProgress removes in b the progress of every scan of
// viewID: its build is over, or the view is dropped.
func DeleteBackfillProgress(b *EpochBatch, viewID uint32) {
	prefix := backfillPrefix(viewID)
	b.DeleteRange(prefix, PrefixEnd(prefix))
}

// ScanBackfillProgress calls fn for the progress of every scan of the
// views being built, by view id and then scan index; viewID 0 means every
// view, another id that view only.
func ScanBackfillProgress(r Reader, viewID uint32, fn func(viewID uint32, scan int, p BackfillProgress) error) error {
	prefix := MetaKey(metaBackfill)
	if viewID != 0 {
		prefix = backfillPrefix(viewID)
	}
	base := len(MetaKey(metaBackfill))
	return r.Scan(prefix, PrefixEnd(prefix), func(key, value []byte) (bool, error) {
		rest := key[base:]
		if len(rest) != 6 || len(value) < 21 {
			return false, fmt.Errorf("storage: malformed backfill progress %x = %x", key, value)
		}
		p := BackfillProgress{
			Input:     binary.BigEndian.Uint32(value),
			Done:      value[4]&1 != 0,
			Rows:      binary.BigEndian.Uint64(value[5:]),
			StartedAt: int64(binary.BigEndian.Uint64(value[13:])),
			LastKey:   append([]byte(nil), value[21:]...),
		}
		return true, fn(binary.BigEndian.Uint32(rest), int(binary.BigEndian.Uint16(rest[4:])), p)
	})
}

// Building reports whether view viewID is being built in r: whether any
// of its scans has progress stored.
func Building(r Reader, viewID uint32) (bool, error) {
	found := false
	prefix := backfillPrefix(viewID)
	err := r.Scan(prefix, PrefixEnd(prefix), func(_, _ []byte) (bool, error) {
		found = true
		return false, nil
	})
	return found, err
}

// KeyAfter returns the smallest key greater than key, for a scan that
// resumes after the last key it read.
func KeyAfter(key []byte) []byte {
	return append(append(make([]byte, 0, len(key)+1), key...), 0)
}
