package expr

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// encode(bytea, format) and decode(text, format) for the formats hex,
// base64 (MIME lines of 76 characters, as PostgreSQL) and escape.

func init() {
	register(textFunc("encode", []types.T{types.Bytea, types.Text}, types.Text, func(a []types.Datum) (types.Datum, error) {
		b := a[0].([]byte)
		switch strings.ToLower(a[1].(string)) {
		case "hex":
			return hex.EncodeToString(b), nil
		case "base64":
			s := base64.StdEncoding.EncodeToString(b)
			var sb strings.Builder
			for len(s) > 76 {
				sb.WriteString(s[:76])
				sb.WriteByte('\n')
				s = s[76:]
			}
			sb.WriteString(s)
			return sb.String(), nil
		case "escape":
			var sb strings.Builder
			for _, c := range b {
				switch {
				case c == '\\':
					sb.WriteString(`\\`)
				case c == 0 || c >= 0x80:
					fmt.Fprintf(&sb, `\%03o`, c)
				default:
					sb.WriteByte(c)
				}
			}
			return sb.String(), nil
		}
		return nil, pgerror.New(pgerror.InvalidParameterValue, "unrecognized encoding: %q", a[1].(string))
	}), "encode")
	register(textFunc("decode", []types.T{types.Text, types.Text}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		switch strings.ToLower(a[1].(string)) {
		case "hex":
			h := strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
					return -1
				}
				return r
			}, s)
			if len(h)%2 != 0 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			b, err := hex.DecodeString(h)
			if err != nil {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid hexadecimal digit")
			}
			return b, nil
		case "base64":
			clean := strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
					return -1
				}
				return r
			}, s)
			for _, r := range clean {
				if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=') {
					return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid symbol %q found while decoding base64 sequence", string(r))
				}
			}
			b, err := base64.StdEncoding.DecodeString(clean)
			if err != nil {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "invalid base64 end sequence").
					WithHint("Input data is missing padding, is truncated, or is otherwise corrupted.")
			}
			return b, nil
		case "escape":
			d, err := types.ParseText(types.Bytea, strings.TrimPrefix(s, `\x`))
			if err != nil {
				return nil, err
			}
			return d, nil
		}
		return nil, pgerror.New(pgerror.InvalidParameterValue, "unrecognized encoding: %q", a[1].(string))
	}), "decode")
}
