package planner

// A streaming plan runs in fragments: each stateful node (aggregate, join,
// top-N) runs as Materialize.Parallelism instances, each owning a range of
// the vnodes its distribution columns hash to, or as one instance when it
// has no distribution columns (a global aggregate or top-N). A scan runs as
// one instance (it reads one relation's changes in order), a stateless node
// (filter, project) as many as its input, fused with it, and Materialize as
// one, gathering its input's instances: a view's rows are written, and its
// changes forwarded to the views reading it, in one ordered stream.
// Between a node and an input whose instances differ, or that has several,
// rows move through a hash exchange on the node's distribution columns.
// mview builds the dataflow this way; EXPLAIN shows it.

// Instances returns how many instances node p of a plan of the given
// parallelism runs as.
func Instances(p Plan, parallelism int) int {
	parallelism = max(parallelism, 1)
	switch p := p.(type) {
	case *Scan, *Materialize:
		return 1
	case *Aggregate, *Join, *TopN:
		if len(DistributionKey(p, 0)) == 0 {
			return 1
		}
		return parallelism
	}
	if in := p.Inputs(); len(in) == 1 {
		return Instances(in[0], parallelism)
	}
	return 1
}

// Exchanged reports whether the rows of p's input side reach p through an
// exchange (a hash exchange on DistributionKey(p, side), or for
// Materialize a gather of its input's instances), rather than each
// instance of the input feeding the instance of p it is fused with.
func Exchanged(p Plan, side, parallelism int) bool {
	in := p.Inputs()[side]
	switch p.(type) {
	case *Aggregate, *Join, *TopN:
		return Instances(in, parallelism) > 1 || Instances(p, parallelism) > 1
	case *Materialize:
		return Instances(in, parallelism) > 1
	}
	return false
}
