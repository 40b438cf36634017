package rules

// lockRules: lock-contention, replication-lag and index-dependencies.
var lockRules = []*Rule{
	RequireConcurrentIndexCreation,
	RequireConcurrentIndexDeletion,
	RequireConcurrentReindex,
	RequireConcurrentDetachPartition,
	RequireConcurrentRefresh,
	ConcurrentlyInTransaction,
	UnsupportedOnVersion,
	AddingFieldWithRewrite,
	ChangingColumnType,
	TableRewrite,
	LockTable,
	RequireLockTimeout,
	StatementsAfterAccessExclusive,
	DynamicSQL,
	ReplicationLagRule,
	DroppingIndex,
	ConcurrentRefreshPrecondition,
}
