package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/rules"
)

const source = "migsafe"

// Diagnostic codes that are not rule IDs.
const (
	codeVerdict = "verdict"
	codeConfig  = "config"
	codeMore    = "more-findings"
)

// diagnostics converts a snapshot's result: one diagnostic per finding (Error for
// BLOCK, Warning for FLAG; findings set to PASS in config are not shown), per problem,
// the configuration error if any, and the file's verdict as Information on line 1.
func diagnostics(sn *snapshot) (all, perFinding []protocol.Diagnostic) {
	res := sn.res
	all = []protocol.Diagnostic{}
	if sn.cfgErr != nil {
		all = append(all, protocol.Diagnostic{Range: sn.rng(0, 0), Severity: protocol.DiagnosticSeverityError,
			Code: codeConfig, Source: source, Message: "configuration ignored: " + configError(sn.cfgErr)})
	}
	if res == nil {
		return all, nil
	}
	perFinding = make([]protocol.Diagnostic, len(res.Findings))
	for i, f := range res.Findings {
		perFinding[i] = findingDiagnostic(sn, f)
		if f.Status != rules.OK {
			all = append(all, perFinding[i])
		}
	}
	for _, p := range res.Problems {
		// The code is the problem's kind: "syntax", "ignore", "internal", ...
		sev := protocol.DiagnosticSeverityWarning
		switch p.Status() {
		case rules.Block:
			sev = protocol.DiagnosticSeverityError
		case rules.OK: // information: an ORM call that is not analysed
			sev = protocol.DiagnosticSeverityInformation
		}
		all = append(all, protocol.Diagnostic{Range: sn.rng(p.Offset, tokenEnd(sn.src.Text, p.Offset, p.Kind)),
			Severity: sev, Code: p.Kind, Source: source, Message: p.Message})
	}
	if res.Verdict != engine.SafeToShip {
		line0 := len(sn.src.Line(0))
		all = append(all, protocol.Diagnostic{Range: sn.rng(0, line0), Severity: protocol.DiagnosticSeverityInformation,
			Code: codeVerdict, Source: source, Message: verdictLine(res)})
	}
	return all, perFinding
}

// capDiagnostics keeps at most max of all (0: all), as VS Code's extension host does
// with what it is sent: the most severe first (Error, Warning, Information, Hint),
// within a severity the first in the document, published in document order. One
// Information diagnostic on line 1 (codeMore) then says how many are not shown and
// how to list them; it carries the verdict, which is not kept on its own (it is
// Information on line 1 too, and would otherwise be the first to go). all is not
// modified.
func capDiagnostics(sn *snapshot, all []protocol.Diagnostic, max int, file string) []protocol.Diagnostic {
	if max <= 0 || len(all) <= max {
		return all
	}
	verdict := ""
	cands := make([]int, 0, len(all))
	for i := range all {
		if all[i].Code == codeVerdict && all[i].Source == source {
			verdict = all[i].Message
			continue
		}
		cands = append(cands, i)
	}
	if len(cands) <= max {
		// Only the verdict is over: it stays, where the note would be.
		return all
	}
	// Document order: findings are, problems and the configuration error are
	// appended around them.
	sort.SliceStable(cands, func(a, b int) bool {
		return before(all[cands[a]].Range.Start, all[cands[b]].Range.Start)
	})
	// Keep every diagnostic more severe than the threshold severity and the first
	// of it that fit.
	var count [4]int
	for _, i := range cands {
		count[severityRank(all[i].Severity)]++
	}
	left, threshold := max, 0
	for threshold < len(count) && count[threshold] <= left {
		left -= count[threshold]
		threshold++
	}
	kept := make([]protocol.Diagnostic, 0, max+1)
	kept = append(kept, protocol.Diagnostic{}) // the note, made once the count is known
	for _, i := range cands {
		switch r := severityRank(all[i].Severity); {
		case r < threshold:
			kept = append(kept, all[i])
		case r == threshold && left > 0:
			kept = append(kept, all[i])
			left--
		}
	}
	hidden := len(cands) - (len(kept) - 1)
	msg := fmt.Sprintf("migsafe: %d more diagnostics are not shown (maxDiagnostics is %d): `migsafe check %s` lists them all", hidden, max, file)
	if verdict != "" {
		msg = verdict + "; " + strings.TrimPrefix(msg, "migsafe: ")
	}
	// The note begins the document, so kept stays in document order.
	kept[0] = protocol.Diagnostic{Range: sn.rng(0, len(sn.src.Line(0))), Severity: protocol.DiagnosticSeverityInformation,
		Code: codeMore, Source: source, Message: msg}
	return kept
}

// severityRank orders severities from the most severe, 0; an unset one is the
// client's to interpret, which is Error for VS Code.
func severityRank(s protocol.DiagnosticSeverity) int {
	if s < protocol.DiagnosticSeverityError || s > protocol.DiagnosticSeverityHint {
		return 0
	}
	return int(s) - 1
}

func before(a, b protocol.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
}

func findingDiagnostic(sn *snapshot, f *engine.Finding) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityWarning
	if f.Status == rules.Block {
		sev = protocol.DiagnosticSeverityError
	}
	msg := f.Message
	if f.Lock != nil && !strings.Contains(msg, f.Lock.Mode.String()) {
		msg += " — it " + rules.Impact(*f.Lock)
	}
	return protocol.Diagnostic{Range: sn.rng(f.Start, f.End), Severity: sev, Code: f.Rule.ID, Source: source,
		Message: fmt.Sprintf("%s: %s", f.Status, msg), RelatedInformation: relatedUses(f, sn.codeRoot)}
}

// verdictLine reads "migsafe: BLOCK — 2 BLOCK, 1 FLAG".
func verdictLine(res *engine.Result) string {
	block, flag := 0, 0
	for _, f := range res.Findings {
		switch f.Status {
		case rules.Block:
			block++
		case rules.Flag:
			flag++
		}
	}
	for _, p := range res.Problems {
		switch p.Status() {
		case rules.Block:
			block++
		case rules.Flag:
			flag++
		}
	}
	return fmt.Sprintf("migsafe: %s — %d BLOCK, %d FLAG", res.Verdict, block, flag)
}

// tokenEnd is where the token at off ends: a syntax error marks the token, other
// problems the rest of the line.
func tokenEnd(text string, off int, kind string) int {
	if off >= len(text) {
		return len(text)
	}
	token := kind == "syntax" || kind == engine.NewerSyntax || kind == "complex"
	end := off
	for end < len(text) {
		r, n := utf8.DecodeRuneInString(text[end:])
		if r == '\n' || (token && unicode.IsSpace(r)) {
			break
		}
		end += n
		if token && !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			break // punctuation is a token of its own
		}
	}
	return end
}

// publish sends diagnostics encoded as a JSON array; version < 0 means none (clearing
// a closed document).
func (s *Server) publish(ctx context.Context, uri protocol.DocumentURI, version int32, diags []byte) {
	s.notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, s.stream.splice(encodedPublish(uri, version, diags)...))
}

// methodDiagnostic is LSP 3.17's pull request, unknown to protocol v0.12.0.
const methodDiagnostic = "textDocument/diagnostic"

type documentDiagnosticParams struct {
	TextDocument     protocol.TextDocumentIdentifier `json:"textDocument"`
	PreviousResultID string                          `json:"previousResultId"`
}

type fullReport struct {
	Kind     string                `json:"kind"` // "full"
	ResultID string                `json:"resultId,omitempty"`
	Items    []protocol.Diagnostic `json:"items"`
}

type unchangedReport struct {
	Kind     string `json:"kind"` // "unchanged"
	ResultID string `json:"resultId"`
}

// pullDiagnostics answers textDocument/diagnostic from the current version's
// snapshot, analysing it at once if it is waiting out the debounce. The result id
// names the analysis, so an unchanged one is answered as such.
func (s *Server) pullDiagnostics(ctx context.Context, params any) (any, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	var p documentDiagnosticParams
	if err := unmarshal(raw, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	s.mu.Unlock()
	if d != nil {
		s.analyseNow(d)
	}
	sn, open, err := s.snapshot(ctx, p.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	if !open || sn == nil {
		if !open {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "migsafe: %s is not open", p.TextDocument.URI)
		}
		return fullReport{Kind: "full", Items: []protocol.Diagnostic{}}, nil
	}
	id := strconv.FormatUint(sn.gen, 10)
	if p.PreviousResultID == id {
		return unchangedReport{Kind: "unchanged", ResultID: id}, nil
	}
	return s.stream.splice(encodedFullReport(id, sn.diagsJSON.of(sn.diags))...), nil
}
