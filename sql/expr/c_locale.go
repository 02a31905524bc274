package expr

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// Case mapping in the C locale, PostgreSQL's reference collation here:
// upper, lower, initcap, ILIKE and the case-insensitive regular
// expressions change only the ASCII letters; 'é' and 'É' are different
// characters that no case folding relates.

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - ('a' - 'A')
		}
		return r
	}, s)
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// initcap upper-cases the first ASCII letter of each run of ASCII
// letters and digits and lower-cases the rest.
func initcap(s string) string {
	rs := []rune(s)
	start := true
	for i, r := range rs {
		alnum := isASCIIAlnum(r)
		switch {
		case start && r >= 'a' && r <= 'z':
			rs[i] = r - ('a' - 'A')
		case !start && r >= 'A' && r <= 'Z':
			rs[i] = r + 'a' - 'A'
		}
		start = !alnum
	}
	return string(rs)
}

// asciiFoldLiteral writes r for a regular expression that matches it in
// either ASCII case.
func asciiFoldLiteral(sb *strings.Builder, r rune) {
	switch {
	case r >= 'a' && r <= 'z':
		sb.WriteString("[" + string(r-('a'-'A')) + string(r) + "]")
	case r >= 'A' && r <= 'Z':
		sb.WriteString("[" + string(r) + string(r+'a'-'A') + "]")
	default:
		sb.WriteString(syntaxQuote(r))
	}
}

func syntaxQuote(r rune) string {
	re := &syntax.Regexp{Op: syntax.OpLiteral, Rune: []rune{r}}
	return re.String()
}

// asciiFoldRegex rewrites a case-insensitive pattern so that it folds
// only ASCII letters: it is parsed without case folding, each literal
// letter becomes a class of its two cases, and each bracket expression
// gains (or, negated, loses) the other case of its letters.
func asciiFoldRegex(p string) (string, error) {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return "", err
	}
	return asciiFoldTree(re).String(), nil
}

func asciiFoldTree(re *syntax.Regexp) *syntax.Regexp {
	for i, s := range re.Sub {
		re.Sub[i] = asciiFoldTree(s)
	}
	switch re.Op {
	case syntax.OpLiteral:
		var subs []*syntax.Regexp
		for _, r := range re.Rune {
			if lo, up := r|0x20, r&^0x20; lo >= 'a' && lo <= 'z' {
				subs = append(subs, &syntax.Regexp{Op: syntax.OpCharClass, Flags: re.Flags, Rune: []rune{up, up, lo, lo}})
				continue
			}
			subs = append(subs, &syntax.Regexp{Op: syntax.OpLiteral, Flags: re.Flags, Rune: []rune{r}})
		}
		if len(subs) == 1 {
			return subs[0]
		}
		return &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags, Sub: subs}
	case syntax.OpCharClass:
		re.Rune = asciiFoldClass(re.Rune)
	}
	return re
}

// asciiFoldClass folds a parsed class (pairs of inclusive ranges). The
// parser stores [^…] complemented, so a class reaching the last rune is
// taken as negated: a letter stays in it only if its other case does.
func asciiFoldClass(ranges []rune) []rune {
	in := func(r rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= r && r <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	negated := len(ranges) > 0 && ranges[len(ranges)-1] == unicode.MaxRune
	var out []rune
	for r := rune(0); r < 128; r++ {
		keep := in(r)
		if lo, up := r|0x20, r&^0x20; lo >= 'a' && lo <= 'z' {
			if negated {
				keep = in(lo) && in(up)
			} else {
				keep = in(lo) || in(up)
			}
		}
		switch {
		case !keep:
		case len(out) > 0 && out[len(out)-1] == r-1:
			out[len(out)-1] = r
		default:
			out = append(out, r, r)
		}
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := max(ranges[i], 128), ranges[i+1]
		switch {
		case lo > hi:
		case len(out) > 0 && out[len(out)-1] == lo-1:
			out[len(out)-1] = hi
		default:
			out = append(out, lo, hi)
		}
	}
	return out
}
