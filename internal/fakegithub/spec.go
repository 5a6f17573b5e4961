package fakegithub

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// subsetJSON is GitHub's REST description trimmed to the operations the App
// uses; additionsJSON holds the operations fakegithub added to it. Both are
// described in testdata/SOURCES.md.
var (
	//go:embed testdata/openapi-subset.json
	subsetJSON []byte
	//go:embed testdata/openapi-additions.json
	additionsJSON []byte
)

// enterprisePrefix is where GitHub Enterprise Server serves the REST API.
const enterprisePrefix = "/api/v3"

// spec is the loaded description and a router that finds its operations.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

// loadSpec merges the embedded descriptions, loads and validates them, and
// builds a router for both the api.github.com and the GHES path layouts.
func loadSpec() (*spec, error) {
	merged, err := mergeDescriptions(subsetJSON, additionsJSON)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(merged)
	if err != nil {
		return nil, fmt.Errorf("load openapi description: %w", err)
	}
	// The upstream data has a date-time example with literal quote marks
	// (see SOURCES.md), so examples are not validated.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("validate openapi description: %w", err)
	}
	router, err := gorillamux.NewRouter(routingDoc(doc))
	if err != nil {
		return nil, fmt.Errorf("build openapi router: %w", err)
	}
	return &spec{doc: doc, router: router}, nil
}

// mergeDescriptions adds the paths and components of extra to base. A
// component present in both must be identical.
func mergeDescriptions(base, extra []byte) ([]byte, error) {
	var b, e map[string]any
	if err := json.Unmarshal(base, &b); err != nil {
		return nil, fmt.Errorf("parse openapi subset: %w", err)
	}
	if err := json.Unmarshal(extra, &e); err != nil {
		return nil, fmt.Errorf("parse openapi additions: %w", err)
	}
	if err := mergeMaps(b["paths"].(map[string]any), e["paths"].(map[string]any), "paths", 2); err != nil {
		return nil, err
	}
	if err := mergeMaps(b["components"].(map[string]any), e["components"].(map[string]any), "components", 2); err != nil {
		return nil, err
	}
	return json.Marshal(b)
}

// mergeMaps copies src into dst, descending depth levels; below that a key
// present in both must hold equal values.
func mergeMaps(dst, src map[string]any, where string, depth int) error {
	for k, v := range src {
		old, ok := dst[k]
		switch {
		case !ok:
			dst[k] = v
		case depth > 1:
			if err := mergeMaps(old.(map[string]any), v.(map[string]any), where+"/"+k, depth-1); err != nil {
				return err
			}
		case !reflect.DeepEqual(old, v):
			return fmt.Errorf("openapi additions: %s/%s differs from the subset", where, k)
		}
	}
	return nil
}

// routingDoc returns a shallow copy of doc for the router: servers at "/" and
// at /api/v3, and parameters marked x-multi-segment (a file path, a ref such
// as heads/feature/x, a basehead) allowed to span slashes as on GitHub.
func routingDoc(doc *openapi3.T) *openapi3.T {
	rd := *doc
	rd.Servers = openapi3.Servers{{URL: "/"}, {URL: enterprisePrefix}}
	rd.Paths = openapi3.NewPaths()
	for path, item := range doc.Paths.Map() {
		for _, name := range multiSegmentParams(item) {
			path = strings.Replace(path, "{"+name+"}", "{"+name+":.+}", 1)
		}
		rd.Paths.Set(path, item)
	}
	return &rd
}

// multiSegmentParams names the path parameters of item that GitHub marks
// with x-multi-segment.
func multiSegmentParams(item *openapi3.PathItem) []string {
	var names []string
	params := append(openapi3.Parameters{}, item.Parameters...)
	for _, op := range item.Operations() {
		params = append(params, op.Parameters...)
	}
	for _, p := range params {
		if p.Value == nil || p.Value.In != openapi3.ParameterInPath {
			continue
		}
		if v, ok := p.Value.Extensions["x-multi-segment"].(bool); ok && v {
			names = append(names, p.Value.Name)
		}
	}
	return names
}
