package parser

// Split cuts a simple-query string into its statements' texts with
// PostgreSQL's own scanner, so semicolons inside strings, quoted names and
// comments are not boundaries. Statements that are empty or only comments
// are dropped. It splits exactly as Parse does: each text runs from the
// statement's first token to its last.
func Split(sql string) (texts []string, err error) {
	defer recoverError(&err)
	if err := checkEncoding(sql); err != nil {
		return nil, err
	}
	pieces, err := split(sql)
	if err != nil {
		return nil, err
	}
	for _, p := range pieces {
		texts = append(texts, p.text())
	}
	return texts, nil
}
