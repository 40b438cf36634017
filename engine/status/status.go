// Package status holds the judgement migsafe gives a finding, a review category and a
// file: PASS, FLAG or BLOCK. It is its own package so that configuration (which
// overrides a rule's status) and the rules (which report one) share the one type
// without depending on each other.
package status

import (
	"fmt"
	"strings"
)

// Status is the verdict on one finding or category, ordered from best to worst.
type Status int

const (
	Pass Status = iota
	Flag
	Block
)

var names = [...]string{"PASS", "FLAG", "BLOCK"}

func (s Status) String() string {
	if s < Pass || s > Block {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return names[s]
}

// Parse reads PASS, FLAG or BLOCK, in any case.
func Parse(s string) (Status, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return Status(i), nil
		}
	}
	return Pass, fmt.Errorf("%q is not a status (want PASS, FLAG or BLOCK)", s)
}

// UnmarshalText lets configuration decoders read a status where they read text, so a
// bad value is rejected, with its position, when the file is loaded.
func (s *Status) UnmarshalText(text []byte) error {
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalText writes the status as it is spelled in configuration and reports.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
