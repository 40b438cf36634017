package rules

// lockRules: lock-contention, replication-lag and index-dependencies.
var lockRules = []*Rule{
	RequireConcurrentIndexCreation,
	ConcurrentlyInTransaction,
}
