package expr

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

func textFunc(name string, params []types.T, ret types.T, fn func(a []types.Datum) (types.Datum, error)) overloadList {
	return typed(params, ret, func(args []Expr) (Expr, error) {
		return call(name, args, params, ret, func(_ *Context, a []types.Datum) (types.Datum, error) { return fn(a) })
	})
}

var (
	tText  = types.Text
	tInt   = types.Int32
	t1Text = []types.T{tText}
)

func init() {
	register(overloads(
		textFunc("length", t1Text, tInt, func(a []types.Datum) (types.Datum, error) {
			return int64(utf8.RuneCountInString(a[0].(string))), nil
		}),
		textFunc("length", []types.T{types.Bytea}, tInt, func(a []types.Datum) (types.Datum, error) {
			return int64(len(a[0].([]byte))), nil
		})), "length", "char_length", "character_length")
	register(overloads(byteaOctetLength(), textFunc("octet_length", t1Text, tInt, func(a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].(string))), nil
	})), "octet_length")
	register(textFunc("lower", t1Text, tText, func(a []types.Datum) (types.Datum, error) { return asciiLower(a[0].(string)), nil }), "lower")
	register(textFunc("upper", t1Text, tText, func(a []types.Datum) (types.Datum, error) { return asciiUpper(a[0].(string)), nil }), "upper")
	textSubstr := overloads(
		textFunc("substr", []types.T{tText, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
			return substr(a[0].(string), a[1].(int64), -1, false)
		}),
		textFunc("substr", []types.T{tText, tInt, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
			return substr(a[0].(string), a[1].(int64), a[2].(int64), true)
		}))
	register(overloads(byteaSubstring(), textSubstr), "substr")
	register(overloads(substringRegex(), byteaSubstring(), textSubstr), "substring")
	register(textFunc("strpos", []types.T{tText, tText}, tInt, func(a []types.Datum) (types.Datum, error) {
		return strpos(a[0].(string), a[1].(string)), nil
	}), "strpos")
	// position(sub IN s) is parsed, as in PostgreSQL, as position(s, sub).
	register(textFunc("position", []types.T{tText, tText}, tInt, func(a []types.Datum) (types.Datum, error) {
		return strpos(a[0].(string), a[1].(string)), nil
	}), "position")
	register(textFunc("replace", []types.T{tText, tText, tText}, tText, func(a []types.Datum) (types.Datum, error) {
		if a[1].(string) == "" {
			return a[0], nil
		}
		return strings.ReplaceAll(a[0].(string), a[1].(string), a[2].(string)), nil
	}), "replace")
	for _, name := range []string{"btrim", "ltrim", "rtrim"} {
		trim := map[string]func(string, string) string{"btrim": strings.Trim, "ltrim": strings.TrimLeft, "rtrim": strings.TrimRight}[name]
		r := overloads(
			textFunc(name, t1Text, tText, func(a []types.Datum) (types.Datum, error) { return trim(a[0].(string), " "), nil }),
			textFunc(name, []types.T{tText, tText}, tText, func(a []types.Datum) (types.Datum, error) {
				return trim(a[0].(string), a[1].(string)), nil
			}))
		register(r, name)
		if name == "btrim" {
			register(r, "trim")
		}
	}
	register(pad("lpad", true), "lpad")
	register(pad("rpad", false), "rpad")
	register(textFunc("left", []types.T{tText, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
		rs := []rune(a[0].(string))
		n := int(a[1].(int64))
		if n < 0 {
			n = max(len(rs)+n, 0)
		}
		return string(rs[:min(n, len(rs))]), nil
	}), "left")
	register(textFunc("right", []types.T{tText, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
		rs := []rune(a[0].(string))
		n := int(a[1].(int64))
		if n < 0 {
			n = max(len(rs)+n, 0)
		}
		n = min(n, len(rs))
		return string(rs[len(rs)-n:]), nil
	}), "right")
	register(textFunc("repeat", []types.T{tText, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
		n := a[1].(int64)
		if n <= 0 {
			return "", nil
		}
		if int64(len(a[0].(string)))*n > 1<<30 {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "requested length too large")
		}
		return strings.Repeat(a[0].(string), int(n)), nil
	}), "repeat")
	register(textFunc("reverse", t1Text, tText, func(a []types.Datum) (types.Datum, error) {
		rs := []rune(a[0].(string))
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return string(rs), nil
	}), "reverse")
	register(textFunc("split_part", []types.T{tText, tText, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
		n := a[2].(int64)
		if n == 0 {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "field position must not be zero")
		}
		s, sep := a[0].(string), a[1].(string)
		var parts []string
		if sep == "" {
			parts = []string{s}
		} else {
			parts = strings.Split(s, sep)
		}
		if n < 0 {
			n = int64(len(parts)) + n + 1
		}
		if n < 1 || n > int64(len(parts)) {
			return "", nil
		}
		return parts[n-1], nil
	}), "split_part")
	register(textFunc("starts_with", []types.T{tText, tText}, types.Bool, func(a []types.Datum) (types.Datum, error) {
		return strings.HasPrefix(a[0].(string), a[1].(string)), nil
	}), "starts_with")
	register(overloads(byteaMD5(), textFunc("md5", t1Text, tText, func(a []types.Datum) (types.Datum, error) {
		sum := md5.Sum([]byte(a[0].(string)))
		return hex.EncodeToString(sum[:]), nil
	})), "md5")
	register(textFunc("ascii", t1Text, tInt, func(a []types.Datum) (types.Datum, error) {
		r, _ := utf8.DecodeRuneInString(a[0].(string))
		if r == utf8.RuneError {
			return int64(0), nil
		}
		return int64(r), nil
	}), "ascii")
	register(textFunc("chr", []types.T{tInt}, tText, func(a []types.Datum) (types.Datum, error) {
		n := a[0].(int64)
		if n <= 0 || n > 0x10FFFF {
			return nil, pgerror.New(pgerror.ProgramLimitExceeded, "requested character too large for encoding: %d", n)
		}
		return string(rune(n)), nil
	}), "chr")
	register(textFunc("initcap", t1Text, tText, func(a []types.Datum) (types.Datum, error) {
		return initcap(a[0].(string)), nil
	}), "initcap")
	register(concatResolver(false), "concat")
	register(concatResolver(true), "concat_ws")
	register(overloads(
		textFunc("to_hex", []types.T{types.Int32}, tText, func(a []types.Datum) (types.Datum, error) {
			return strconv.FormatUint(uint64(uint32(a[0].(int64))), 16), nil
		}),
		textFunc("to_hex", []types.T{types.Int64}, tText, func(a []types.Datum) (types.Datum, error) {
			return strconv.FormatUint(uint64(a[0].(int64)), 16), nil
		})), "to_hex")
	register(overloads(
		bytea(textFunc("bit_length", []types.T{types.Bytea}, tInt, func(a []types.Datum) (types.Datum, error) {
			return int64(8 * len(a[0].([]byte))), nil
		})),
		textFunc("bit_length", t1Text, tInt, func(a []types.Datum) (types.Datum, error) {
			return int64(8 * len(a[0].(string))), nil
		})), "bit_length")
}

// substr is PostgreSQL's text_substr: 1-based start, characters before 1
// count against the length.
func substr(s string, start, length int64, hasLen bool) (types.Datum, error) {
	if hasLen && length < 0 {
		return nil, pgerror.New(pgerror.SubstringError, "negative substring length not allowed")
	}
	rs := []rune(s)
	from := start - 1
	to := int64(len(rs))
	if hasLen {
		to = min(from+length, int64(len(rs)))
	}
	from = max(from, 0)
	if from >= to {
		return "", nil
	}
	return string(rs[from:to]), nil
}

func strpos(s, sub string) int64 {
	i := strings.Index(s, sub)
	if i < 0 {
		return 0
	}
	return int64(utf8.RuneCountInString(s[:i])) + 1
}

func pad(name string, left bool) overloadList {
	fn := func(a []types.Datum) (types.Datum, error) {
		s, n := []rune(a[0].(string)), int(a[1].(int64))
		fill := []rune(" ")
		if len(a) == 3 {
			fill = []rune(a[2].(string))
		}
		if n <= len(s) {
			return string(s[:max(n, 0)]), nil
		}
		if len(fill) == 0 {
			return string(s), nil
		}
		padding := make([]rune, 0, n-len(s))
		for i := 0; len(padding) < n-len(s); i++ {
			padding = append(padding, fill[i%len(fill)])
		}
		if left {
			return string(padding) + string(s), nil
		}
		return string(s) + string(padding), nil
	}
	return overloads(textFunc(name, []types.T{tText, tInt}, tText, fn), textFunc(name, []types.T{tText, tInt, tText}, tText, fn))
}

// concatResolver is concat and concat_ws: variadic "any", NULLs skipped,
// values printed with their output functions.
func concatResolver(ws bool) overloadList {
	name := "concat"
	if ws {
		name = "concat_ws"
	}
	sig := "(VARIADIC any) text"
	if ws {
		sig = "(text, VARIADIC any) text"
	}
	return custom(func(args []Expr) (Expr, error) {
		if len(args) == 0 || (ws && len(args) < 2) {
			return nil, errNoMatch
		}
		args = append([]Expr{}, args...)
		for i, a := range args {
			if a.Type().Kind == types.KindUnknown {
				c, err := Coerce(a, types.Text)
				if err != nil {
					return nil, err
				}
				args[i] = c
			}
		}
		return &rowExpr{name: name, args: args, t: types.Text, strict: false,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				var sb strings.Builder
				sep := ""
				vals := a
				if ws {
					if a[0] == nil {
						return nil, nil
					}
					sep, vals = a[0].(string), a[1:]
				}
				first := true
				for i, d := range vals {
					if d == nil {
						continue
					}
					if !first {
						sb.WriteString(sep)
					}
					first = false
					t := args[i].Type()
					if ws {
						t = args[i+1].Type()
					}
					sb.WriteString(types.FormatText(t, d))
				}
				return sb.String(), nil
			}}, nil
	}, sig)
}
