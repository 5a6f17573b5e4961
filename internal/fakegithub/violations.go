package fakegithub

import "fmt"

// violate records a violation: a request GitHub would not accept as sent,
// or one the fake cannot serve. Each fails the test at cleanup.
func (s *Server) violate(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.violations = append(s.state.violations, msg)
}

// Violations returns the violations recorded so far, oldest first.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.state.violations...)
}
