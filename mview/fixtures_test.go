package mview

import (
	"io"
	"log/slog"

	"github.com/eddy-db/eddy/sql/encoding"
	"github.com/eddy-db/eddy/sql/types"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func decodeRow(ts []types.T, b []byte) ([]types.Datum, error) { return encoding.DecodeRow(ts, b) }
