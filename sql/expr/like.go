package expr

import (
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// NewLike is e [NOT] LIKE/ILIKE pattern [ESCAPE escape]. The escape
// character defaults to backslash; an empty escape disables escaping.
func NewLike(e, pattern, escape Expr, not, caseInsensitive bool) (result Expr, err error) {
	defer stampOrigin(&result, &err, origin{ctor: ctorLike, flags: []bool{not, caseInsensitive}, args: []Expr{e, pattern, escape}})
	e, pattern, err = resolveUnknown(e, pattern)
	if err != nil {
		return nil, err
	}
	op := "~~"
	if caseInsensitive {
		op = "~~*"
	}
	if not {
		op = "!" + op
	}
	if e.Type().Kind == types.KindBytea || !e.Type().IsString() || !pattern.Type().IsString() {
		return nil, errNoOperator(op, e.Type(), pattern.Type())
	}
	args := []Expr{e, pattern}
	if escape != nil {
		if escape, err = coerceImplicit(escape, types.Text); err != nil {
			return nil, err
		}
		args = append(args, escape)
	}
	name := map[string]string{"~~": "LIKE", "!~~": "NOT LIKE", "~~*": "ILIKE", "!~~*": "NOT ILIKE"}[op]
	cache := &regexCache{}
	return &rowExpr{name: name, infix: escape == nil, args: args, t: types.Bool, strict: true,
		fn: func(_ *Context, v []types.Datum) (types.Datum, error) {
			esc := "\\"
			if len(v) == 3 {
				esc = v[2].(string)
			}
			re, err := cache.get(v[1].(string)+"\x00"+esc, func() (*regexp.Regexp, error) {
				return likeRegexp(v[1].(string), esc, caseInsensitive)
			})
			if err != nil {
				return nil, err
			}
			return re.MatchString(v[0].(string)) != not, nil
		}}, nil
}

// regexCache keeps the last compiled pattern: patterns are almost always
// constants, so one entry makes each row's match a lookup.
type regexCache struct {
	mu  sync.Mutex
	key string
	re  *regexp.Regexp
}

func (c *regexCache) get(key string, compile func() (*regexp.Regexp, error)) (*regexp.Regexp, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.re != nil && c.key == key {
		return c.re, nil
	}
	re, err := compile()
	if err != nil {
		return nil, err
	}
	c.key, c.re = key, re
	return re, nil
}

// likeRegexp translates a LIKE pattern into an anchored regular expression.
func likeRegexp(pattern, escape string, ci bool) (*regexp.Regexp, error) {
	if utf8.RuneCountInString(escape) > 1 {
		return nil, pgerror.New(pgerror.InvalidEscapeSequence, "invalid escape string").WithHint("Escape string must be empty or one character.")
	}
	escRune, _ := utf8.DecodeRuneInString(escape)
	var sb strings.Builder
	sb.WriteString("^(?s)")
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case escape != "" && r == escRune:
			if i+1 >= len(rs) {
				return nil, pgerror.New(pgerror.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
			}
			i++
			likeLiteral(&sb, rs[i], ci)
		case r == '%':
			sb.WriteString(".*")
		case r == '_':
			sb.WriteString(".")
		default:
			likeLiteral(&sb, r, ci)
		}
	}
	sb.WriteString("$")
	return regexp.Compile(sb.String())
}

// newRegexMatch is ~ !~ ~* !~*: POSIX regular expressions, run with Go's
// RE2 engine (which lacks back-references).
func newRegexMatch(op string, l, r Expr) (Expr, error) {
	l, r, err := resolveUnknown(l, r)
	if err != nil {
		return nil, err
	}
	if !l.Type().IsString() || !r.Type().IsString() {
		return nil, errNoOperator(op, l.Type(), r.Type())
	}
	not := op[0] == '!'
	ci := strings.HasSuffix(op, "*")
	cache := &regexCache{}
	return &rowExpr{name: op, infix: true, args: []Expr{l, r}, t: types.Bool, strict: true,
		fn: func(_ *Context, v []types.Datum) (types.Datum, error) {
			re, err := cache.get(v[1].(string), func() (*regexp.Regexp, error) { return compileRegex(pgRegexSyntax(v[1].(string)), ci) })
			if err != nil {
				return nil, err
			}
			return re.MatchString(v[0].(string)) != not, nil
		}}, nil
}

func compileRegex(p string, ci bool) (*regexp.Regexp, error) {
	var err error
	if ci {
		if p, err = asciiFoldRegex(p); err != nil {
			return nil, pgerror.New(pgerror.InvalidRegularExpression, "invalid regular expression: %s", err.Error())
		}
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, pgerror.New(pgerror.InvalidRegularExpression, "invalid regular expression: %s", err.Error())
	}
	return re, nil
}

// likeLiteral writes one literal pattern character; under ILIKE an ASCII
// letter matches either case (the C locale folds nothing else).
func likeLiteral(sb *strings.Builder, r rune, ci bool) {
	if ci {
		asciiFoldLiteral(sb, r)
		return
	}
	sb.WriteString(regexp.QuoteMeta(string(r)))
}
