package fakegithub

import (
	"encoding/json"
	"fmt"
	"time"
)

// CheckRun is a check run as the fake recorded it.
type CheckRun struct {
	ID          int64
	Repo        string // owner/name
	Name        string
	HeadSHA     string
	Status      string // queued, in_progress, completed, …
	Conclusion  string // "" until completed
	ExternalID  string
	DetailsURL  string
	StartedAt   string
	CompletedAt string
	Output      CheckRunOutput
	Annotations []Annotation // every annotation sent, in order: PATCHes append
	Actions     []Action     // the last actions sent: PATCHes replace
	Updates     []CheckRunUpdate
}

// CheckRunOutput is the latest output title, summary and text.
type CheckRunOutput struct {
	Title   string
	Summary string
	Text    string
}

// Annotation is one check run annotation, as the App sent it.
type Annotation struct {
	Path            string `json:"path"`
	StartLine       int    `json:"start_line"`
	EndLine         int    `json:"end_line"`
	StartColumn     *int   `json:"start_column,omitempty"`
	EndColumn       *int   `json:"end_column,omitempty"`
	AnnotationLevel string `json:"annotation_level"`
	Message         string `json:"message"`
	Title           string `json:"title,omitempty"`
	RawDetails      string `json:"raw_details,omitempty"`
}

// Action is a check run button.
type Action struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Identifier  string `json:"identifier"`
}

// CheckRunUpdate is one create (POST) or update (PATCH) request, in order.
type CheckRunUpdate struct {
	Method string
	Body   json.RawMessage
	Time   time.Time
}

// checkRunRequest is the body of checks/create and checks/update.
type checkRunRequest struct {
	Name        *string           `json:"name"`
	HeadSHA     *string           `json:"head_sha"`
	DetailsURL  *string           `json:"details_url"`
	ExternalID  *string           `json:"external_id"`
	Status      *string           `json:"status"`
	StartedAt   *string           `json:"started_at"`
	Conclusion  *string           `json:"conclusion"`
	CompletedAt *string           `json:"completed_at"`
	Output      *checkRunOutputIn `json:"output"`
	Actions     *[]Action         `json:"actions"`
}

// checkRunOutputIn is the output object of a request.
type checkRunOutputIn struct {
	Title       *string      `json:"title"`
	Summary     *string      `json:"summary"`
	Text        *string      `json:"text"`
	Annotations []Annotation `json:"annotations"`
}

// Limits GitHub puts on check runs.
const (
	maxAnnotationsPerRequest = 50
	maxOutputText            = 65535
	maxAnnotationTitle       = 255
	maxAnnotationMessage     = 64 << 10
	maxActions               = 3
	maxActionLabel           = 20
	maxActionDescription     = 40
	maxActionIdentifier      = 20
)

// checkLimits returns the first GitHub check-run rule req breaks, as the
// field and a message, or "" when it breaks none. The OpenAPI schema
// catches most of these too; the rest (sizes in bytes, annotation titles,
// columns on multi-line annotations) only GitHub's server enforces.
func checkLimits(req *checkRunRequest) (field, msg string) {
	if o := req.Output; o != nil {
		if len(o.Annotations) > maxAnnotationsPerRequest {
			return "output.annotations", fmt.Sprintf("%d annotations; at most %d per request", len(o.Annotations), maxAnnotationsPerRequest)
		}
		for name, v := range map[string]*string{"summary": o.Summary, "text": o.Text} {
			if v != nil && len(*v) > maxOutputText {
				return "output." + name, fmt.Sprintf("%d bytes; at most %d", len(*v), maxOutputText)
			}
		}
		for i, a := range o.Annotations {
			if f, m := annotationLimits(a); f != "" {
				return fmt.Sprintf("output.annotations[%d].%s", i, f), m
			}
		}
	}
	if req.Actions != nil {
		if len(*req.Actions) > maxActions {
			return "actions", fmt.Sprintf("%d actions; at most %d", len(*req.Actions), maxActions)
		}
		for i, a := range *req.Actions {
			for name, lim := range map[string][2]int{"label": {len([]rune(a.Label)), maxActionLabel},
				"description": {len([]rune(a.Description)), maxActionDescription}, "identifier": {len([]rune(a.Identifier)), maxActionIdentifier}} {
				if lim[0] > lim[1] {
					return fmt.Sprintf("actions[%d].%s", i, name), fmt.Sprintf("%d characters; at most %d", lim[0], lim[1])
				}
			}
		}
	}
	return "", ""
}

// annotationLimits checks one annotation.
func annotationLimits(a Annotation) (field, msg string) {
	switch {
	case len([]rune(a.Title)) > maxAnnotationTitle:
		return "title", fmt.Sprintf("%d characters; at most %d", len([]rune(a.Title)), maxAnnotationTitle)
	case len(a.Message) > maxAnnotationMessage:
		return "message", fmt.Sprintf("%d bytes; at most %d", len(a.Message), maxAnnotationMessage)
	case len(a.RawDetails) > maxAnnotationMessage:
		return "raw_details", fmt.Sprintf("%d bytes; at most %d", len(a.RawDetails), maxAnnotationMessage)
	case a.StartLine < 1 || a.EndLine < a.StartLine:
		return "end_line", fmt.Sprintf("lines %d-%d: start_line must be ≥ 1 and ≤ end_line", a.StartLine, a.EndLine)
	case (a.StartColumn != nil || a.EndColumn != nil) && a.StartLine != a.EndLine:
		return "start_column", "start_column and end_column are only allowed when start_line equals end_line"
	}
	return "", ""
}
