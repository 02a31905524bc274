package session

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eddy-db/eddy/mview"
	"github.com/eddy-db/eddy/sql/pgerror"
	"github.com/eddy-db/eddy/sql/types"
)

// variable describes one session setting that SET, SHOW and RESET know.
type variable struct {
	def string
	// reported variables are sent to the client as ParameterStatus.
	reported bool
	readOnly bool
	// normalize checks and canonicalises a new value.
	normalize func(string) (string, error)
}

// ServerVersion is what server_version reports; drivers parse the leading
// number to choose features, so it names the PostgreSQL release whose
// behaviour Eddy follows.
const ServerVersion = "15.0"

var variables = map[string]variable{
	"server_version":                      {def: ServerVersion, reported: true, readOnly: true},
	"server_version_num":                  {def: "150000", readOnly: true},
	"server_encoding":                     {def: "UTF8", reported: true, readOnly: true},
	"client_encoding":                     {def: "UTF8", reported: true, normalize: normalizeEncoding},
	"datestyle":                           {def: "ISO, MDY", reported: true, normalize: normalizeDateStyle},
	"intervalstyle":                       {def: "postgres", reported: true, normalize: onlyValue("postgres")},
	"integer_datetimes":                   {def: "on", reported: true, readOnly: true},
	"standard_conforming_strings":         {def: "on", reported: true, normalize: onlyValue("on")},
	"timezone":                            {def: "UTC", reported: true, normalize: normalizeTimeZone},
	"application_name":                    {def: "", reported: true},
	"is_superuser":                        {def: "on", reported: true, readOnly: true},
	"session_authorization":               {def: "eddy", reported: true, readOnly: true},
	"search_path":                         {def: `"$user", public`},
	"extra_float_digits":                  {def: "1"},
	"statement_timeout":                   {def: "0", normalize: normalizeDuration("statement_timeout")},
	"lock_timeout":                        {def: "0"},
	"idle_in_transaction_session_timeout": {def: "0"},
	"default_transaction_isolation":       {def: "serializable"},
	"transaction_isolation":               {def: "serializable"},
	"max_identifier_length":               {def: "63", readOnly: true},
	"bytea_output":                        {def: "hex"},
	"client_min_messages":                 {def: "notice"},
	"timezone_abbreviations":              {def: "Default"},
	"default_transaction_read_only":       {def: "off"},
	"transaction_read_only":               {def: "off"},
	"synchronous_commit":                  {def: "on"},
	"row_security":                        {def: "on"},
	"jit":                                 {def: "off"},
	"lc_messages":                         {def: "C"},
	"lc_monetary":                         {def: "C"},
	"lc_numeric":                          {def: "C"},
	"lc_time":                             {def: "C"},
	"max_index_keys":                      {def: "32", readOnly: true},
	"block_size":                          {def: "8192", readOnly: true},
	"in_hot_standby":                      {def: "off", readOnly: true},
	// background_ddl (RisingWave's name) makes CREATE MATERIALIZED VIEW
	// return once the view exists, while its build goes on.
	"background_ddl": {def: "off", normalize: normalizeBool("background_ddl")},
	// streaming_parallelism (RisingWave's name) is the number of instances
	// each stateful operator of a new materialized view runs as; 0 is the
	// server's default (--streaming-parallelism, or the number of cores).
	// The view keeps its N in its stored plan.
	"streaming_parallelism": {def: "0", normalize: normalizeIntRange("streaming_parallelism", 0, mview.VnodeCount)},
}

// displayNames are the case-preserved names PostgreSQL reports.
var displayNames = map[string]string{
	"datestyle":     "DateStyle",
	"intervalstyle": "IntervalStyle",
	"timezone":      "TimeZone",
}

func displayName(name string) string {
	if d, ok := displayNames[name]; ok {
		return d
	}
	return name
}

func onlyValue(want string) func(string) (string, error) {
	return func(v string) (string, error) {
		if strings.EqualFold(v, want) {
			return want, nil
		}
		return "", pgerror.Unsupported("only %s is supported", want)
	}
}

// normalizeBool accepts PostgreSQL's spellings of a boolean setting and
// keeps on or off.
func normalizeBool(name string) func(string) (string, error) {
	return func(v string) (string, error) {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "on", "true", "yes", "1", "t", "y":
			return "on", nil
		case "off", "false", "no", "0", "f", "n":
			return "off", nil
		}
		return "", pgerror.New(pgerror.InvalidParameterValue, "parameter %q requires a Boolean value", name)
	}
}

// normalizeIntRange accepts an integer in [lo, hi].
func normalizeIntRange(name string, lo, hi int) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter %q: %q", name, v).
				WithHint("Use an integer from %d to %d.", lo, hi)
		}
		if n < lo || n > hi {
			return "", pgerror.New(pgerror.InvalidParameterValue, "%d is outside the valid range for parameter %q (%d .. %d)", n, name, lo, hi)
		}
		return strconv.Itoa(n), nil
	}
}

// streamingParallelism is the N of a materialized view created now.
func (s *Session) streamingParallelism() int {
	if n, err := strconv.Atoi(s.vars["streaming_parallelism"]); err == nil && n > 0 {
		return n
	}
	return s.engine.defaultParallelism()
}

// normalizeDuration accepts PostgreSQL's time settings: a number of
// milliseconds, or a number with a unit (us, ms, s, min, h, d).
func normalizeDuration(name string) func(string) (string, error) {
	return func(v string) (string, error) {
		if _, err := parseDurationSetting(v); err != nil {
			return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter %q: %q", name, v).
				WithHint("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")
		}
		return strings.TrimSpace(v), nil
	}
}

func parseDurationSetting(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || n < 0 {
		return 0, pgerror.New(pgerror.InvalidParameterValue, "invalid value for a time setting: %q", v).
			WithHint("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")
	}
	unit := map[string]time.Duration{"": time.Millisecond, "us": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour}
	u, ok := unit[strings.TrimSpace(v[i:])]
	if !ok {
		return 0, pgerror.New(pgerror.InvalidParameterValue, "invalid value for a time setting: %q", v).
			WithHint("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".")
	}
	return time.Duration(n * float64(u)), nil
}

func normalizeEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(v, "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", pgerror.Unsupported("client_encoding %s is not supported; use UTF8", v)
}

func normalizeDateStyle(v string) (string, error) {
	up := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if up == "ISO" || up == "ISO,MDY" || up == "MDY,ISO" {
		return "ISO, MDY", nil
	}
	return "", pgerror.Unsupported("DateStyle %s is not supported; use ISO, MDY", v)
}

// normalizeTimeZone accepts what PostgreSQL's TimeZone accepts (see
// types.LoadTimeZone) and keeps its canonical name, which SHOW prints and
// Session.Location reads back.
func normalizeTimeZone(v string) (string, error) {
	loc, ok := types.LoadTimeZone(v)
	if !ok {
		return "", pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter %q: %q", "TimeZone", v)
	}
	return loc.String(), nil
}

// settings is one session's variable values.
type settings map[string]string

func newSettings(startup map[string]string) settings {
	s := settings{}
	for name, v := range variables {
		s[name] = v.def
	}
	if u := startup["user"]; u != "" {
		s["session_authorization"] = u
	}
	for k, v := range startup {
		k = strings.ToLower(k)
		if k == "user" || k == "database" || k == "options" || k == "replication" {
			continue
		}
		if def, ok := variables[k]; ok && !def.readOnly {
			if def.normalize != nil {
				nv, err := def.normalize(v)
				if err != nil {
					continue
				}
				v = nv
			}
			s[k] = v
		}
	}
	return s
}

func (s settings) set(name, value string) error {
	name = strings.ToLower(name)
	def, ok := variables[name]
	if !ok {
		if strings.Contains(name, ".") { // custom option, as PostgreSQL allows
			s[name] = value
			return nil
		}
		return pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	if def.readOnly {
		return pgerror.New(pgerror.CantChangeRuntimeParam, "parameter %q cannot be changed", name)
	}
	if def.normalize != nil {
		nv, err := def.normalize(value)
		if err != nil {
			return err
		}
		value = nv
	}
	s[name] = value
	return nil
}

func (s settings) get(name string) (string, error) {
	name = strings.ToLower(name)
	v, ok := s[name]
	if !ok {
		return "", pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
	}
	return v, nil
}

func (s settings) reported() map[string]string {
	out := map[string]string{}
	for name, def := range variables {
		if def.reported {
			out[displayName(name)] = s[name]
		}
	}
	return out
}

func (s settings) names() []string {
	var out []string
	for n := range s {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// backgroundDDL reports whether CREATE MATERIALIZED VIEW returns before
// the view is built.
func (s *Session) backgroundDDL() bool { return s.vars["background_ddl"] == "on" }

// statementTimeout is the session's statement_timeout, 0 for none.
func (s *Session) statementTimeout() time.Duration {
	d, err := parseDurationSetting(s.vars["statement_timeout"])
	if err != nil {
		return 0
	}
	return d
}
