package fakegithub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// route finds the OpenAPI operation of r and its path parameters.
func (sp *spec) route(r *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := sp.router.FindRoute(r)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range params {
		if u, err := url.PathUnescape(v); err == nil {
			params[k] = u
		}
	}
	return route, params, nil
}

// validate checks r, whose body has already been read, against the
// operation's parameters and request body schema.
func (sp *spec) validate(r *http.Request, body []byte, route *routers.Route, params map[string]string) error {
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	opts.WithCustomSchemaErrorFunc(schemaErrorMessage)
	req := r.Clone(r.Context())
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		// ghinstallation sends a JSON null when it has no token options,
		// and GitHub takes it as no body at all.
		body = nil
		req.Header.Del("Content-Type")
	}
	body = fillDiscriminatorDefault(route, body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.ContentLength = int64(len(body))
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	return openapi3filter.ValidateRequest(r.Context(), in)
}

// schemaErrorMessage is a one-line schema error: where, what, and the value.
func schemaErrorMessage(err *openapi3.SchemaError) string {
	at := "/" + strings.Join(err.JSONPointer(), "/")
	value, _ := json.Marshal(err.Value)
	if len(value) > 200 {
		value = append(value[:200], "…"...)
	}
	return fmt.Sprintf("at %s: %s (got %s)", at, err.Reason, value)
}

// describeValidation turns a kin-openapi request error into a readable
// sentence, and the status GitHub answers such a request with.
func describeValidation(err error) (string, int) {
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		if re.RequestBody != nil && strings.Contains(re.Error(), "failed to decode request body") {
			return re.Error(), http.StatusBadRequest
		}
		if re.Parameter != nil && re.Parameter.In == openapi3.ParameterInPath {
			return re.Error(), http.StatusNotFound
		}
	}
	return err.Error(), http.StatusUnprocessableEntity
}

// routeProblem explains why no operation matched.
func routeProblem(err error) string {
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return "GitHub's REST description has this path but not this method"
	case errors.Is(err, routers.ErrPathNotFound):
		return "no operation in GitHub's REST description (internal/fakegithub/testdata/openapi-*.json) matches this path; " +
			"if the App really needs it, add it with internal/fakegithub/testdata/extract-additions.mjs"
	}
	return err.Error()
}

// fillDiscriminatorDefault adds the default of a request body's
// discriminator property when the body leaves it out. GitHub's description
// makes `status` the discriminator of checks/create while documenting it as
// optional with default "queued", and GitHub accepts bodies without it;
// OpenAPI would otherwise demand it.
func fillDiscriminatorDefault(route *routers.Route, body []byte) []byte {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil || len(body) == 0 {
		return body
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || mt.Schema.Value.Discriminator == nil {
		return body
	}
	name := mt.Schema.Value.Discriminator.PropertyName
	prop := mt.Schema.Value.Properties[name]
	var m map[string]any
	if prop == nil || prop.Value == nil || prop.Value.Default == nil || json.Unmarshal(body, &m) != nil {
		return body
	}
	if _, ok := m[name]; ok {
		return body
	}
	m[name] = prop.Value.Default
	filled, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return filled
}
