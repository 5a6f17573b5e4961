package fakegithub

import (
	"net/url"
	"time"
)

// RecordedRequest is one request the fake received.
type RecordedRequest struct {
	Method      string
	Path        string // API path without the /api/v3 prefix
	Query       url.Values
	Body        []byte
	Auth        AuthKind
	OperationID string // "" when no operation matched
	Status      int    // the status the fake answered with
	Faulted     bool   // an injected Fault matched
	Time        time.Time
}

// record appends c to the request log as it is answered, before the
// answer reaches the client.
func (s *Server) record(c *call, start time.Time) {
	rr := RecordedRequest{Method: c.r.Method, Path: c.path, Query: c.r.URL.Query(), Body: c.body,
		Auth: c.cred.kind, OperationID: c.opID, Status: c.w.status, Faulted: c.faulted, Time: start}
	if rr.Status == 0 {
		rr.Status = 200
	}
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.requests = append(s.requests, rr)
}

// Requests returns every request received so far, in the order they were
// answered.
func (s *Server) Requests() []RecordedRequest {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return append([]RecordedRequest(nil), s.requests...)
}
