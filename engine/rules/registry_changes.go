package rules

// changeRules: constraint-validation, foreign-keys, concurrent-write-hazards, data-loss,
// backward-compatibility, missing-rollback and the opt-in style rules.
var changeRules = []*Rule{
	AddingRequiredColumn,
}
