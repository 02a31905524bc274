package planner

import (
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	sqlast "github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/parser"
)

// TestPlanCodecRoundTrip stores the streaming plan of every stream case in
// testdata and checks that the decoded plan explains as the original and
// stores the same again.
func TestPlanCodecRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	cases := 0
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, td *datadriven.TestData) string {
			if td.Cmd != "stream" {
				return td.Expected
			}
			stmt, err := parser.ParseOne(td.Input)
			if err != nil {
				return td.Expected
			}
			mv, ok := stmt.(*sqlast.CreateMaterializedView)
			if !ok {
				mv = &sqlast.CreateMaterializedView{Name: sqlast.TableName{Name: "v"}, Query: stmt.(*sqlast.Select)}
			}
			cat := testCatalog()
			next := uint32(1000)
			plan, err := New(cat, Options{}).PlanMaterializedView(mv, func() uint32 { next++; return next })
			if err != nil {
				return td.Expected
			}
			plan.Root.RelationID = 2000
			blob, err := EncodeMaterialize(plan.Root)
			if err != nil {
				t.Fatalf("%s: encode: %v", td.Pos, err)
			}
			back, err := DecodeMaterialize(blob, cat)
			if err != nil {
				t.Fatalf("%s: decode: %v\n%s", td.Pos, err, blob)
			}
			if got, want := Explain(back), Explain(plan.Root); got != want {
				t.Fatalf("%s: decoded plan\n%s\nwant\n%s", td.Pos, got, want)
			}
			again, err := EncodeMaterialize(back)
			if err != nil || string(again) != string(blob) {
				t.Fatalf("%s: re-encoding differs (%v):\n%s\n%s", td.Pos, err, blob, again)
			}
			var walk func(p Plan)
			walk = func(p Plan) {
				n, _ := encodeNode(p)
				seen[n.Kind] = true
				for _, in := range p.Inputs() {
					walk(in)
				}
			}
			walk(back)
			cases++
			return td.Expected
		})
	})
	for _, k := range storedKinds {
		if !seen[k] {
			t.Errorf("no stream case in testdata stores a %s node", k)
		}
	}
	if cases < 20 {
		t.Errorf("only %d stream cases stored", cases)
	}
}

// batchOnlyNodes are the plan nodes without a streaming form, which
// EncodeMaterialize refuses.
var batchOnlyNodes = map[string]bool{"Values": true, "Sort": true, "Limit": true, "Apply": true, "SetOp": true, "TableFunction": true, "Window": true, "RecursiveUnion": true, "WorkTableScan": true}

// TestEveryPlanNodeHasACodec finds every plan node type in the package
// (the types with an Inputs method) and checks that it is stored or is
// known to be batch-only: a new streaming node without a codec fails here.
func TestEveryPlanNodeHasACodec(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]string{"Scan": kindScan, "Filter": kindFilter, "Project": kindProject, "Aggregate": kindAggregate,
		"Join": kindJoin, "TopN": kindTopN, "Materialize": kindMaterialize}
	fset := token.NewFileSet()
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := goparser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Inputs" {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			name := star.X.(*ast.Ident).Name
			found++
			if _, ok := stored[name]; !ok && !batchOnlyNodes[name] {
				t.Errorf("plan node %s is neither stored by plan_codec.go nor listed as batch-only", name)
			}
		}
	}
	if found != len(stored)+len(batchOnlyNodes) {
		t.Errorf("found %d plan nodes, the codec knows %d", found, len(stored)+len(batchOnlyNodes))
	}
	seen := map[string]bool{}
	for _, k := range stored {
		seen[k] = true
	}
	for _, k := range storedKinds {
		if !seen[k] {
			t.Errorf("stored kind %s has no node", k)
		}
	}
}

func TestPlanCodecRefusesOtherVersions(t *testing.T) {
	cat := testCatalog()
	stmt, err := parser.ParseOne("SELECT c, count(*) FROM t GROUP BY c")
	if err != nil {
		t.Fatal(err)
	}
	next := uint32(1000)
	plan, err := New(cat, Options{}).PlanMaterializedView(&sqlast.CreateMaterializedView{Name: sqlast.TableName{Name: "v"}, Query: stmt.(*sqlast.Select)}, func() uint32 { next++; return next })
	if err != nil {
		t.Fatal(err)
	}
	blob, err := EncodeMaterialize(plan.Root)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(blob), fmt.Sprintf(`{"version":%d,`, PlanFormatVersion), `{"version":0,`, 1)
	if old == string(blob) {
		t.Fatalf("no version in %s", blob)
	}
	_, err = DecodeMaterialize([]byte(old), cat)
	if v, ok := err.(*PlanVersionError); !ok || v.Stored != 0 || v.Supported != PlanFormatVersion {
		t.Fatalf("decoding a version 0 plan: %v", err)
	}
	moved := strings.Replace(string(blob), `"role":"aggregate groups","key":[{"name":"text"}]`, `"role":"aggregate groups","key":[{"name":"integer"}]`, 1)
	if moved == string(blob) {
		t.Fatalf("no aggregate layout in %s", blob)
	}
	if _, err := DecodeMaterialize([]byte(moved), cat); err == nil || !strings.Contains(err.Error(), "laid out") {
		t.Fatalf("decoding a plan whose state layout differs: %v", err)
	}
}
