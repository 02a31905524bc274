package pgwire

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Startup packet codes (the "protocol version" of the special requests).
const (
	sslRequestCode    = 80877103
	gssEncRequestCode = 80877104
	cancelRequestCode = 80877102

	maxStartupPacketLen = 10000 // MAX_STARTUP_PACKET_LENGTH in PostgreSQL
	// secret key lengths: protocol 3.0 has exactly 4 bytes; 3.2 lets the
	// server choose up to 256 and PostgreSQL 18 uses 32.
	secretKeyLen30 = 4
	secretKeyLen32 = 32
)

// startup is what the client asked for in its startup packet.
type startup struct {
	minor  uint32 // protocol minor version we speak with the client
	params map[string]string
	// unrecognized lists _pq_ protocol options we do not support.
	unrecognized []string
	// negotiate is set when the client asked for a minor version we do not
	// speak and must be told which one we use instead.
	negotiate bool
}

// errCancelHandled ends a connection that carried a CancelRequest.
var errCancelHandled = errors.New("pgwire: cancel request handled")

// readStartup reads startup packets from the raw socket until a
// StartupMessage arrives, declining encryption requests and handling a
// cancel request. It reads exactly each packet's length, so nothing is
// buffered past the startup message and the socket could still be handed to
// a TLS layer.
func (c *conn) readStartup() (*startup, error) {
	stop := deadlineOnDone(c.ctx, c.netConn)
	defer stop()
	if err := c.netConn.SetReadDeadline(time.Now().Add(c.srv.cfg.StartupTimeout)); err != nil {
		return nil, err
	}
	defer c.netConn.SetReadDeadline(time.Time{})

	var header [4]byte
	for {
		if _, err := io.ReadFull(c.netConn, header[:]); err != nil {
			return nil, err
		}
		length := int(int32(binary.BigEndian.Uint32(header[:])))
		if length < 8 || length > maxStartupPacketLen {
			return nil, pgerror.New(pgerror.ProtocolViolation, "invalid length of startup packet")
		}
		body := make([]byte, length-4)
		if _, err := io.ReadFull(c.netConn, body); err != nil {
			return nil, err
		}
		code := binary.BigEndian.Uint32(body)
		switch code {
		case sslRequestCode, gssEncRequestCode:
			if length != 8 {
				return nil, pgerror.New(pgerror.ProtocolViolation, "invalid length of encryption request packet")
			}
			// Eddy has no TLS yet: decline, and the client goes on in plain
			// text (or gives up if it requires encryption).
			if _, err := c.netConn.Write([]byte{'N'}); err != nil {
				return nil, err
			}
		case cancelRequestCode:
			var msg pgproto3.CancelRequest
			if err := msg.Decode(body); err != nil {
				return nil, pgerror.New(pgerror.ProtocolViolation, "invalid cancel request packet")
			}
			c.srv.cancelQuery(msg.ProcessID, msg.SecretKey)
			return nil, errCancelHandled
		default:
			return parseStartupMessage(body)
		}
	}
}

// parseStartupMessage decodes a StartupMessage body (after the length). It
// accepts protocol 3.0 and 3.2 and negotiates any other 3.x down.
func parseStartupMessage(body []byte) (*startup, error) {
	version := binary.BigEndian.Uint32(body)
	major, minor := version>>16, version&0xffff
	if major != 3 {
		return nil, pgerror.New(pgerror.ProtocolViolation,
			"unsupported frontend protocol %d.%d: server supports 3.0 to 3.2", major, minor)
	}
	su := &startup{minor: minor, params: make(map[string]string)}
	switch {
	case minor == 1:
		// 3.1 was never defined; treat it like PostgreSQL 18 does, as 3.0.
		su.minor, su.negotiate = 0, true
	case minor > 2:
		su.minor, su.negotiate = 2, true
	}
	rest := body[4:]
	for {
		key, tail, ok := cutString(rest)
		if !ok {
			return nil, pgerror.New(pgerror.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
		}
		if key == "" {
			if len(tail) != 0 {
				return nil, pgerror.New(pgerror.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
			}
			break
		}
		value, tail2, ok := cutString(tail)
		if !ok {
			return nil, pgerror.New(pgerror.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
		}
		if strings.HasPrefix(key, "_pq_.") {
			su.unrecognized = append(su.unrecognized, key)
			su.negotiate = true
		} else {
			su.params[key] = value
		}
		rest = tail2
	}
	if su.params["user"] == "" {
		return nil, pgerror.New(pgerror.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")
	}
	if su.params["database"] == "" {
		su.params["database"] = su.params["user"]
	}
	return su, nil
}

func cutString(b []byte) (string, []byte, bool) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", nil, false
	}
	return string(b[:i]), b[i+1:], true
}

func newSecretKey(minor uint32) []byte {
	n := secretKeyLen30
	if minor >= 2 {
		n = secretKeyLen32
	}
	key := make([]byte, n)
	if _, err := rand.Read(key); err != nil {
		panic(fmt.Sprintf("pgwire: crypto/rand failed: %v", err))
	}
	return key
}
