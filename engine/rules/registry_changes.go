package rules

// changeRules: constraint-validation, foreign-keys, concurrent-write-hazards, data-loss,
// backward-compatibility, missing-rollback and the opt-in style rules.
var changeRules = []*Rule{
	// constraint-validation
	AddingRequiredColumn,
	SettingNotNull,
	ConstraintMissingNotValid,
	AddingUniqueConstraint,
	AddingExclusionConstraint,
	ValidateInSameTransaction,
	// foreign-keys
	AddingForeignKeyConstraint,
	ForeignKeyCascade,
	ForeignKeyMissingIndex,
	// concurrent-write-hazards
	UnbatchedBackfill,
	UnbatchedBulkCopy,
	MixedSchemaAndDataChange,
	// data-loss
	DroppingTable,
	DroppingColumn,
	DroppingSchema,
	DroppingDatabase,
	TruncateTable,
	NarrowingTypeChange,
	DeleteWithoutWhere,
	// backward-compatibility
	RenamingColumn,
	RenamingTable,
	RemovingUsedObject,
	DependentView,
	ReplaceViewColumns,
	// missing-rollback
	MissingDownMigration,
	EmptyDownMigration,
	IrreversibleDownMigration,
	// opt-in style rules
	PreferTextField,
	PreferBigintOverInt,
	PreferIdentity,
	PreferTimestamptz,
	PreferRobustStmts,
}
