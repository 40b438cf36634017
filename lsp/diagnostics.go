package lsp

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

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
// At most max are published (0: all), as VS Code's extension host shows what it is
// sent: the most severe first (Error, Warning, Information, Hint), within a severity
// the first in the document, in document order. One Information diagnostic on line 1
// (codeMore) then says how many are not shown and how migsafe check (of file) lists
// them; it carries the verdict, which is not kept on its own (Information on line 1
// too, it would be the first to go). A finding's diagnostic is made only when it is
// published: 30,900 findings of a 5 MB document took 30 ms to word and position.
func diagnostics(sn *snapshot, max int, file string) []protocol.Diagnostic {
	res := sn.res
	var items []pendingDiag
	if sn.cfgErr != nil {
		items = append(items, pendingDiag{d: &protocol.Diagnostic{Range: sn.rng(0, 0), Severity: protocol.DiagnosticSeverityError,
			Code: codeConfig, Source: source, Message: "configuration ignored: " + configError(sn.cfgErr)}})
	}
	if res == nil {
		return publishAll(sn, items, nil)
	}
	items = slices.Grow(items, len(res.Findings)+len(res.Problems))
	for _, f := range res.Findings {
		if f.Status != rules.OK {
			items = append(items, pendingDiag{f: f, off: f.Start, sev: findingSeverity(f)})
		}
	}
	for _, p := range res.Problems {
		// The code is the problem's rule ID, as check prints it and `migsafe explain`
		// takes it ("syntax-error", "invalid-ignore", ...), not its kind ("syntax"):
		// an editor's explain command runs `migsafe explain CODE`.
		sev := protocol.DiagnosticSeverityWarning
		switch p.Status() {
		case rules.Block:
			sev = protocol.DiagnosticSeverityError
		case rules.OK: // information: an ORM call that is not analysed
			sev = protocol.DiagnosticSeverityInformation
		}
		items = append(items, pendingDiag{off: p.Offset, d: &protocol.Diagnostic{Range: sn.rng(p.Offset, tokenEnd(sn.src.Text, p.Offset, p.Kind)),
			Severity: sev, Code: problemCode(p.Kind), Source: source, Message: p.Message}})
	}
	var verdict *protocol.Diagnostic
	if res.Verdict != engine.SafeToShip {
		verdict = &protocol.Diagnostic{Range: sn.rng(0, len(sn.src.Line(0))), Severity: protocol.DiagnosticSeverityInformation,
			Code: codeVerdict, Source: source, Message: verdictLine(res)}
	}
	if max <= 0 || len(items) <= max {
		// Within the cap, or only the verdict over it: it stays, where the note would be.
		return publishAll(sn, items, verdict)
	}

	// Document order: findings are in it, the configuration error and problems are
	// appended around them.
	sort.SliceStable(items, func(a, b int) bool { return items[a].off < items[b].off })
	// Keep every diagnostic more severe than the threshold severity and the first
	// of it that fit.
	var count [4]int
	for i := range items {
		count[severityRank(items[i].severity())]++
	}
	left, threshold := max, 0
	for threshold < len(count) && count[threshold] <= left {
		left -= count[threshold]
		threshold++
	}
	// The note begins the document, so it goes first and the rest stay in order.
	kept := make([]protocol.Diagnostic, 1, max+1)
	for i := range items {
		switch r := severityRank(items[i].severity()); {
		case r < threshold:
			kept = append(kept, items[i].diagnostic(sn))
		case r == threshold && left > 0:
			kept = append(kept, items[i].diagnostic(sn))
			left--
		}
	}
	hidden, noun := len(items)-(len(kept)-1), "diagnostics are"
	if hidden == 1 {
		noun = "diagnostic is"
	}
	msg := fmt.Sprintf("migsafe: %d more %s not shown (maxDiagnostics is %d): `migsafe check %s` lists them all",
		hidden, noun, max, file)
	if verdict != nil {
		msg = verdict.Message + "; " + strings.TrimPrefix(msg, "migsafe: ")
	}
	kept[0] = protocol.Diagnostic{Range: sn.rng(0, len(sn.src.Line(0))), Severity: protocol.DiagnosticSeverityInformation,
		Code: codeMore, Source: source, Message: msg}
	return kept
}

// problemCode is the rule ID of a problem kind (the kind itself if it has none).
func problemCode(kind string) string {
	if k, ok := engine.ProblemKinds[kind]; ok && k.ID != "" {
		return k.ID
	}
	return kind
}

// pendingDiag is a diagnostic to publish, or a finding to make one of if it is; small,
// as there is one for every finding (a Diagnostic in each was 5 MB an edit).
type pendingDiag struct {
	f   *engine.Finding
	off int // where it begins, for document order
	sev protocol.DiagnosticSeverity
	d   *protocol.Diagnostic // when f is nil
}

func (p *pendingDiag) severity() protocol.DiagnosticSeverity {
	if p.f != nil {
		return p.sev
	}
	return p.d.Severity
}

func (p *pendingDiag) diagnostic(sn *snapshot) protocol.Diagnostic {
	if p.f != nil {
		return findingDiagnostic(sn, p.f)
	}
	return *p.d
}

// publishAll is every diagnostic of items in their order, then the verdict if any;
// empty, never nil, for none.
func publishAll(sn *snapshot, items []pendingDiag, verdict *protocol.Diagnostic) []protocol.Diagnostic {
	all := make([]protocol.Diagnostic, 0, len(items)+1)
	for i := range items {
		all = append(all, items[i].diagnostic(sn))
	}
	if verdict != nil {
		all = append(all, *verdict)
	}
	return all
}

// severityRank orders severities from the most severe, 0; an unset one is the
// client's to interpret, which is Error for VS Code.
func severityRank(s protocol.DiagnosticSeverity) int {
	if s < protocol.DiagnosticSeverityError || s > protocol.DiagnosticSeverityHint {
		return 0
	}
	return int(s) - 1
}

func findingSeverity(f *engine.Finding) protocol.DiagnosticSeverity {
	if f.Status == rules.Block {
		return protocol.DiagnosticSeverityError
	}
	return protocol.DiagnosticSeverityWarning
}

func findingDiagnostic(sn *snapshot, f *engine.Finding) protocol.Diagnostic {
	sev := findingSeverity(f)
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
// problems the rest of the line. A runner's refusal of an annotation (goose's
// "-- +goose StatementBegin", dbmate's "-- migrate:up") is a syntax problem at a
// comment: it marks the comment, not its first "-".
func tokenEnd(text string, off int, kind string) int {
	if off >= len(text) {
		return len(text)
	}
	token := (kind == "syntax" || kind == engine.NewerSyntax || kind == "complex") && !strings.HasPrefix(text[off:], "--")
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
// names the diagnostics' content, so a client holding the same is answered
// "unchanged" (and need not read them again) even after an edit. A pull that
// arrives while its version is being analysed is answered by that analysis as it
// ends, on the analysis' goroutine: handing the result over to this one cost a
// wake-up (and on a busy machine a wait for a processor) between the analysis and
// the answer, the part of a pull's latency that is neither analysis nor transport.
func (s *Server) pullDiagnostics(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) {
	var p documentDiagnosticParams
	if err := unmarshal(req.Params(), &p); err != nil {
		_ = reply(ctx, nil, err)
		return
	}
	s.mu.Lock()
	d := s.docs[p.TextDocument.URI]
	s.mu.Unlock()
	if d == nil {
		_ = reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "migsafe: %s is not open", p.TextDocument.URI))
		return
	}
	s.analyseNow(d)
	w := &pullWaiter{done: make(chan struct{})}
	w.answer = func(sn *snapshot) {
		defer close(w.done)
		res, err := s.pullAnswer(sn, p.PreviousResultID)
		logged := s.pullSpan(d, sn) // the answer is made: its span ends here
		_ = reply(ctx, res, err)
		logged() // after the answer is written, as the log is no part of it
	}
	d.mu.Lock()
	if sn := d.snap; sn != nil && sn.gen == d.gen || d.closed {
		d.mu.Unlock()
		w.answer(sn)
		return
	}
	d.pulls = append(d.pulls, w)
	d.mu.Unlock()
	timeout := time.NewTimer(staleWait)
	defer timeout.Stop()
	select {
	case <-w.done:
		return
	case <-timeout.C:
	case <-ctx.Done():
	}
	// Given up waiting (after staleWait, answered from the newest snapshot there is,
	// as other requests are: see snapshot) or cancelled ($/cancelRequest), unless the
	// analysis took the waiter meanwhile and is answering.
	d.mu.Lock()
	i := slices.Index(d.pulls, w)
	if i >= 0 {
		d.pulls = slices.Delete(d.pulls, i, i+1)
	}
	sn := d.snap
	d.mu.Unlock()
	if i < 0 {
		<-w.done
		return
	}
	if err := ctx.Err(); err != nil {
		_ = reply(ctx, nil, err)
		return
	}
	w.answer(sn)
}

// pullWaiter is a pull waiting for the analysis of its document's current version.
type pullWaiter struct {
	// answer replies to the pull from sn, once: whoever takes the waiter off
	// document.pulls (the analysis, or the pull giving up) calls it.
	answer func(sn *snapshot)
	done   chan struct{} // closed once answered
}

// pullAnswer is the answer to a pull from sn (nil: the document has no analysis yet).
func (s *Server) pullAnswer(sn *snapshot, previousResultID string) (any, error) {
	if sn == nil {
		return fullReport{Kind: "full", Items: []protocol.Diagnostic{}}, nil
	}
	items, id := sn.diagsJSON.resultID(sn.diags)
	if previousResultID == id {
		return unchangedReport{Kind: "unchanged", ResultID: id}, nil
	}
	return s.stream.splice(encodedFullReport(id, items)...), nil
}

// pullSpan measures the server's span of a pull of the current version, from the
// edit's arrival to now, and returns what logs it.
func (s *Server) pullSpan(d *document, sn *snapshot) (log func()) {
	if sn == nil || !s.log.Core().Enabled(zap.DebugLevel) {
		return func() {}
	}
	// From the edit's arrival to the answer made: the latency the server adds to an
	// editor's pull (its analysis included), what a client sees less its own
	// sending, reading and parsing.
	d.mu.Lock()
	since, current := time.Since(d.received), d.version == sn.version
	d.mu.Unlock()
	if !current {
		return func() {}
	}
	return func() {
		s.log.Debug("pulled", zap.String("uri", string(d.uri)), zap.Int32("version", sn.version), zap.Duration("sinceEdit", since))
	}
}
