package session

import (
	"context"

	"github.com/eddy-db/eddy/sql/ast"
	"github.com/eddy-db/eddy/sql/pgerror"
)

// # Transaction blocks
//
// Between BEGIN and COMMIT or ROLLBACK the session is in a transaction
// block (explicitTx). An error in it — from parsing, planning, binding,
// executing or reading a result's rows — fails the block, as in PostgreSQL:
// every later statement but COMMIT, ROLLBACK and ROLLBACK TO SAVEPOINT gets
// 25P02, ReadyForQuery says 'E', and COMMIT rolls back (its tag says
// ROLLBACK), so a client that carries on after an error never commits part
// of its transaction. ROLLBACK TO SAVEPOINT undoes the writes since the
// savepoint and leaves the block working again.
//
// Outside a block each protocol batch (a simple query string, the messages
// up to a Sync) is an implicit transaction: an error rolls all of it back at
// Sync, and since the protocol skips the rest of the batch after an error
// no statement runs in a failed implicit transaction.

// errInFailedTransaction is the answer to a statement in a failed block.
func errInFailedTransaction() *pgerror.Error {
	return pgerror.New(pgerror.InFailedSQLTransaction, "current transaction is aborted, commands ignored until end of transaction block")
}

// StatementFailed records that a statement of the session failed, whichever
// step failed: the transaction block fails, or the implicit transaction
// rolls back at Sync. pgwire calls it for every error it reports, Execute
// for its own.
func (s *Session) StatementFailed() {
	if s.explicitTx {
		s.tx = TxFailed
		return
	}
	// Nothing may have been written yet; make sure nothing is until Sync.
	s.writeTxn().failed = true
}

// checkNotAborted refuses a statement in a failed transaction block unless
// it ends the block or rolls back to a savepoint (PostgreSQL's
// IsTransactionExitStmt).
func (s *Session) checkNotAborted(stmt ast.Statement) error {
	if s.tx != TxFailed || stmt == nil {
		return nil
	}
	if t, ok := stmt.(*ast.Transaction); ok {
		switch t.Kind {
		case ast.Commit, ast.Rollback, ast.RollbackToSavepoint:
			return nil
		}
	}
	return errInFailedTransaction()
}

func (s *Session) transaction(ctx context.Context, n *ast.Transaction) (Result, error) {
	switch n.Kind {
	case ast.Begin:
		if s.explicitTx {
			s.notice("there is already a transaction in progress")
			return tagOnly("BEGIN"), nil
		}
		s.explicitTx = true
		s.tx = TxActive
		if s.txn == nil {
			s.txn = newTxn(s.engine.locks, false)
		} else {
			s.txn.implicit = false // BEGIN inside a batch keeps the batch's writes
		}
		return tagOnly("BEGIN"), nil
	case ast.Commit:
		if !s.explicitTx {
			s.notice("there is no transaction in progress")
		}
		failed := s.tx == TxFailed || s.txn != nil && s.txn.failed
		t := s.txn
		s.explicitTx, s.txn, s.tx = false, nil, TxIdle
		if failed {
			if t != nil {
				t.release()
			}
			s.cursors.transactionEnded(false)
			return tagOnly("ROLLBACK"), nil
		}
		if t != nil {
			if err := t.commit(ctx, s.engine.runtime); err != nil {
				s.cursors.transactionEnded(false)
				return nil, err
			}
		}
		s.cursors.transactionEnded(true)
		return tagOnly("COMMIT"), nil
	case ast.Rollback:
		if !s.explicitTx {
			s.notice("there is no transaction in progress")
		}
		if s.txn != nil {
			s.txn.release()
		}
		s.explicitTx, s.txn, s.tx = false, nil, TxIdle
		s.cursors.transactionEnded(false)
		return tagOnly("ROLLBACK"), nil
	}
	return s.savepointStatement(n)
}

// savepointStatement runs SAVEPOINT, ROLLBACK TO SAVEPOINT and RELEASE
// SAVEPOINT.
func (s *Session) savepointStatement(n *ast.Transaction) (Result, error) {
	verb := map[ast.TransactionKind]string{
		ast.Savepoint:           "SAVEPOINT",
		ast.RollbackToSavepoint: "ROLLBACK TO SAVEPOINT",
		ast.ReleaseSavepoint:    "RELEASE SAVEPOINT",
	}[n.Kind]
	if !s.explicitTx {
		return nil, pgerror.New(pgerror.NoActiveSQLTransaction, "%s can only be used in transaction blocks", verb)
	}
	t := s.txn
	if n.Kind == ast.Savepoint {
		t.setSavepoint(n.Savepoint)
		return tagOnly("SAVEPOINT"), nil
	}
	i := t.findSavepoint(n.Savepoint)
	if i < 0 {
		return nil, pgerror.New(pgerror.SEInvalidSpecification, "savepoint %q does not exist", n.Savepoint)
	}
	if n.Kind == ast.RollbackToSavepoint {
		t.rollbackToSavepoint(i)
		s.cursors.rolledBackTo(i)
		s.tx = TxActive
		return tagOnly("ROLLBACK"), nil
	}
	t.releaseSavepoint(i)
	s.cursors.released(i)
	return tagOnly("RELEASE"), nil
}

// writeTxn is the transaction a write joins: the explicit one, or the
// implicit one of the current protocol batch, started here.
func (s *Session) writeTxn() *txn {
	if s.txn == nil {
		s.txn = newTxn(s.engine.locks, true)
	}
	return s.txn
}

// settleImplicit ends the implicit transaction: at Sync, and before a
// statement that must see the batch's writes so far committed (FLUSH, DDL),
// as if each statement of the batch had been its own transaction so far. A
// transaction block is left alone.
func (s *Session) settleImplicit(ctx context.Context) error {
	if s.explicitTx {
		return nil
	}
	t := s.txn
	s.txn = nil
	switch {
	case t == nil:
		s.cursors.transactionEnded(true)
		return nil
	case t.failed:
		t.release()
		s.cursors.transactionEnded(false)
		return nil
	}
	err := t.commit(ctx, s.engine.runtime)
	s.cursors.transactionEnded(err == nil)
	return err
}
