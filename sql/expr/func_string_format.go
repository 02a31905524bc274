package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// format, quote_literal and quote_nullable: text built from values of any
// type, quoted for SQL.

func init() {
	register(custom(func(args []Expr) (Expr, error) {
		if len(args) != 1 {
			return nil, errNoMatch
		}
		t := args[0].Type()
		return &rowExpr{name: "quote_literal", args: args, t: tText, strict: true,
			fn: func(_ *Context, a []types.Datum) (types.Datum, error) { return quoteLiteral(datumText(t, a[0])), nil }}, nil
	}, "(anyelement) text"), "quote_literal")
	register(custom(func(args []Expr) (Expr, error) {
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
	}, "(anyelement) text"), "quote_nullable")
	register(custom(func(args []Expr) (Expr, error) {
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
	}, "(text, VARIADIC any) text"), "format")
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
				return nil, pgerror.New(pgerror.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
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
