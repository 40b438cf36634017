package lsp

// analyseNow starts the analysis of d's current version at once when it is waiting out
// the debounce. The debounce saves analyses while the user types and nobody is asking;
// a request that needs the current version's result (a pull for diagnostics) would
// otherwise wait for it on top of the analysis.
func (s *Server) analyseNow(d *document) {
	d.mu.Lock()
	pending := d.timer != nil && d.timer.Stop()
	gen, version, text := d.gen, d.version, d.text
	d.mu.Unlock()
	if pending {
		go s.run(d, gen, version, text)
	}
}
