package storage

import (
	"encoding/binary"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// SequenceState is the durable state of a sequence: the last value handed
// out (or reserved ahead, see the session's sequences), and whether it was.
type SequenceState struct {
	LastValue int64
	IsCalled  bool
}

// SequenceKey returns the key of the state of sequence id: 'q' then the id.
func SequenceKey(id uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{tagSequence}, id)
}

func encodeSequenceState(st SequenceState) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(st.LastValue))
	if st.IsCalled {
		return append(b, 1)
	}
	return append(b, 0)
}

// PutSequenceState writes a sequence's state in b, the batch of the epoch
// that creates the sequence.
func PutSequenceState(b *EpochBatch, id uint32, st SequenceState) {
	b.Set(SequenceKey(id), encodeSequenceState(st))
}

// DeleteSequenceState removes a sequence's state in b, the batch of the
// epoch that drops it.
func DeleteSequenceState(b *EpochBatch, id uint32) {
	b.Delete(SequenceKey(id))
}

// WriteSequenceState writes and syncs a sequence's state at once, outside
// any epoch. Sequences are not transactional in PostgreSQL: a value handed
// out stays used whatever becomes of the transaction that took it, so its
// reservation must be on disk before the value is returned, and must not
// wait for an epoch. This is the one write that bypasses Commit; it only
// ever touches the sequence key space, which no epoch writes except to
// create or drop a sequence.
func (s *Store) WriteSequenceState(id uint32, st SequenceState) error {
	if err := s.db.Set(SequenceKey(id), encodeSequenceState(st), pebble.Sync); err != nil {
		return fmt.Errorf("storage: write sequence %d: %w", id, err)
	}
	return nil
}

// GetSequenceState reads a sequence's state from the latest state on disk.
func (s *Store) GetSequenceState(id uint32) (SequenceState, bool, error) {
	raw, ok, err := get(s.db, SequenceKey(id))
	if err != nil || !ok {
		return SequenceState{}, ok, err
	}
	if len(raw) != 9 {
		return SequenceState{}, false, fmt.Errorf("storage: sequence %d state has %d bytes, want 9", id, len(raw))
	}
	return SequenceState{LastValue: int64(binary.BigEndian.Uint64(raw)), IsCalled: raw[8] == 1}, true, nil
}
