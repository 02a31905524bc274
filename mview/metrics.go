package mview

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// The runtime's Prometheus metrics, registered with the default registry
// that `eddy server --metrics-listen` serves.
var (
	metricEpochsCommitted = promauto.NewCounter(prometheus.CounterOpts{
		Name: "eddy_epochs_committed_total",
		Help: "Epochs committed: barriers that passed every dataflow and were written atomically.",
	})
	metricEpochsAborted = promauto.NewCounter(prometheus.CounterOpts{
		Name: "eddy_epochs_aborted_total",
		Help: "Epochs aborted by an internal error (an operator failure or panic, a barrier timeout, a failed commit): nothing of them committed.",
	})
	metricRecoveries = promauto.NewCounter(prometheus.CounterOpts{
		Name: "eddy_runtime_recoveries_total",
		Help: "In-process recoveries after an aborted epoch: every dataflow rebuilt from the last committed epoch.",
	})
	metricCommittedEpoch = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "eddy_committed_epoch",
		Help: "The last committed epoch; queries read this epoch's snapshot.",
	})
	metricEpochSeconds = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "eddy_epoch_duration_seconds",
		Help:    "Time from injecting an epoch's barrier to its durable commit.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
	})
	metricCommitSeconds = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "eddy_epoch_commit_duration_seconds",
		Help:    "Time of the atomic storage write (with fsync) that commits an epoch.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
	})
	metricEpochKeys = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "eddy_epoch_keys",
		Help:    "Keys written by one epoch's commit (state, views, tables, catalog).",
		Buckets: prometheus.ExponentialBuckets(1, 4, 12),
	})
	metricOperatorErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "eddy_operator_errors_total",
		Help: "Chunks and barriers a streaming operator failed on (each aborts its epoch, or fails the view being created), by operator.",
	}, []string{"operator"})
	metricViewRowErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "eddy_view_row_errors_total",
		Help: "Expression errors on single rows of a view's input (the value became NULL, a failed condition false), by view and operator.",
	}, []string{"view", "operator"})
	metricInconsistencies = promauto.NewCounter(prometheus.CounterOpts{
		Name: "eddy_materialize_inconsistencies_total",
		Help: "Retractions of rows a view did not hold (a bug: logged as XX000).",
	})
)
