package fakegithub

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure to inject into matching requests.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// PathRegexp matches the API path, without the /api/v3 prefix and
	// without the query, e.g. `^/repos/o/r/commits/`.
	PathRegexp string
	// Status is the status to answer with; 0 serves the request normally
	// after Delay.
	Status int
	// Times is how many matching requests fail; 0 means every one.
	Times int
	// Header is added to the response (e.g. Retry-After).
	Header http.Header
	// Delay is waited before answering.
	Delay time.Duration
	// Body is the response body; "" picks GitHub's JSON error for Status.
	Body string
}

// faultState is an injected Fault and how often it has fired.
type faultState struct {
	Fault
	re    *regexp.Regexp
	fired int
}

// Inject adds a fault. Faults are tried in the order injected; the first
// that matches and has not used up its Times applies.
func (s *Server) Inject(f Fault) {
	s.tb.Helper()
	re, err := regexp.Compile(f.PathRegexp)
	if err != nil {
		s.tb.Fatalf("fakegithub: Inject: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.faults = append(s.state.faults, &faultState{Fault: f, re: re})
}

// PrimaryRateLimit is a Fault answering 403 with x-ratelimit-remaining: 0
// and x-ratelimit-reset at reset, as GitHub does when the hourly budget is
// spent.
func PrimaryRateLimit(pathRegexp string, times int, reset time.Time) Fault {
	return Fault{PathRegexp: pathRegexp, Status: http.StatusForbidden, Times: times,
		Header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}}
}

// SecondaryRateLimit is a Fault answering status (403 or 429) with a
// retry-after header, as GitHub does for its secondary rate limits.
func SecondaryRateLimit(pathRegexp string, times, status int, retryAfter time.Duration) Fault {
	return Fault{PathRegexp: pathRegexp, Status: status, Times: times,
		Header: http.Header{"Retry-After": {strconv.Itoa(int(retryAfter / time.Second))}}}
}

// applyFault applies the first matching fault to c. It reports whether the
// fault answered the request.
func (s *Server) applyFault(c *call) bool {
	s.mu.Lock()
	var f *Fault
	for _, fs := range s.state.faults {
		if (fs.Method == "" || strings.EqualFold(fs.Method, c.r.Method)) && fs.re.MatchString(c.path) &&
			(fs.Times <= 0 || fs.fired < fs.Times) {
			fs.fired++
			f = &fs.Fault
			break
		}
	}
	s.mu.Unlock()
	if f == nil {
		return false
	}
	c.faulted = true
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-c.r.Context().Done():
		}
	}
	if f.Status == 0 {
		return false
	}
	for k, vs := range f.Header {
		c.w.Header()[http.CanonicalHeaderKey(k)] = vs
	}
	if f.Body != "" {
		c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
		c.w.WriteHeader(f.Status)
		_, _ = c.w.Write([]byte(f.Body))
		return true
	}
	writeJSON(c.w, f.Status, faultBody(f.Status, c.w.Header()))
	return true
}

// faultBody is GitHub's error body for status with the given headers.
func faultBody(status int, h http.Header) obj {
	limited := status == http.StatusForbidden || status == http.StatusTooManyRequests
	switch {
	case limited && h.Get("X-Ratelimit-Remaining") == "0":
		return obj{"message": "API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.",
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits", "status": strconv.Itoa(status)}
	case limited:
		return obj{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", "status": strconv.Itoa(status)}
	}
	return obj{"message": http.StatusText(status), "documentation_url": docsURL, "status": strconv.Itoa(status)}
}
