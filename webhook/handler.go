package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/queue"
)

// MaxBodyBytes is GitHub's limit on a webhook payload (25 MB); a larger body
// is refused with 413 before its signature is checked.
const MaxBodyBytes = 25 << 20

// EnqueueTimeout bounds the queue's part of a delivery: past it the
// delivery is answered 503, well within the 10 s GitHub waits, so that
// GitHub records a failure the sweeper can have redelivered rather than a
// timeout of unknown outcome.
const EnqueueTimeout = 2 * time.Second

// retryAfterSeconds is the Retry-After of a delivery refused for load.
const retryAfterSeconds = "5"

// Outcomes of a delivery, as logged and counted.
const (
	OutcomeAccepted     = "accepted"
	OutcomeIgnored      = "ignored"
	OutcomeDuplicate    = "duplicate"
	OutcomePing         = "ping"
	OutcomeBadSignature = "bad_signature"
	OutcomeMalformed    = "malformed"
	OutcomeTooLarge     = "too_large"
	OutcomeUnavailable  = "unavailable"
	OutcomeBodyError    = "body_error"
	OutcomeBodyTimeout  = "body_timeout"
	OutcomeOverloaded   = "overloaded"
)

// Enqueuer is what the handler needs of the queue.
type Enqueuer interface {
	Enqueue(ctx context.Context, job queue.Job) error
}

// Observer is told the outcome of every delivery (for metrics). It may be nil.
type Observer func(event, outcome string, elapsed time.Duration)

// Handler is the webhook endpoint.
type Handler struct {
	secret  []byte
	queue   Enqueuer
	log     *slog.Logger
	observe Observer
	events  map[string]eventFunc
	budget  *bodyBudget
}

// New returns a Handler. It refuses an empty secret: an unsigned webhook
// endpoint would let anyone enqueue work.
func New(secret []byte, q Enqueuer, log *slog.Logger, observe Observer) (*Handler, error) {
	if len(secret) == 0 {
		return nil, errors.New("webhook: empty webhook secret")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if observe == nil {
		observe = func(string, string, time.Duration) {}
	}
	return &Handler{secret: secret, queue: q, log: log, observe: observe, events: events(),
		budget: newBodyBudget(DefaultBodyBudget)}, nil
}

var (
	errMalformed    = errors.New("malformed delivery")
	errBadSignature = errors.New("bad signature")
)

// ServeHTTP handles one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	event, delivery := github.WebHookType(r), github.DeliveryID(r)
	outcome, jobs, err := h.handle(r, event, delivery)
	status := statusOf(outcome)
	h.observe(event, outcome, time.Since(start))
	h.logDelivery(r.Context(), event, delivery, outcome, status, jobs, err)
	if outcome == OutcomeOverloaded {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	http.Error(w, outcome, status)
}

// logDelivery logs one line per delivery, building its attributes only
// when the level is enabled: at LOG_LEVEL=warn an accepted delivery costs
// no allocation here.
func (h *Handler) logDelivery(ctx context.Context, event, delivery, outcome string, status int, jobs []queue.Job, err error) {
	level := slog.LevelInfo
	if status >= 400 {
		level = slog.LevelWarn
	}
	if !h.log.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String(logkey.Delivery, delivery), slog.String(logkey.Event, event))
	if len(jobs) > 0 {
		attrs = append(attrs, slog.Int64(logkey.Installation, jobs[0].InstallationID), slog.String(logkey.Repo, jobs[0].Repository()))
	}
	if err != nil {
		attrs = append(attrs, slog.String(logkey.Error, err.Error()))
	}
	attrs = append(attrs, slog.String(logkey.Outcome, outcome), slog.Int(logkey.Status, status))
	h.log.LogAttrs(ctx, level, "webhook", attrs...)
}

// handle runs a delivery through validation, decoding and enqueueing, and
// says how it ended.
func (h *Handler) handle(r *http.Request, event, delivery string) (string, []queue.Job, error) {
	payload, release, err := h.validate(r)
	if err != nil {
		return outcomeOf(err), nil, err
	}
	defer release()
	if event == "" || delivery == "" {
		return OutcomeMalformed, nil, fmt.Errorf("%w: missing X-GitHub-Event or X-GitHub-Delivery", errMalformed)
	}
	if event == "ping" {
		return OutcomePing, nil, nil
	}
	toJobs, ok := h.events[event]
	if !ok {
		return OutcomeIgnored, nil, nil
	}
	jobs, err := toJobs(delivery, payload)
	switch {
	case errors.Is(err, errIgnored):
		return OutcomeIgnored, nil, nil
	case err != nil:
		return OutcomeMalformed, nil, err
	}
	return h.enqueue(r.Context(), jobs)
}

// validate reads the capped body once and checks its signature. Only
// X-Hub-Signature-256 is accepted: the SHA-1 header is not enough. A
// missing signature is refused before the body is read. The body's bytes
// are held in the budget until release is called.
func (h *Handler) validate(r *http.Request) (payload []byte, release func(), err error) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (ct != "application/json" && ct != "application/x-www-form-urlencoded") {
		return nil, nil, fmt.Errorf("%w: content type %q", errMalformed, r.Header.Get("Content-Type"))
	}
	sig := r.Header.Get(github.SHA256SignatureHeader)
	if !strings.HasPrefix(sig, "sha256=") {
		return nil, nil, fmt.Errorf("%w: no sha256= %s header", errBadSignature, github.SHA256SignatureHeader)
	}
	body, held, err := readBody(r, h.budget)
	if err != nil {
		return nil, nil, err
	}
	release = func() { h.budget.release(held) }
	if err := github.ValidateSignature(sig, body, h.secret); err != nil {
		release()
		return nil, nil, fmt.Errorf("%w: %v", errBadSignature, err)
	}
	if ct == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("%w: form body: %v", errMalformed, err)
		}
		body = []byte(form.Get("payload"))
	}
	return body, release, nil
}

// enqueue hands the jobs to the queue; the delivery is a duplicate when the
// queue has seen its ID.
func (h *Handler) enqueue(ctx context.Context, jobs []queue.Job) (string, []queue.Job, error) {
	// Every job is checked before any is enqueued (Enqueue checks again), so
	// a delivery with one bad job is refused whole, not half enqueued.
	for _, j := range jobs {
		if err := j.Validate(); err != nil {
			return OutcomeMalformed, jobs, fmt.Errorf("%w: %v", errMalformed, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, EnqueueTimeout)
	defer cancel()
	for _, j := range jobs {
		err := h.queue.Enqueue(ctx, j)
		switch {
		case errors.Is(err, queue.ErrDuplicate):
			return OutcomeDuplicate, jobs, nil
		case err != nil:
			return OutcomeUnavailable, jobs, fmt.Errorf("enqueue %s: %w", j.Kind, err)
		}
	}
	return OutcomeAccepted, jobs, nil
}

// outcomeOf classifies a validation error.
func outcomeOf(err error) string {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return OutcomeTooLarge
	case errors.Is(err, errBadSignature):
		return OutcomeBadSignature
	case errors.Is(err, errOverloaded):
		return OutcomeOverloaded
	case errors.Is(err, errBodyTimeout):
		return OutcomeBodyTimeout
	case errors.Is(err, errBodyRead):
		return OutcomeBodyError
	}
	return OutcomeMalformed
}

// statusOf is the one table from outcome to HTTP status.
func statusOf(outcome string) int {
	switch outcome {
	case OutcomePing:
		return http.StatusOK
	case OutcomeAccepted, OutcomeIgnored, OutcomeDuplicate:
		return http.StatusAccepted
	case OutcomeBadSignature:
		return http.StatusUnauthorized
	case OutcomeTooLarge:
		return http.StatusRequestEntityTooLarge
	case OutcomeUnavailable, OutcomeOverloaded:
		return http.StatusServiceUnavailable
	case OutcomeBodyTimeout:
		return http.StatusRequestTimeout
	}
	return http.StatusBadRequest
}
