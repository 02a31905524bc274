package expr

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/eddy-db/eddy/sql/chunk"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// formatArray prints each value of arr, NULL as "NULL", joined by ",".
func formatArray(arr arrow.Array, t types.T) string {
	out := make([]string, arr.Len())
	for i := range out {
		if v := chunk.Datum(arr, t, i); v == nil {
			out[i] = "NULL"
		} else {
			out[i] = types.FormatText(t, v)
		}
	}
	return strings.Join(out, ",")
}

func TestEvalTolerantNullsTheFailingRows(t *testing.T) {
	e := must(NewBinary("/", a, b)) // b is 0 on rows 1, 4 and 7; a is NULL on row 8
	arr, rowErrs, err := EvalTolerant(&Context{}, e, testChunk())
	if err != nil {
		t.Fatal(err)
	}
	defer arr.Release()
	if got, want := formatArray(arr, e.Type()), "4,NULL,-2,1,NULL,1,-2,NULL,NULL"; got != want {
		t.Errorf("values %s, want %s", got, want)
	}
	var failed []string
	for _, re := range rowErrs {
		failed = append(failed, fmt.Sprintf("%d:%s:%s", re.Row, re.Err.Code, re.Err.Message))
	}
	if got, want := strings.Join(failed, " "), "1:22012:division by zero 4:22012:division by zero 7:22012:division by zero"; got != want {
		t.Errorf("row errors %s, want %s", got, want)
	}
}

func TestEvalTolerantWithoutErrorsIsEval(t *testing.T) {
	e := must(NewBinary("+", a, b))
	arr, rowErrs, err := EvalTolerant(&Context{}, e, testChunk())
	if err != nil || len(rowErrs) != 0 {
		t.Fatalf("err %v, row errors %v", err, rowErrs)
	}
	defer arr.Release()
	if got, want := formatArray(arr, e.Type()), "-5,-3,-1,-2,0,2,1,3,NULL"; got != want {
		t.Errorf("values %s, want %s", got, want)
	}
}

// Over a large chunk the halving finds exactly the rows that fail alone,
// and every other row has the value it has alone.
func TestEvalTolerantMatchesRowByRow(t *testing.T) {
	ts := []types.T{types.Int64, types.Text}
	var rows [][]types.Datum
	for i := range 1500 {
		v := types.Datum(int64(i%37 - 3))
		if i%101 == 0 {
			v = nil
		}
		text := fmt.Sprint(i)
		if i%89 == 5 {
			text = "x" + text
		}
		rows = append(rows, []types.Datum{v, text})
	}
	in := chunk.FromRows(ts, rows)
	// 1000 / v + text::int8: division by zero where v = 0, invalid input
	// where the text is not a number.
	v, text := NewColumnRef(0, types.Int64, "v"), NewColumnRef(1, types.Text, "t")
	e := must(NewBinary("+", must(NewBinary("/", NewConst(int64(1000), types.Int64), v)), must(NewCast(text, types.Int64))))
	arr, rowErrs, err := EvalTolerant(&Context{}, e, in)
	if err != nil {
		t.Fatal(err)
	}
	defer arr.Release()
	failed := map[int]pgerror.Code{}
	for k, re := range rowErrs {
		if k > 0 && rowErrs[k-1].Row >= re.Row {
			t.Fatalf("row errors out of order: %d after %d", re.Row, rowErrs[k-1].Row)
		}
		failed[re.Row] = re.Err.Code
	}
	for i := range rows {
		one := chunk.FromRows(ts, rows[i:i+1])
		want, err := e.Eval(&Context{}, one)
		if err != nil {
			if failed[i] != pgerror.CodeOf(err) {
				t.Errorf("row %d: fails alone with %s, tolerant evaluation reported %q", i, pgerror.CodeOf(err), failed[i])
			}
			if chunk.Datum(arr, e.Type(), i) != nil {
				t.Errorf("row %d failed but is not NULL", i)
			}
			continue
		}
		if code, ok := failed[i]; ok {
			t.Errorf("row %d: reported %s but evaluates alone", i, code)
		}
		if got, w := chunk.Datum(arr, e.Type(), i), chunk.Datum(want, e.Type(), 0); got != w {
			t.Errorf("row %d: %v, alone %v", i, got, w)
		}
		want.Release()
	}
	if len(rowErrs) < 40 {
		t.Errorf("only %d row errors: the input should fail on more rows", len(rowErrs))
	}
}

// internalExpr fails every evaluation with an internal error.
type internalExpr struct{}

func (internalExpr) Type() types.T { return types.Int64 }
func (internalExpr) Eval(*Context, *chunk.Chunk) (arrow.Array, error) {
	return nil, pgerror.Internal("kernel bug")
}
func (internalExpr) String() string { return "internal" }

func TestEvalTolerantPassesOtherErrors(t *testing.T) {
	_, _, err := EvalTolerant(&Context{}, internalExpr{}, testChunk())
	if pgerror.CodeOf(err) != pgerror.InternalError {
		t.Fatalf("err %v, want XX000", err)
	}
	for _, code := range []pgerror.Code{pgerror.InternalError, pgerror.OutOfMemory, pgerror.QueryCanceled, pgerror.IoError} {
		if IsRowError(pgerror.New(code, "x")) {
			t.Errorf("%s counted as a row error", code)
		}
	}
	if IsRowError(fmt.Errorf("plain")) || !IsRowError(pgerror.New(pgerror.InvalidTextRepresentation, "x")) {
		t.Error("IsRowError misclassifies")
	}
}

// BenchmarkEvalTolerant measures 1000 / v over a chunk of 1024 rows with
// no, 5 and every row failing: with none it is one Eval.
func BenchmarkEvalTolerant(b *testing.B) {
	v := NewColumnRef(0, types.Int64, "v")
	e := must(NewBinary("/", NewConst(int64(1000), types.Int64), v))
	for _, bad := range []int{0, 5, 1024} {
		rows := make([][]types.Datum, 1024)
		for i := range rows {
			rows[i] = []types.Datum{int64(i + 1)}
			if i < bad || (bad == 5 && i%200 == 7) {
				rows[i][0] = int64(0)
			}
		}
		in := chunk.FromRows([]types.T{types.Int64}, rows)
		b.Run(fmt.Sprintf("bad=%d", bad), func(b *testing.B) {
			for range b.N {
				arr, _, err := EvalTolerant(&Context{}, e, in)
				if err != nil {
					b.Fatal(err)
				}
				arr.Release()
			}
		})
	}
}
