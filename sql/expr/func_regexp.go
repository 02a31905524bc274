package expr

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// The regexp_* functions, run with Go's RE2 engine like ~ (no
// back-references in patterns). PostgreSQL's pattern escapes \m and \M
// (start and end of a word) become \b; the replacement's \1…\9 and \&
// become RE2's ${1}… and ${0}. Flags: g (every match, where allowed), i
// (case-insensitive), c (case-sensitive, the default); any other is an
// error.

// regexpFlags parses a flags argument.
func regexpFlags(flags string, allowGlobal bool, fn string) (global, ci bool, err error) {
	for _, f := range flags {
		switch f {
		case 'g':
			if !allowGlobal {
				return false, false, pgerror.New(pgerror.InvalidParameterValue, "%s() does not support the \"global\" option", fn).
					WithHint("Use the regexp_matches function instead.")
			}
			global = true
		case 'i':
			ci = true
		case 'c':
			ci = false
		default:
			return false, false, pgerror.New(pgerror.InvalidParameterValue, "invalid regular expression option: \"%c\"", f)
		}
	}
	return global, ci, nil
}

// pgRegexSyntax rewrites PostgreSQL-only escapes RE2 lacks.
func pgRegexSyntax(p string) string {
	if !strings.Contains(p, `\m`) && !strings.Contains(p, `\M`) {
		return p
	}
	var sb strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			switch p[i+1] {
			case 'm', 'M':
				sb.WriteString(`\b`)
			default:
				sb.WriteString(p[i : i+2])
			}
			i++
			continue
		}
		sb.WriteByte(p[i])
	}
	return sb.String()
}

// pgReplacement converts a regexp_replace replacement to RE2's template.
func pgReplacement(r string) string {
	var sb strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r) && r[i+1] >= '1' && r[i+1] <= '9':
			sb.WriteString("${" + string(r[i+1]) + "}")
			i++
		case c == '\\' && i+1 < len(r) && r[i+1] == '&':
			sb.WriteString("${0}")
			i++
		case c == '\\' && i+1 < len(r) && r[i+1] == '\\':
			sb.WriteByte('\\')
			i++
		case c == '$':
			sb.WriteString("$$")
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// regexpFunc registers a text function whose second argument is a pattern
// and whose last optional argument is flags; fn gets the compiled pattern.
func regexpFunc(name string, ret types.T, nargs []int, allowGlobal bool,
	fn func(re *regexp.Regexp, global bool, a []types.Datum) (types.Datum, error)) {
	var rs []overloadList
	for _, n := range nargs {
		cache := &regexCache{}
		rs = append(rs, textFunc(name, repeatT(tText, n), ret, func(a []types.Datum) (types.Datum, error) {
			flags := ""
			if len(a) > 2 && name != "regexp_replace" || len(a) > 3 {
				flags = a[len(a)-1].(string)
			}
			global, ci, err := regexpFlags(flags, allowGlobal, name)
			if err != nil {
				return nil, err
			}
			p := a[1].(string)
			re, err := cache.get(strconv.FormatBool(ci)+"\x00"+p, func() (*regexp.Regexp, error) { return compileRegex(pgRegexSyntax(p), ci) })
			if err != nil {
				return nil, err
			}
			return fn(re, global, a)
		}))
	}
	register(overloads(rs...), name)
}

func init() {
	regexpFunc("regexp_replace", tText, []int{3, 4}, true, func(re *regexp.Regexp, global bool, a []types.Datum) (types.Datum, error) {
		s, repl := a[0].(string), pgReplacement(a[2].(string))
		if global {
			return re.ReplaceAllString(s, repl), nil
		}
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			return s, nil
		}
		out := re.ExpandString(nil, repl, s, loc)
		return s[:loc[0]] + string(out) + s[loc[1]:], nil
	})
	regexpFunc("regexp_match", types.ArrayOf(tText), []int{2, 3}, false, func(re *regexp.Regexp, _ bool, a []types.Datum) (types.Datum, error) {
		s := a[0].(string)
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			return nil, nil
		}
		return matchGroups(s, loc), nil
	})
	regexpFunc("regexp_count", tInt, []int{2}, false, func(re *regexp.Regexp, _ bool, a []types.Datum) (types.Datum, error) {
		return int64(len(re.FindAllStringIndex(a[0].(string), -1))), nil
	})
	regexpFunc("regexp_split_to_array", types.ArrayOf(tText), []int{2, 3}, false, func(re *regexp.Regexp, _ bool, a []types.Datum) (types.Datum, error) {
		parts := re.Split(a[0].(string), -1)
		out := make(types.Array, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	})
}

// matchGroups is regexp_match's result: the capture groups (NULL for one
// that did not take part), or the whole match when there are none.
func matchGroups(s string, loc []int) types.Array {
	if len(loc) == 2 {
		return types.Array{s[loc[0]:loc[1]]}
	}
	out := make(types.Array, len(loc)/2-1)
	for g := 1; g < len(loc)/2; g++ {
		if loc[2*g] >= 0 {
			out[g-1] = s[loc[2*g]:loc[2*g+1]]
		}
	}
	return out
}

// substringRegex is substring(s FROM pattern): the part of s the POSIX
// pattern matches first, or its first parenthesized group when it has
// one; NULL without a match.
func substringRegex() overloadList {
	cache := &regexCache{}
	return custom(func(args []Expr) (Expr, error) {
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
	}, "(text, text) text")
}
