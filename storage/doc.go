// Package storage is Eddy's only door to disk: it wraps one Pebble database
// and knows bytes, epochs and key spaces, nothing about SQL.
//
// # What it owns
//
//   - The Pebble instance (Open, Close) and every write to it (Commit).
//   - The key spaces, each a one-byte tag followed by big-endian ids so that
//     prefixes sort and range scans stay inside one space:
//     't' + table id: the rows of a table, a view or an operator's state
//     table (TablePrefix); 'c' + object id: catalog blobs (PutCatalog);
//     'm' + name: metadata such as committed_epoch, source offsets and
//     the progress of view builds (MetaKey, SourceOffsetKey,
//     BackfillProgressKey); 'q' + sequence id: the state of a
//     sequence (SequenceKey); 'e' + view id: the row errors of a view
//     (ViewErrorPrefix).
//   - Epochs: an EpochBatch gathers every write of one epoch and Commit
//     applies it, together with committed_epoch, in one synced Pebble batch.
//   - Consistent reads: a Snapshot is a view of exactly one committed epoch;
//     SnapshotAt waits for an epoch to commit (a view build reads each
//     range at the epoch whose barrier it just passed).
//   - StateTable, the single place where operators touch storage: a key range
//     with an in-memory write buffer coalesced by key, flushed at barriers,
//     read through a state cache all tables share.
//   - The memory budget (Memory, Options.MemoryLimit): the state cache, a
//     byte-bounded LRU of clean values; Pebble's block cache and memtables;
//     the epoch's dirty state, whose share reached asks the runtime for an
//     early barrier (OnEpochFull).
//
// # What it does not own
//
// SQL values. Keys and values are opaque bytes here; the memcomparable key
// encoding and the row value format live in package sql/encoding. Catalog
// blobs are opaque too; ids are allocated above this package.
//
// # Invariants
//
//   - Atomic epochs. Nothing reaches Pebble except through Commit, and a
//     commit holds all writes of its epoch plus committed_epoch = N. So the
//     latest state of the database is always exactly the last committed
//     epoch, and a crash loses at most the epoch in flight, entirely. The
//     one exception is a sequence's state (WriteSequenceState): sequences
//     are not transactional, and a value handed out must stay used.
//   - Epochs only rise: Commit refuses an epoch not above CommittedEpoch.
//   - At most one epoch in flight: the barrier coordinator injects barrier
//     N+1 only after epoch N committed. A StateTable relies on it: what it
//     flushed at barrier N (its pending layer) is known to be in Pebble by
//     the time it flushes at barrier N+1, so the layer can be dropped then.
//     (A StateTable checks CommittedEpoch and keeps the layer if the
//     invariant is ever broken, so reads stay correct, only memory grows.)
//   - Catalog changes commit in the same EpochBatch as the data they
//     describe, so after recovery the catalog and the data agree.
//   - Ownership of bytes: every write (EpochBatch.Set, StateTable.Put)
//     copies its arguments; Get returns a value the caller may keep (a
//     StateTable's Get one the caller must not modify); keys and values
//     passed to a Scan callback are valid only during the call.
//   - The state cache holds only values already flushed or committed, so
//     evicting never loses a write; a discarded or failed epoch clears it.
package storage
