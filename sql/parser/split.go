package parser

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/eddy-db/eddy/sql/pgerror"
)

// Split cuts a simple-query string into its statements' texts with
// PostgreSQL's own scanner, so semicolons inside strings, quoted names and
// comments are not boundaries. Statements that are empty or only comments
// are dropped.
func Split(sql string) ([]string, error) {
	parts, err := pg_query.SplitWithScanner(sql, true)
	if err != nil {
		return nil, pgerror.New(pgerror.SyntaxError, "%s", err.Error())
	}
	out := parts[:0]
	for _, p := range parts {
		if strings.TrimSpace(stripComments(p)) != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// stripComments removes -- and /* */ comments outside quotes, enough to tell
// whether a piece holds anything but comments.
func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'' || s[i] == '"':
			q := s[i]
			j := i + 1
			for j < len(s) && s[j] != q {
				j++
			}
			b.WriteString(s[i:min(j+1, len(s))])
			i = j
		case strings.HasPrefix(s[i:], "--"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 3
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
