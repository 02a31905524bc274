package session

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/eddy-db/eddy/sql/ast"
)

// The session layer's Prometheus metrics, registered with the default
// registry that `eddy server --metrics-listen` serves.
var (
	metricSessions = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "eddy_sessions",
		Help: "Client sessions open now.",
	})
	metricStatements = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "eddy_statements_total",
		Help: "Statements executed, by kind.",
	}, []string{"kind"})
	metricStatementErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "eddy_statement_errors_total",
		Help: "Statements that failed, by SQLSTATE.",
	}, []string{"sqlstate"})
	metricStatementSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "eddy_statement_duration_seconds",
		Help:    "Statement execution time until its result is ready (DML: until committed), by kind.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2, 18),
	}, []string{"kind"})
)

// statementKind is the low-cardinality label of a statement for metrics.
func statementKind(stmt ast.Statement) string {
	switch stmt.(type) {
	case *ast.Select:
		return "select"
	case *ast.Insert:
		return "insert"
	case *ast.Update:
		return "update"
	case *ast.Delete:
		return "delete"
	case nil:
		return "empty"
	}
	return strings.ToLower(statementName(stmt))
}
