package pgwire

import (
	"context"
	"io"
	"time"
)

// socketReader decouples reading the socket from handling messages. A pump
// goroutine reads the client ahead of the connection goroutine, so a client
// that disconnects while a statement runs is noticed at once (and the
// statement cancelled) rather than when the statement ends. Reading ahead is
// bounded by a small pool of buffers; a client that pipelines more than that
// is simply not read until the connection goroutine catches up.
type socketReader struct {
	full chan []byte // filled buffers, in order
	free chan []byte // empty buffers for the pump
	errc chan error  // the pump's final error, after the last buffer
	cur  []byte      // unread part of the buffer being consumed
	curb []byte      // that buffer, to return to free
	err  error
	done <-chan struct{} // the connection's context
	// doneErr is returned once done is closed.
	doneErr func() error
	// beforeBlock, if set, is called before Read waits for the client: the
	// connection flushes its output there, so replies go out exactly when
	// the client may be waiting for them and never row by row.
	beforeBlock func() error
}

const (
	readBufferSize  = 16 << 10
	readBufferCount = 4
)

// newSocketReader starts the pump over r. onEOF is called from the pump when
// r fails (the client went away or the socket was closed).
func newSocketReader(ctx context.Context, r io.Reader, onEOF func(error)) *socketReader {
	sr := &socketReader{
		full: make(chan []byte, readBufferCount),
		free: make(chan []byte, readBufferCount),
		errc: make(chan error, 1),
		done: ctx.Done(),
		doneErr: func() error {
			return context.Cause(ctx)
		},
	}
	for range readBufferCount {
		sr.free <- make([]byte, readBufferSize)
	}
	go sr.pump(ctx, r, onEOF)
	return sr
}

func (sr *socketReader) pump(ctx context.Context, r io.Reader, onEOF func(error)) {
	for {
		var buf []byte
		select {
		case buf = <-sr.free:
		case <-ctx.Done():
			sr.errc <- context.Cause(ctx)
			return
		}
		n, err := r.Read(buf[:cap(buf)])
		if n > 0 {
			sr.full <- buf[:n]
		} else {
			sr.free <- buf
		}
		if err != nil {
			sr.errc <- err
			onEOF(err)
			return
		}
	}
}

// Read implements io.Reader for pgproto3's chunk reader. It fails with the
// connection context's cause once that is done, so that a shutdown wakes a
// connection waiting for its client.
func (sr *socketReader) Read(p []byte) (int, error) {
	if len(sr.cur) == 0 {
		if sr.curb != nil {
			sr.free <- sr.curb[:cap(sr.curb)]
			sr.curb = nil
		}
		if sr.err != nil {
			return 0, sr.err
		}
		// Prefer buffered data over the pump's error so that nothing the
		// client sent before closing is lost.
		select {
		case b := <-sr.full:
			sr.cur, sr.curb = b, b
		default:
			if sr.beforeBlock != nil {
				if err := sr.beforeBlock(); err != nil {
					return 0, err
				}
			}
			select {
			case b := <-sr.full:
				sr.cur, sr.curb = b, b
			case err := <-sr.errc:
				select {
				case b := <-sr.full:
					sr.errc <- err
					sr.cur, sr.curb = b, b
				default:
					sr.err = err
					return 0, err
				}
			case <-sr.done:
				return 0, sr.doneErr()
			}
		}
	}
	n := copy(p, sr.cur)
	sr.cur = sr.cur[n:]
	return n, nil
}

// drain discards input until the pump stops (EOF, error or the read
// deadline) or timeout passes.
func (sr *socketReader) drain(timeout time.Duration) {
	deadline := time.After(timeout)
	for {
		select {
		case b := <-sr.full:
			sr.free <- b[:cap(b)]
		case err := <-sr.errc:
			sr.errc <- err
			return
		case <-deadline:
			return
		}
	}
}
