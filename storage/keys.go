package storage

import "encoding/binary"

// Key space tags. Each is the first byte of every key in its space.
const (
	tagCatalog byte = 'c'
	tagMeta    byte = 'm'
	tagTable   byte = 't'
	// tagSequence keys the state of sequences (SequenceKey), written
	// outside epochs by WriteSequenceState.
	tagSequence byte = 'q'
	// tagViewError keys the row errors a view's operators met
	// (ViewErrorPrefix), written in epoch batches.
	tagViewError byte = 'e'
)

// MetaCommittedEpoch names the meta key holding the last committed epoch.
// Commit writes it; nothing else should.
const MetaCommittedEpoch = "committed_epoch"

// metaSourceOffset is the meta name prefix of source offsets; the source id
// and partition follow it in binary.
const metaSourceOffset = "source_offset/"

// TablePrefix returns the prefix under which the rows of table (or view, or
// operator state table) tableID live: 't' then the id in big endian.
func TablePrefix(tableID uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{tagTable}, tableID)
}

// ViewErrorPrefix returns the prefix under which the row errors of view
// viewID live: 'e' then the id in big endian. What follows is the
// business of package mview.
func ViewErrorPrefix(viewID uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{tagViewError}, viewID)
}

// CatalogKey returns the key of the catalog blob of objectID.
func CatalogKey(objectID uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{tagCatalog}, objectID)
}

// MetaKey returns the key of the metadata entry name.
func MetaKey(name string) []byte {
	k := make([]byte, 0, 1+len(name))
	return append(append(k, tagMeta), name...)
}

// SourceOffsetKey returns the meta key holding the offset reached by a
// source in one partition. The partition's sign bit is flipped so that
// partitions sort numerically within a source.
func SourceOffsetKey(sourceID uint32, partition int32) []byte {
	k := sourceOffsetPrefix(sourceID)
	return binary.BigEndian.AppendUint32(k, uint32(partition)^(1<<31))
}

func sourceOffsetPrefix(sourceID uint32) []byte {
	k := MetaKey(metaSourceOffset)
	return binary.BigEndian.AppendUint32(k, sourceID)
}

// PrefixEnd returns the smallest key greater than every key starting with
// prefix, for use as an exclusive upper bound. It returns nil (no bound)
// when no such key exists, that is when prefix is empty or all 0xff.
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// TableOf returns the table whose key space key lies in, if any.
func TableOf(key []byte) (uint32, bool) {
	if len(key) < 5 || key[0] != tagTable {
		return 0, false
	}
	return binary.BigEndian.Uint32(key[1:5]), true
}
