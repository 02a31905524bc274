package expr

import (
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// to_char(number, text): PostgreSQL's numeric templates 9 and 0 (digit
// positions; 0 pads with zeros from where it stands), . and D (decimal
// point), , and G (group separator, shown once a digit has been), S, MI,
// PL and SG (signs), TH/th (ordinal suffix), FM (no padding, and no
// trailing fraction zeros in 9 positions), "quoted" text and other
// characters copied. Without a sign pattern a sign position precedes the
// number: '-' or a blank. A number with more integer digits than the
// template has positions prints as #s.

// resolveNumericToChar is to_char of a number; func_datetime.go registers
// it with the date and time forms.
func resolveNumericToChar(args []Expr) (Expr, error) {
	{
		if len(args) != 2 {
			return nil, errNoMatch
		}
		t := args[0].Type()
		if !t.IsNumeric() {
			return nil, errNoMatch
		}
		if t.Kind == types.KindFloat32 || t.Kind == types.KindFloat64 {
			// to_char(double precision) formats the value's decimal digits.
			c, err := NewCast(args[0], types.Numeric)
			if err != nil {
				return nil, err
			}
			args = []Expr{c, args[1]}
		}
		return call("to_char", args, []types.T{types.Numeric, types.Text}, types.Text, func(_ *Context, a []types.Datum) (types.Datum, error) {
			return numericToChar(a[0].(*apd.Decimal), a[1].(string))
		})
	}
}

type numTok struct {
	kind byte // '9', '0', '.', ',', 'S' (S), 'M' (MI), 'P' (PL), 'G' (SG), 'T' (TH), 't' (th), 'L' literal
	text string
}

func numericToChar(d *apd.Decimal, format string) (types.Datum, error) {
	var toks []numTok
	fm := false
	pre, post, zeroStart := 0, 0, -1
	seenPoint, hasSign := false, false
	for i := 0; i < len(format); {
		p := format[i:]
		up := strings.ToUpper(p)
		switch {
		case strings.HasPrefix(up, "FM"):
			fm = true
			i += 2
		case p[0] == '9' || p[0] == '0':
			if seenPoint {
				post++
			} else {
				if p[0] == '0' && zeroStart < 0 {
					zeroStart = pre
				}
				pre++
			}
			toks = append(toks, numTok{kind: p[0]})
			i++
		case p[0] == '.' || up[0] == 'D':
			if seenPoint {
				return nil, pgerror.New(pgerror.SyntaxError, "multiple decimal points")
			}
			seenPoint = true
			toks = append(toks, numTok{kind: '.'})
			i++
		case p[0] == ',' || up[0] == 'G' && !strings.HasPrefix(up, "GS"):
			toks = append(toks, numTok{kind: ','})
			i++
		case strings.HasPrefix(up, "MI"), strings.HasPrefix(up, "PL"), strings.HasPrefix(up, "SG"):
			toks = append(toks, numTok{kind: map[string]byte{"MI": 'M', "PL": 'P', "SG": 'G'}[up[:2]]})
			hasSign = true
			i += 2
		case up[0] == 'S' && !strings.HasPrefix(up, "SP"):
			toks = append(toks, numTok{kind: 'S'})
			hasSign = true
			i++
		case strings.HasPrefix(p, "TH"), strings.HasPrefix(p, "th"):
			toks = append(toks, numTok{kind: p[0]})
			i += 2
		case strings.HasPrefix(up, "EEEE"), strings.HasPrefix(up, "RN"), strings.HasPrefix(up, "PR"), up[0] == 'V', up[0] == 'L':
			return nil, pgerror.Unsupported("to_char pattern %q is not supported", p[:1])
		case p[0] == '"':
			j := strings.IndexByte(p[1:], '"')
			if j < 0 {
				j = len(p) - 1
			}
			toks = append(toks, numTok{kind: 'L', text: p[1 : 1+j]})
			i += j + 2
		default:
			toks = append(toks, numTok{kind: 'L', text: p[:1]})
			i++
		}
	}
	if zeroStart < 0 {
		zeroStart = pre
	}
	if d.Form != apd.Finite {
		return nil, pgerror.Unsupported("to_char of a non-finite numeric is not supported")
	}
	neg := d.Negative && !d.IsZero()
	var r apd.Decimal
	ctx := apd.BaseContext.WithPrecision(1000)
	ctx.Rounding = apd.RoundHalfUp
	if _, err := ctx.Quantize(&r, d, -int32(post)); err != nil {
		return nil, err
	}
	r.Negative = false
	digits := r.Text('f')
	intStr, fracStr, _ := strings.Cut(digits, ".")
	if intStr == "0" && post > 0 {
		// A zero integer part prints only where a 0 position asks for it.
		intStr = ""
	}
	if intStr == "" && post == 0 {
		intStr = "0"
	}
	neg = neg && !r.IsZero()
	overflow := len(intStr) > pre
	fracStr += strings.Repeat("0", max(post-len(fracStr), 0))
	if fm {
		// Trailing zeros in 9 positions of the fraction go.
		keep := post
		for j := len(toks) - 1; j >= 0 && keep > 0; j-- {
			if toks[j].kind == '0' {
				break
			}
			if toks[j].kind == '9' && seenPoint {
				if fracStr[keep-1] != '0' {
					break
				}
				keep--
			}
		}
		fracStr = fracStr[:keep]
	}
	blank := " "
	if fm {
		blank = ""
	}
	signChar := func(plus string) string {
		if neg {
			return "-"
		}
		return plus
	}
	var sb strings.Builder
	pending := ""
	if !hasSign {
		pending = signChar(blank)
	}
	started := false
	emit := func(s string) {
		if !started {
			sb.WriteString(pending)
			pending, started = "", true
		}
		sb.WriteString(s)
	}
	preIdx, postIdx, afterPoint := 0, 0, false
	for k, t := range toks {
		switch t.kind {
		case '9', '0':
			if afterPoint {
				switch {
				case overflow:
					emit("#")
				case postIdx < len(fracStr):
					emit(fracStr[postIdx : postIdx+1])
				}
				postIdx++
				continue
			}
			i := preIdx
			preIdx++
			switch {
			case overflow:
				emit("#")
			case i >= pre-len(intStr):
				emit(intStr[i-(pre-len(intStr)) : i-(pre-len(intStr))+1])
			case i >= zeroStart:
				emit("0")
			default:
				sb.WriteString(blank)
			}
		case '.':
			afterPoint = true
			emit(".")
		case ',':
			if started {
				sb.WriteString(",")
			} else {
				sb.WriteString(blank)
			}
		case 'S':
			if preIdx == 0 && !afterPoint {
				pending = signChar("+")
			} else {
				sb.WriteString(signChar("+"))
			}
		case 'M':
			if neg {
				sb.WriteString("-")
			} else if k != len(toks)-1 || !fm {
				sb.WriteString(" ")
			}
		case 'P':
			if neg {
				sb.WriteString(" ")
			} else {
				sb.WriteString("+")
			}
		case 'G':
			sb.WriteString(signChar("+"))
		case 'T', 't':
			th := ordinalSuffix(intStr)
			if t.kind == 'T' {
				th = strings.ToUpper(th)
			}
			sb.WriteString(th)
		case 'L':
			sb.WriteString(t.text)
		}
	}
	if !started && pending != "" {
		sb.WriteString(pending)
	}
	return sb.String(), nil
}
