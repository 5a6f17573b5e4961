package fakegithub

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// maxRequestBody caps what the fake reads of a request body.
const maxRequestBody = 32 << 20

// call is one request on its way through the fake.
type call struct {
	w       *statusRecorder
	r       *http.Request
	path    string // without the /api/v3 prefix
	body    []byte
	cred    credential
	params  map[string]string
	opID    string
	faulted bool
}

// ServeHTTP checks a request against GitHub's description, records it,
// applies injected faults, authenticates it and serves it. The manifest
// flow's web page is served apart (see manifest.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if org, ok := manifestPageOrg(r.URL.Path); ok {
		s.newAppPage(w, r, org) // a web page, not the API
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	s.latency(r)
	rec := &statusRecorder{ResponseWriter: w}
	c := &call{w: rec, r: r, body: body, cred: parseCredential(r)}
	start := time.Now()
	rec.answered = func(int) { s.record(c, start) }
	defer rec.answer(http.StatusOK) // a handler that wrote nothing answered 200
	s.setRateHeaders(c)
	path, ok := s.apiPath(r.URL.Path)
	c.path = path
	if !ok {
		s.violate("%s %s: outside the API base %s", r.Method, r.URL.Path, s.URL())
		notFound(c.w)
		return
	}
	route, params, err := s.spec.route(r)
	if err != nil {
		s.violate("%s %s: %s", r.Method, path, routeProblem(err))
		notFound(c.w)
		return
	}
	c.params, c.opID = params, route.Operation.OperationID
	if err := s.spec.validate(r, body, route, params); err != nil {
		msg, status := describeValidation(err)
		s.violate("%s %s (%s): %s", r.Method, path, c.opID, msg)
		writeError(c.w, status, "Invalid request.\n\n"+msg)
		return
	}
	if s.applyFault(c) {
		return
	}
	op, ok := operations()[c.opID]
	if !ok {
		s.violate("%s %s: fakegithub does not implement %s yet", r.Method, path, c.opID)
		writeError(c.w, http.StatusNotImplemented, "fakegithub does not implement "+c.opID)
		return
	}
	s.serve(c, op)
}

// serve authenticates c as op requires and runs op's handler.
func (s *Server) serve(c *call, op operation) {
	switch op.auth {
	case authApp:
		if !s.requireJWT(c) {
			return
		}
	case authInstallation:
		if _, ok := s.requireToken(c); !ok {
			return
		}
	}
	op.handle(s, c)
}

// apiPath strips the Enterprise prefix from an URL path. It reports false
// for a path outside the API base of this server.
func (s *Server) apiPath(p string) (string, bool) {
	if !s.opts.Enterprise {
		return p, !strings.HasPrefix(p, enterprisePrefix+"/")
	}
	rest, ok := strings.CutPrefix(p, enterprisePrefix)
	return rest, ok && strings.HasPrefix(rest, "/")
}
