package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// PutCatalog writes the catalog blob of objectID in b, the batch that also
// holds the data the blob describes.
func PutCatalog(b *EpochBatch, objectID uint32, blob []byte) {
	b.Set(CatalogKey(objectID), blob)
}

// DeleteCatalog removes the catalog blob of objectID in b.
func DeleteCatalog(b *EpochBatch, objectID uint32) {
	b.Delete(CatalogKey(objectID))
}

// GetCatalog returns the catalog blob of objectID.
func GetCatalog(r Reader, objectID uint32) ([]byte, bool, error) {
	return r.Get(CatalogKey(objectID))
}

// ScanCatalog calls fn for every catalog blob in ascending id order. The
// blob is a copy fn may keep.
func ScanCatalog(r Reader, fn func(objectID uint32, blob []byte) error) error {
	lower := []byte{tagCatalog}
	return r.Scan(lower, PrefixEnd(lower), func(key, value []byte) (bool, error) {
		if len(key) != 5 {
			return false, fmt.Errorf("storage: malformed catalog key %x", key)
		}
		return true, fn(binary.BigEndian.Uint32(key[1:]), bytes.Clone(value))
	})
}

// PutMetaUint64 writes the meta entry name = v in b.
func PutMetaUint64(b *EpochBatch, name string, v uint64) {
	b.Set(MetaKey(name), encodeUint64(v))
}

// GetMetaUint64 reads the meta entry name; ok is false when it is absent.
func GetMetaUint64(r Reader, name string) (v uint64, ok bool, err error) {
	raw, ok, err := r.Get(MetaKey(name))
	if err != nil || !ok {
		return 0, false, err
	}
	v, err = decodeUint64(raw)
	if err != nil {
		return 0, false, fmt.Errorf("storage: meta %s: %w", name, err)
	}
	return v, true, nil
}

// PutSourceOffset records in b the offset a source reached in a partition,
// in the batch of the epoch whose data includes everything up to it.
func PutSourceOffset(b *EpochBatch, sourceID uint32, partition int32, offset int64) {
	b.Set(SourceOffsetKey(sourceID, partition), encodeUint64(uint64(offset)))
}

// GetSourceOffset reads the offset a source reached in a partition.
func GetSourceOffset(r Reader, sourceID uint32, partition int32) (offset int64, ok bool, err error) {
	raw, ok, err := r.Get(SourceOffsetKey(sourceID, partition))
	if err != nil || !ok {
		return 0, false, err
	}
	v, err := decodeUint64(raw)
	if err != nil {
		return 0, false, fmt.Errorf("storage: offset of source %d partition %d: %w", sourceID, partition, err)
	}
	return int64(v), true, nil
}

// ScanSourceOffsets calls fn for every partition of a source with a stored
// offset, in ascending partition order.
func ScanSourceOffsets(r Reader, sourceID uint32, fn func(partition int32, offset int64) error) error {
	prefix := sourceOffsetPrefix(sourceID)
	return r.Scan(prefix, PrefixEnd(prefix), func(key, value []byte) (bool, error) {
		rest := key[len(prefix):]
		v, err := decodeUint64(value)
		if len(rest) != 4 || err != nil {
			return false, fmt.Errorf("storage: malformed source offset %x = %x", key, value)
		}
		partition := int32(binary.BigEndian.Uint32(rest) ^ (1 << 31))
		return true, fn(partition, int64(v))
	})
}

// DeleteSourceOffsets removes in b every offset stored for a source, when the
// source is dropped.
func DeleteSourceOffsets(b *EpochBatch, sourceID uint32) {
	prefix := sourceOffsetPrefix(sourceID)
	b.DeleteRange(prefix, PrefixEnd(prefix))
}
