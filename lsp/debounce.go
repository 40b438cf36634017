package lsp

// analyseNow analyses d's current version at once, on the calling goroutine, when it
// is waiting out the debounce. The debounce saves analyses while the user types and
// nobody is asking; a request that needs the current version's result (a pull for
// diagnostics) would otherwise wait for it on top of the analysis. The request's own
// goroutine runs it, so the answer follows the analysis without a hand-over.
func (s *Server) analyseNow(d *document) {
	d.mu.Lock()
	pending := d.timer != nil && d.timer.Stop()
	gen, version, text := d.gen, d.version, d.text
	d.mu.Unlock()
	if pending {
		s.run(d, gen, version, text)
	}
}
