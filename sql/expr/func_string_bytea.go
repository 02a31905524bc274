package expr

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// The bytea overloads of string functions (octet_length, substring, substr,
// md5), which func_string.go registers with the text ones, and bytea's own
// get_byte and convert_from.

func byteaOctetLength() overloadList {
	return bytea(textFunc("octet_length", []types.T{types.Bytea}, tInt, func(a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].([]byte))), nil
	}))
}

func byteaSubstring() overloadList {
	return overloads(
		bytea(textFunc("substring", []types.T{types.Bytea, tInt}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
			return byteaSubstr(a[0].([]byte), a[1].(int64), -1, false)
		})),
		bytea(textFunc("substring", []types.T{types.Bytea, tInt, tInt}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
			return byteaSubstr(a[0].([]byte), a[1].(int64), a[2].(int64), true)
		})))
}

func byteaMD5() overloadList {
	return bytea(textFunc("md5", []types.T{types.Bytea}, tText, func(a []types.Datum) (types.Datum, error) {
		sum := md5.Sum(a[0].([]byte))
		return hex.EncodeToString(sum[:]), nil
	}))
}

func init() {
	register(textFunc("get_byte", []types.T{types.Bytea, tInt}, tInt, func(a []types.Datum) (types.Datum, error) {
		b, i := a[0].([]byte), a[1].(int64)
		if i < 0 || i >= int64(len(b)) {
			return nil, pgerror.New(pgerror.ArraySubscriptError, "index %d out of valid range, 0..%d", i, len(b)-1)
		}
		return int64(b[i]), nil
	}), "get_byte")
	register(textFunc("convert_from", []types.T{types.Bytea, tText}, tText, func(a []types.Datum) (types.Datum, error) {
		b := a[0].([]byte)
		switch strings.ToUpper(strings.ReplaceAll(a[1].(string), "-", "")) {
		case "UTF8", "UNICODE", "SQL_ASCII":
			if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
				return nil, pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
			}
			return string(b), nil
		case "LATIN1", "ISO88591":
			rs := make([]rune, len(b))
			for i, c := range b {
				rs[i] = rune(c)
			}
			return string(rs), nil
		}
		return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid source encoding name \"%s\"", a[1].(string))
	}), "convert_from")
}

func byteaSubstr(b []byte, start, count int64, hasCount bool) (types.Datum, error) {
	if hasCount && count < 0 {
		return nil, pgerror.New(pgerror.SubstringError, "negative substring length not allowed")
	}
	end := int64(len(b)) + 1
	if hasCount {
		end = min(start+count, end)
	}
	start = max(start, 1)
	if start >= end {
		return []byte{}, nil
	}
	return append([]byte{}, b[start-1:end-1]...), nil
}

// bytea restricts r to a bytea first argument: an untyped literal goes to
// the text overload, as PostgreSQL prefers text.
func bytea(list overloadList) overloadList {
	out := make(overloadList, len(list))
	for i, o := range list {
		bind := o.bind
		out[i] = overload{sigs: o.sigs, bind: func(args []Expr) (Expr, error) {
			if len(args) == 0 || args[0].Type().Kind != types.KindBytea {
				return nil, errNoMatch
			}
			return bind(args)
		}}
	}
	return out
}
