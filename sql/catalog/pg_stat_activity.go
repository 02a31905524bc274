package catalog

import (
	"sort"
	"time"

	"github.com/eddy-db/eddy/sql/types"
)

// Activity is one session's row of pg_stat_activity.
type Activity struct {
	PID             int32
	Database        string
	User            string
	ApplicationName string
	// ClientAddr is empty and ClientPort -1 for a session without a TCP
	// client (PostgreSQL's NULL and -1 for a Unix socket).
	ClientAddr string
	ClientPort int32
	// BackendStart is when the connection began; XactStart, QueryStart and
	// StateChange are zero when there is none yet (NULL).
	BackendStart time.Time
	XactStart    time.Time
	QueryStart   time.Time
	StateChange  time.Time
	// State is PostgreSQL's: active, idle, idle in transaction, idle in
	// transaction (aborted).
	State string
	// Query is the statement running, or the last one run.
	Query string
}

// ActivityLister is implemented by a SessionInfo that can list the
// server's sessions (for pg_stat_activity).
type ActivityLister interface {
	Activity() []Activity
}

func init() {
	// Eddy has no inet type: client_addr is text, which prints the same.
	defineSystemView(12100, pgCatalog, "pg_stat_activity", []string{
		"datid oid", "datname name", "pid int4", "leader_pid int4", "usesysid oid", "usename name",
		"application_name text", "client_addr text", "client_hostname text", "client_port int4",
		"backend_start timestamptz", "xact_start timestamptz", "query_start timestamptz",
		"state_change timestamptz", "wait_event_type text", "wait_event text", "state text",
		"backend_xid xid", "backend_xmin xid", "query_id int8", "query text", "backend_type text",
	}, func(v *systemContext) [][]types.Datum {
		lister, ok := v.session.(ActivityLister)
		if !ok {
			return nil
		}
		sessions := lister.Activity()
		sort.Slice(sessions, func(i, j int) bool { return sessions[i].PID < sessions[j].PID })
		rows := make([][]types.Datum, 0, len(sessions))
		for _, a := range sessions {
			var addr, port any
			if a.ClientAddr != "" {
				addr, port = a.ClientAddr, a.ClientPort
			} else {
				port = int32(-1)
			}
			rows = append(rows, rowOf(DatabaseOID, a.Database, a.PID, nil, BootstrapRoleOID, a.User,
				a.ApplicationName, addr, nil, port,
				timestampOrNull(a.BackendStart), timestampOrNull(a.XactStart), timestampOrNull(a.QueryStart),
				timestampOrNull(a.StateChange), nil, nil, nullIfEmpty(a.State),
				nil, nil, nil, a.Query, "client backend"))
		}
		return rows
	})
}

func timestampOrNull(t time.Time) types.Datum {
	if t.IsZero() {
		return nil
	}
	return types.Timestamp(t.UnixMicro())
}

func nullIfEmpty(s string) types.Datum {
	if s == "" {
		return nil
	}
	return s
}
