package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// docsURL is the documentation_url GitHub puts in error bodies.
const docsURL = "https://docs.github.com/rest"

// obj is a JSON object under construction.
type obj = map[string]any

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError answers with GitHub's error body: message, documentation_url
// and the status as a string.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, obj{"message": message, "documentation_url": docsURL, "status": strconv.Itoa(status)})
}

// writeValidationFailed answers 422 with one error entry, as GitHub does
// for a field that breaks a rule the schema does not express.
func writeValidationFailed(w http.ResponseWriter, resource, field, code, message string) {
	writeJSON(w, http.StatusUnprocessableEntity, obj{
		"message":           "Validation Failed",
		"errors":            []obj{{"resource": resource, "field": field, "code": code, "message": message}},
		"documentation_url": docsURL,
		"status":            "422",
	})
}

// notFound answers 404 the way GitHub hides what a caller may not see.
func notFound(w http.ResponseWriter) { writeError(w, http.StatusNotFound, "Not Found") }

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
	// answered is called once, with the status, before anything reaches the
	// client: a client that has its answer finds its request in the log.
	answered func(status int)
}

// WriteHeader records status and passes it on.
func (r *statusRecorder) WriteHeader(status int) {
	r.answer(status)
	r.ResponseWriter.WriteHeader(status)
}

// Write records an implicit 200.
func (r *statusRecorder) Write(b []byte) (int, error) {
	r.answer(http.StatusOK)
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) answer(status int) {
	if r.status != 0 {
		return
	}
	r.status = status
	if r.answered != nil {
		r.answered(status)
	}
}
