package expr

import (
	"strings"
	"unicode/utf8"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// translate and overlay: replacing characters and substrings of text.

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
		return nil, pgerror.New(pgerror.SubstringError, "negative substring length not allowed")
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
