// Package locks is migsafe's knowledge of what PostgreSQL statements lock, rewrite and
// scan, by statement shape and server version. It is the only place that states lock
// facts: rule messages, hover text and the tracer's comparison all read it, and the
// oracle test in this package checks every shape against real servers.
package locks

import "strings"

// Mode is a table-level lock mode, ordered from weakest to strongest.
type Mode int

const (
	None Mode = iota
	AccessShare
	RowShare
	RowExclusive
	ShareUpdateExclusive
	Share
	ShareRowExclusive
	Exclusive
	AccessExclusive
)

var modeNames = [...]string{"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
	"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"}

// pgLockNames are the names pg_locks.mode uses.
var pgLockNames = [...]string{"", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
	"ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}

func (m Mode) String() string {
	if m < None || m > AccessExclusive {
		return "UNKNOWN"
	}
	if m == None {
		return "no lock"
	}
	return modeNames[m]
}

// ParseMode reads a mode in SQL spelling ("SHARE ROW EXCLUSIVE") or pg_locks spelling
// ("ShareRowExclusiveLock").
func ParseMode(s string) (Mode, bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	for m := AccessShare; m <= AccessExclusive; m++ {
		if u == modeNames[m] || u == strings.ToUpper(pgLockNames[m]) {
			return m, true
		}
	}
	return None, false
}

// conflicts is PostgreSQL's table-level lock conflict matrix ("Conflicting Lock Modes"
// in the documentation's explicit locking chapter), as bit sets over Mode.
var conflicts = [...]uint16{
	None:                 0,
	AccessShare:          bit(AccessExclusive),
	RowShare:             bit(Exclusive, AccessExclusive),
	RowExclusive:         bit(Share, ShareRowExclusive, Exclusive, AccessExclusive),
	ShareUpdateExclusive: bit(ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	Share:                bit(RowExclusive, ShareUpdateExclusive, ShareRowExclusive, Exclusive, AccessExclusive),
	ShareRowExclusive:    bit(RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	Exclusive:            bit(RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
	AccessExclusive:      bit(AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive),
}

func bit(ms ...Mode) uint16 {
	var b uint16
	for _, m := range ms {
		b |= 1 << m
	}
	return b
}

// Conflicts reports whether a lock in mode m waits for (or makes wait) a lock in mode o.
func (m Mode) Conflicts(o Mode) bool {
	if m <= None || o <= None || m > AccessExclusive || o > AccessExclusive {
		return false
	}
	return conflicts[m]&(1<<o) != 0
}

// Blocked says which ordinary activity waits while a lock is held.
type Blocked struct {
	Reads  bool // SELECT (ACCESS SHARE)
	Writes bool // INSERT, UPDATE, DELETE (ROW EXCLUSIVE)
	DDL    bool // VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY and other DDL (SHARE UPDATE EXCLUSIVE)
}

// Blocks derives what the mode blocks from the conflict matrix.
func (m Mode) Blocks() Blocked {
	return Blocked{
		Reads:  m.Conflicts(AccessShare),
		Writes: m.Conflicts(RowExclusive),
		DDL:    m.Conflicts(ShareUpdateExclusive),
	}
}

// Describe says in words what the lock blocks, for messages.
func (b Blocked) Describe() string {
	switch {
	case b.Reads:
		return "blocks all reads and writes"
	case b.Writes:
		return "blocks writes (reads continue)"
	case b.DDL:
		return "blocks other DDL, VACUUM and ANALYZE (reads and writes continue)"
	}
	return "blocks nothing ordinary traffic does"
}

// Blocking reports whether the mode blocks reads or writes.
func (m Mode) Blocking() bool { b := m.Blocks(); return b.Reads || b.Writes }
