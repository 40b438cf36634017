package locks

import "testing"

// TestDeployOrderListsOnlyShapes keeps the table to real shapes, and checks the
// orders the runbook relies on.
func TestDeployOrder(t *testing.T) {
	known := map[*Shape]bool{}
	for _, s := range Shapes {
		known[s] = true
	}
	for s := range deployOrder {
		if !known[s] {
			t.Errorf("deploy order for a shape missing from Shapes: %s", s.ID)
		}
	}
	for s, want := range map[*Shape]Deploy{AddColumn: BeforeCode, DropColumn: AfterCode, RenameColumn: NoSafeOrder, SetNotNull: AfterCode, ReindexTable: AnyOrder, Update: AfterCode} {
		if got := s.Deploy(); got != want {
			t.Errorf("%s: %s, want %s", s.ID, got, want)
		}
	}
}
