package types

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// UUIDValue is a uuid datum: the 16 bytes in network order. It compares
// bytewise, as PostgreSQL's uuid_cmp does.
type UUIDValue = [16]byte

// ParseUUID is uuid's input function. Like PostgreSQL it takes 32 hex
// digits in either case, optionally in braces, with a hyphen allowed after
// any group of four digits.
func ParseUUID(s string) (Datum, error) {
	v := s
	if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
		v = v[1 : len(v)-1]
	}
	var out UUIDValue
	n := 0
	for i := 0; i < len(v); {
		if n == 32 {
			return nil, errInvalidSyntax(UUID, s)
		}
		if v[i] == '-' && n > 0 && n%4 == 0 && i+1 < len(v) && v[i+1] != '-' {
			i++
			continue
		}
		hi, ok1 := unhex(v[i])
		if !ok1 || i+1 >= len(v) {
			return nil, errInvalidSyntax(UUID, s)
		}
		lo, ok2 := unhex(v[i+1])
		if !ok2 {
			return nil, errInvalidSyntax(UUID, s)
		}
		out[n/2] = hi<<4 | lo
		n += 2
		i += 2
	}
	if n != 32 {
		return nil, errInvalidSyntax(UUID, s)
	}
	return out, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// FormatUUID prints the canonical 8-4-4-4-12 lower-case form.
func FormatUUID(u UUIDValue) string {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:])
	return string(buf[:])
}

// NewRandomUUID is gen_random_uuid(): a version 4 (random) uuid.
func NewRandomUUID() UUIDValue {
	var u UUIDValue
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}
