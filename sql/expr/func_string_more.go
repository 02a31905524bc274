package expr

import (
	"crypto/md5"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// translate, overlay, to_hex, bit_length, quote_literal, quote_nullable,
// format, and the bytea forms of octet_length, substring and
// convert_from.

func init() {
	register(textFunc("translate", []types.T{tText, tText, tText}, tText, func(a []types.Datum) (types.Datum, error) {
		return translate(a[0].(string), a[1].(string), a[2].(string)), nil
	}), "translate")
	register(overloads(
		textFunc("overlay", []types.T{tText, tText, tInt, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
			return overlay(a[0].(string), a[1].(string), a[2].(int64), a[3].(int64))
		}),
		textFunc("overlay", []types.T{tText, tText, tInt}, tText, func(a []types.Datum) (types.Datum, error) {
			return overlay(a[0].(string), a[1].(string), a[2].(int64), int64(utf8.RuneCountInString(a[1].(string))))
		})), "overlay")
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
	register(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		t := args[0].Type()
		return &rowExpr{name: "quote_literal", args: args, t: tText, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return quoteLiteral(datumText(t, a[0])), nil }}, nil
	}, "quote_literal")
	register(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		t := args[0].Type()
		return &rowExpr{name: "quote_nullable", args: args, t: tText,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return "NULL", nil
				}
				return quoteLiteral(datumText(t, a[0])), nil
			}}, nil
	}, "quote_nullable")
	register(func(args []Expr) (Expr, error) {
		if len(args) == 0 {
			return nil, errNoMatch
		}
		f, err := coerceArg(args[0], tText)
		if err != nil {
			return nil, err
		}
		args = append([]Expr{f}, args[1:]...)
		ts := argTypes(args)
		return &rowExpr{name: "format", args: args, t: tText,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) {
				if a[0] == nil {
					return nil, nil
				}
				return formatSQL(a[0].(string), ts[1:], a[1:])
			}}, nil
	}, "format")

	if prev, ok := functions["octet_length"]; ok {
		register(overloads(bytea(textFunc("octet_length", []types.T{types.Bytea}, tInt, func(a []types.Datum) (types.Datum, error) {
			return int64(len(a[0].([]byte))), nil
		})), prev), "octet_length")
	}
	if prev, ok := functions["substring"]; ok {
		register(overloads(
			bytea(textFunc("substring", []types.T{types.Bytea, tInt}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
				return byteaSubstr(a[0].([]byte), a[1].(int64), -1, false)
			})),
			bytea(textFunc("substring", []types.T{types.Bytea, tInt, tInt}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
				return byteaSubstr(a[0].([]byte), a[1].(int64), a[2].(int64), true)
			})), prev), "substr")
		register(overloads(substringRegex(), bytea(textFunc("substring", []types.T{types.Bytea, tInt}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
			return byteaSubstr(a[0].([]byte), a[1].(int64), -1, false)
		})),
			bytea(textFunc("substring", []types.T{types.Bytea, tInt, tInt}, types.Bytea, func(a []types.Datum) (types.Datum, error) {
				return byteaSubstr(a[0].([]byte), a[1].(int64), a[2].(int64), true)
			})), prev), "substring")
	}
	if prev, ok := functions["md5"]; ok {
		register(overloads(bytea(textFunc("md5", []types.T{types.Bytea}, tText, func(a []types.Datum) (types.Datum, error) {
			sum := md5.Sum(a[0].([]byte))
			return hex.EncodeToString(sum[:]), nil
		})), prev), "md5")
	}
	register(textFunc("get_byte", []types.T{types.Bytea, tInt}, tInt, func(a []types.Datum) (types.Datum, error) {
		b, i := a[0].([]byte), a[1].(int64)
		if i < 0 || i >= int64(len(b)) {
			return nil, pgerror.New("2202E", "index %d out of valid range, 0..%d", i, len(b)-1)
		}
		return int64(b[i]), nil
	}), "get_byte")
	register(textFunc("convert_from", []types.T{types.Bytea, tText}, tText, func(a []types.Datum) (types.Datum, error) {
		b := a[0].([]byte)
		switch strings.ToUpper(strings.ReplaceAll(a[1].(string), "-", "")) {
		case "UTF8", "UNICODE", "SQL_ASCII":
			if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
				return nil, pgerror.New("22021", "invalid byte sequence for encoding \"UTF8\"")
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

func translate(s, from, to string) string {
	fr, tr := []rune(from), []rune(to)
	var sb strings.Builder
	for _, r := range s {
		i := -1
		for j, f := range fr {
			if f == r {
				i = j
				break
			}
		}
		switch {
		case i < 0:
			sb.WriteRune(r)
		case i < len(tr):
			sb.WriteRune(tr[i])
		}
	}
	return sb.String()
}

// overlay is substr(s, 1, from-1) || r || substr(s, from+count).
func overlay(s, r string, from, count int64) (types.Datum, error) {
	if from <= 0 {
		return nil, pgerror.New("22011", "negative substring length not allowed")
	}
	head, err := substr(s, 1, from-1, true)
	if err != nil {
		return nil, err
	}
	tail, err := substr(s, from+count, -1, false)
	if err != nil {
		return nil, err
	}
	return head.(string) + r + tail.(string), nil
}

func byteaSubstr(b []byte, start, count int64, hasCount bool) (types.Datum, error) {
	if hasCount && count < 0 {
		return nil, pgerror.New("22011", "negative substring length not allowed")
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

// datumText is d's text output, for functions taking "any".
func datumText(t types.T, d types.Datum) string {
	if s, ok := d.(string); ok {
		return s
	}
	return types.FormatText(t, d)
}

// quoteLiteral quotes s as a SQL string literal; a backslash makes it an
// E” literal with the backslashes doubled.
func quoteLiteral(s string) string {
	var sb strings.Builder
	if strings.Contains(s, `\`) {
		sb.WriteByte('E')
	}
	sb.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			sb.WriteString("''")
		case '\\':
			sb.WriteString(`\\`)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('\'')
	return sb.String()
}

// formatSQL is format(): %[n$][-][width]{s,I,L} and %%.
func formatSQL(f string, ts []types.T, args []types.Datum) (types.Datum, error) {
	var sb strings.Builder
	next := 0
	tooFew := func() error {
		return pgerror.New(pgerror.InvalidParameterValue, "too few arguments for format()")
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			sb.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "unterminated format() type specifier").
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if f[i] == '%' {
			sb.WriteByte('%')
			continue
		}
		// An argument position n$.
		j := i
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		if j < len(f) && f[j] == '$' && j > i {
			n, _ := strconv.Atoi(f[i:j])
			if n == 0 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "format specifies argument 0, but arguments are numbered from 1")
			}
			next = n - 1
			i = j + 1
		}
		left := false
		for i < len(f) && f[i] == '-' {
			left = true
			i++
		}
		width := 0
		if i < len(f) && f[i] == '*' {
			if next >= len(args) {
				return nil, tooFew()
			}
			if args[next] != nil {
				w, err := strconv.Atoi(datumText(ts[next], args[next]))
				if err != nil {
					return nil, pgerror.New(pgerror.InvalidParameterValue, "width argument must be an integer")
				}
				width = w
			}
			next++
			i++
		} else {
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				width = width*10 + int(f[i]-'0')
				i++
			}
		}
		if width < 0 {
			left, width = true, -width
		}
		if i >= len(f) {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "unterminated format() type specifier").
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		spec := f[i]
		if spec != 's' && spec != 'I' && spec != 'L' {
			return nil, pgerror.New(pgerror.InvalidParameterValue, "unrecognized format() type specifier \"%c\"", spec).
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if next >= len(args) {
			return nil, tooFew()
		}
		d := args[next]
		var s string
		switch {
		case spec == 's' && d != nil:
			s = datumText(ts[next], d)
		case spec == 'I':
			if d == nil {
				return nil, pgerror.New("22004", "null values cannot be formatted as an SQL identifier")
			}
			s = quoteIdent(datumText(ts[next], d))
		case spec == 'L':
			s = "NULL"
			if d != nil {
				s = quoteLiteral(datumText(ts[next], d))
			}
		}
		next++
		if pad := width - utf8.RuneCountInString(s); pad > 0 {
			if left {
				s += strings.Repeat(" ", pad)
			} else {
				s = strings.Repeat(" ", pad) + s
			}
		}
		sb.WriteString(s)
	}
	return sb.String(), nil
}

// bytea restricts r to a bytea first argument: an untyped literal goes to
// the text overload, as PostgreSQL prefers text.
func bytea(r resolver) resolver {
	return func(args []Expr) (Expr, error) {
		if len(args) == 0 || args[0].Type().Kind != types.KindBytea {
			return nil, errNoMatch
		}
		return r(args)
	}
}

// substringRegex is substring(s FROM pattern): the part of s the POSIX
// pattern matches first, or its first parenthesized group when it has
// one; NULL without a match.
func substringRegex() resolver {
	cache := &regexCache{}
	return func(args []Expr) (Expr, error) {
		if len(args) != 2 || args[0].Type().Kind == types.KindBytea {
			return nil, errNoMatch
		}
		if k := args[1].Type(); k.Kind != types.KindUnknown && !k.IsString() {
			return nil, errNoMatch
		}
		return call("substring", args, []types.T{tText, tText}, tText, func(_ *Context, a []types.Datum) (types.Datum, error) {
			p := a[1].(string)
			re, err := cache.get(p, func() (*regexp.Regexp, error) { return compileRegex(pgRegexSyntax(p), false) })
			if err != nil {
				return nil, err
			}
			s := a[0].(string)
			loc := re.FindStringSubmatchIndex(s)
			switch {
			case loc == nil:
				return nil, nil
			case len(loc) > 2:
				if loc[2] < 0 {
					return nil, nil
				}
				return s[loc[2]:loc[3]], nil
			}
			return s[loc[0]:loc[1]], nil
		})
	}
}
