package types

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// json and jsonb.
//
// A json datum is its input text, kept as written (a string), after a
// check that it is valid JSON. A jsonb datum is a *JSONValue: a parsed
// tree in PostgreSQL's canonical form, which is what makes jsonb values
// comparable and what its output prints: object keys unique (the last of
// duplicates wins) and ordered shorter first, then bytewise; numbers as
// numeric ("1e3" is 1000, "2.50" keeps its scale); output with ", " and
// ": " separators. In Arrow columns jsonb travels as that canonical text.

// JSONType is the type of a JSON value, in PostgreSQL's jsonb sort order:
// null < string < number < boolean < array < object.
type JSONType uint8

const (
	JSONNull JSONType = iota
	JSONString
	JSONNumber
	JSONBool
	JSONArray
	JSONObject
)

// JSONValue is one node of a jsonb tree; never mutated once built.
type JSONValue struct {
	Type  JSONType
	Bool  bool
	Str   string       // JSONString
	Num   *apd.Decimal // JSONNumber
	Elems []*JSONValue // JSONArray
	Keys  []string     // JSONObject, in canonical order
	Vals  []*JSONValue // JSONObject, Vals[i] is Keys[i]'s value
}

// JSONNullValue is the JSON null.
var JSONNullValue = &JSONValue{Type: JSONNull}

// NewJSONString, NewJSONBool and NewJSONNumber build scalars.
func NewJSONString(s string) *JSONValue       { return &JSONValue{Type: JSONString, Str: s} }
func NewJSONBool(b bool) *JSONValue           { return &JSONValue{Type: JSONBool, Bool: b} }
func NewJSONNumber(d *apd.Decimal) *JSONValue { return &JSONValue{Type: JSONNumber, Num: d} }

// NewJSONArray builds an array of the given elements.
func NewJSONArray(elems []*JSONValue) *JSONValue {
	if elems == nil {
		elems = []*JSONValue{}
	}
	return &JSONValue{Type: JSONArray, Elems: elems}
}

// NewJSONObject builds an object; of duplicate keys the last wins.
func NewJSONObject(keys []string, vals []*JSONValue) *JSONValue {
	idx := make(map[string]int, len(keys))
	var ks []string
	var vs []*JSONValue
	for i, k := range keys {
		if j, ok := idx[k]; ok {
			vs[j] = vals[i]
			continue
		}
		idx[k] = len(ks)
		ks = append(ks, k)
		vs = append(vs, vals[i])
	}
	o := &JSONValue{Type: JSONObject, Keys: ks, Vals: vs}
	sort.Sort(jsonKeyOrder{o})
	if o.Keys == nil {
		o.Keys, o.Vals = []string{}, []*JSONValue{}
	}
	return o
}

// jsonKeyOrder sorts an object's pairs in PostgreSQL's storage order.
type jsonKeyOrder struct{ o *JSONValue }

func (s jsonKeyOrder) Len() int { return len(s.o.Keys) }
func (s jsonKeyOrder) Less(i, j int) bool {
	a, b := s.o.Keys[i], s.o.Keys[j]
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
func (s jsonKeyOrder) Swap(i, j int) {
	s.o.Keys[i], s.o.Keys[j] = s.o.Keys[j], s.o.Keys[i]
	s.o.Vals[i], s.o.Vals[j] = s.o.Vals[j], s.o.Vals[i]
}

// Get returns the value of key in an object, nil if absent or not an object.
func (v *JSONValue) Get(key string) *JSONValue {
	if v.Type != JSONObject {
		return nil
	}
	i := sort.Search(len(v.Keys), func(i int) bool {
		k := v.Keys[i]
		if len(k) != len(key) {
			return len(k) > len(key)
		}
		return k >= key
	})
	if i < len(v.Keys) && v.Keys[i] == key {
		return v.Vals[i]
	}
	return nil
}

func errJSONSyntax(s, detail string) error {
	return pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json").WithDetail("%s", detail)
}

// ParseJSONB is jsonb's input function.
func ParseJSONB(s string) (*JSONValue, error) {
	p := jsonParser{s: s, jsonb: true}
	v, err := p.parseTop()
	if err != nil {
		return nil, err
	}
	return v, nil
}

// ValidateJSON is json's input function: the text is kept as written.
func ValidateJSON(s string) (Datum, error) {
	p := jsonParser{s: s}
	if _, err := p.parseTop(); err != nil {
		return nil, err
	}
	return s, nil
}

type jsonParser struct {
	s     string
	i     int
	jsonb bool // \u0000 is an error only in jsonb
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) parseTop() (*JSONValue, error) {
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, errJSONSyntax(p.s, "Expected end of input, but found \""+p.token()+"\".")
	}
	return v, nil
}

// token is the offending token for error details.
func (p *jsonParser) token() string {
	j := p.i
	for j < len(p.s) && strings.IndexByte(" \t\n\r,:[]{}\"", p.s[j]) < 0 {
		j++
	}
	if j == p.i && j < len(p.s) {
		j++
	}
	return p.s[p.i:j]
}

func (p *jsonParser) value(depth int) (*JSONValue, error) {
	if depth > 6400 {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "stack depth limit exceeded")
	}
	p.ws()
	if p.i >= len(p.s) {
		return nil, errJSONSyntax(p.s, "The input string ended unexpectedly.")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		var keys []string
		var vals []*JSONValue
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return NewJSONObject(nil, nil), nil
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				if p.i >= len(p.s) {
					return nil, errJSONSyntax(p.s, "The input string ended unexpectedly.")
				}
				return nil, errJSONSyntax(p.s, "Expected string, but found \""+p.token()+"\".")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, errJSONSyntax(p.s, "Expected \":\", but found \""+p.token()+"\".")
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			keys, vals = append(keys, k), append(vals, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return NewJSONObject(keys, vals), nil
			}
			if p.i >= len(p.s) {
				return nil, errJSONSyntax(p.s, "The input string ended unexpectedly.")
			}
			return nil, errJSONSyntax(p.s, "Expected \",\" or \"}\", but found \""+p.token()+"\".")
		}
	case c == '[':
		p.i++
		elems := []*JSONValue{}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return NewJSONArray(elems), nil
		}
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			elems = append(elems, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return NewJSONArray(elems), nil
			}
			if p.i >= len(p.s) {
				return nil, errJSONSyntax(p.s, "The input string ended unexpectedly.")
			}
			return nil, errJSONSyntax(p.s, "Expected \",\" or \"]\", but found \""+p.token()+"\".")
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return NewJSONString(s), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	default:
		tok := p.token()
		p.i += len(tok)
		switch tok {
		case "true":
			return NewJSONBool(true), nil
		case "false":
			return NewJSONBool(false), nil
		case "null":
			return JSONNullValue, nil
		}
		return nil, errJSONSyntax(p.s, "Token \""+tok+"\" is invalid.")
	}
}

func (p *jsonParser) number() (*JSONValue, error) {
	start := p.i
	j := p.i
	if j < len(p.s) && p.s[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		return j - k
	}
	n := digits()
	ok := n > 0 && !(n > 1 && p.s[j-n] == '0')
	if ok && j < len(p.s) && p.s[j] == '.' {
		j++
		ok = digits() > 0
	}
	if ok && j < len(p.s) && (p.s[j] == 'e' || p.s[j] == 'E') {
		j++
		if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
			j++
		}
		ok = digits() > 0
	}
	// A number must end at a delimiter.
	if ok && j < len(p.s) && strings.IndexByte(" \t\n\r,:]}", p.s[j]) < 0 {
		ok = false
	}
	if !ok {
		p.i = start
		return nil, errJSONSyntax(p.s, "Token \""+p.token()+"\" is invalid.")
	}
	p.i = j
	d, err := parseNumeric(p.s[start:j])
	if err != nil {
		return nil, err
	}
	return NewJSONNumber(d), nil
}

func (p *jsonParser) str() (string, error) {
	p.i++ // opening quote
	var sb strings.Builder
	for {
		if p.i >= len(p.s) {
			return "", errJSONSyntax(p.s, "The input string ended unexpectedly.")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return sb.String(), nil
		case c < 0x20:
			return "", errJSONSyntax(p.s, "Character with value 0x"+strconv.FormatInt(int64(c)+0x100, 16)[1:]+" must be escaped.")
		case c != '\\':
			sb.WriteByte(c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			return "", errJSONSyntax(p.s, "The input string ended unexpectedly.")
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			sb.WriteByte(e)
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errJSONSyntax(p.s, `"\u" must be followed by four hexadecimal digits.`)
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || !strings.HasPrefix(p.s[p.i:], `\u`) {
					return "", pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json").
						WithDetail("Unicode low surrogate must follow a high surrogate.")
				}
				p.i += 2
				r2, ok := p.hex4()
				if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
					return "", pgerror.New(pgerror.InvalidTextRepresentation, "invalid input syntax for type json").
						WithDetail("Unicode low surrogate must follow a high surrogate.")
				}
				r = utf16.DecodeRune(r, r2)
			}
			if r == 0 {
				if p.jsonb {
					return "", pgerror.New(pgerror.UntranslatableCharacter, "unsupported Unicode escape sequence").
						WithDetail(`\u0000 cannot be converted to text.`)
				}
				continue // json keeps its text; the value is not needed
			}
			sb.WriteRune(r)
		default:
			return "", errJSONSyntax(p.s, `Escape sequence "\`+string(e)+`" is invalid.`)
		}
	}
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}

// FormatJSONB prints v in PostgreSQL's jsonb output format.
func FormatJSONB(v *JSONValue) string {
	var sb strings.Builder
	writeJSON(&sb, v)
	return sb.String()
}

func writeJSON(sb *strings.Builder, v *JSONValue) {
	switch v.Type {
	case JSONNull:
		sb.WriteString("null")
	case JSONBool:
		if v.Bool {
			sb.WriteString("true")
		} else {
			sb.WriteString("false")
		}
	case JSONNumber:
		sb.WriteString(formatNumeric(v.Num))
	case JSONString:
		WriteJSONString(sb, v.Str)
	case JSONArray:
		sb.WriteByte('[')
		for i, e := range v.Elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeJSON(sb, e)
		}
		sb.WriteByte(']')
	case JSONObject:
		sb.WriteByte('{')
		for i, k := range v.Keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			WriteJSONString(sb, k)
			sb.WriteString(": ")
			writeJSON(sb, v.Vals[i])
		}
		sb.WriteByte('}')
	}
}

// WriteJSONString writes s as a JSON string literal, escaped as
// PostgreSQL's escape_json does.
func WriteJSONString(sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			if c < 0x20 {
				sb.WriteString(`\u00`)
				sb.WriteString(strconv.FormatInt(int64(c)+0x100, 16)[1:])
			} else if c < utf8.RuneSelf {
				sb.WriteByte(c)
			} else {
				_, n := utf8.DecodeRuneInString(s[i:])
				sb.WriteString(s[i : i+n])
				i += n
				continue
			}
		}
		i++
	}
	sb.WriteByte('"')
}

// CompareJSON orders jsonb values as PostgreSQL's jsonb btree: by type
// (null < string < number < boolean < array < object), arrays and objects
// first by their size, then element by element (objects pair by pair in
// key order), strings bytewise, numbers by value.
func CompareJSON(a, b *JSONValue) int {
	if a.Type != b.Type {
		return cmp3(int64(a.Type), int64(b.Type))
	}
	switch a.Type {
	case JSONString:
		return strings.Compare(a.Str, b.Str)
	case JSONNumber:
		return CompareNumeric(a.Num, b.Num)
	case JSONBool:
		switch {
		case a.Bool == b.Bool:
			return 0
		case !a.Bool:
			return -1
		}
		return 1
	case JSONArray:
		if c := cmp3(int64(len(a.Elems)), int64(len(b.Elems))); c != 0 {
			return c
		}
		for i := range a.Elems {
			if c := CompareJSON(a.Elems[i], b.Elems[i]); c != 0 {
				return c
			}
		}
	case JSONObject:
		if c := cmp3(int64(len(a.Keys)), int64(len(b.Keys))); c != 0 {
			return c
		}
		for i := range a.Keys {
			if c := strings.Compare(a.Keys[i], b.Keys[i]); c != 0 {
				return c
			}
			if c := CompareJSON(a.Vals[i], b.Vals[i]); c != 0 {
				return c
			}
		}
	}
	return 0
}

func hashJSON(v *JSONValue) uint64 {
	h := fnv.New64a()
	var walk func(v *JSONValue)
	walk = func(v *JSONValue) {
		h.Write([]byte{byte(v.Type)})
		switch v.Type {
		case JSONString:
			h.Write([]byte(v.Str))
			h.Write([]byte{0})
		case JSONNumber:
			var r apd.Decimal
			r.Reduce(v.Num)
			if r.IsZero() {
				r.Negative, r.Exponent = false, 0
			}
			h.Write([]byte(r.String()))
			h.Write([]byte{0})
		case JSONBool:
			if v.Bool {
				h.Write([]byte{1})
			}
		case JSONArray:
			for _, e := range v.Elems {
				walk(e)
			}
			h.Write([]byte{0xff})
		case JSONObject:
			for i, k := range v.Keys {
				h.Write([]byte(k))
				h.Write([]byte{0})
				walk(v.Vals[i])
			}
			h.Write([]byte{0xff})
		}
	}
	walk(v)
	return h.Sum64()
}

// JSONContains is jsonb's @>: whether a contains b, as PostgreSQL's
// JsonbDeepContains: objects contain objects whose every pair they contain,
// arrays contain arrays whose every element some element contains, and a
// top-level array contains a scalar it holds.
func JSONContains(a, b *JSONValue) bool {
	return jsonContains(a, b, true)
}

func jsonContains(a, b *JSONValue, top bool) bool {
	if a.Type == JSONArray && b.Type != JSONArray && b.Type != JSONObject && top {
		for _, e := range a.Elems {
			if CompareJSON(e, b) == 0 {
				return true
			}
		}
		return false
	}
	if a.Type != b.Type {
		return false
	}
	switch a.Type {
	case JSONObject:
		for i, k := range b.Keys {
			v := a.Get(k)
			if v == nil || !jsonContains(v, b.Vals[i], false) {
				return false
			}
		}
		return true
	case JSONArray:
		for _, be := range b.Elems {
			found := false
			for _, ae := range a.Elems {
				if be.Type == JSONArray || be.Type == JSONObject {
					if ae.Type == be.Type && jsonContains(ae, be, false) {
						found = true
						break
					}
				} else if CompareJSON(ae, be) == 0 {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return CompareJSON(a, b) == 0
}

// castFromJSONB is jsonb's casts to bool and the numbers.
func castFromJSONB(v *JSONValue, to T) (Datum, error) {
	want := JSONNumber
	if to.Kind == KindBool {
		want = JSONBool
	}
	if v.Type != want {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot cast jsonb %s to type %s", jsonTypeName(v.Type), to)
	}
	if want == JSONBool {
		return v.Bool, nil
	}
	return cast(v.Num, Numeric, to, true)
}

func jsonTypeName(t JSONType) string {
	return [...]string{"null", "string", "numeric", "boolean", "array", "object"}[t]
}

// JSONTypeOf is jsonb_typeof.
func JSONTypeOf(v *JSONValue) string {
	return [...]string{"null", "string", "number", "boolean", "array", "object"}[v.Type]
}
