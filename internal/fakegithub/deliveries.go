package fakegithub

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Delivery is a webhook delivery in the App's delivery log.
type Delivery struct {
	ID             int64     // 0: assigned
	GUID           string    // "": random; the X-GitHub-Delivery header
	DeliveredAt    time.Time // zero: now
	Redelivery     bool
	Duration       float64 // seconds
	Status         string  // "": "OK" for 2xx/3xx, else "Invalid HTTP Response: <code>"
	StatusCode     int     // the App's answer; 0 means 200
	Event          string
	Action         string // "" is sent as null
	InstallationID int64
	RepositoryID   int64
}

// AddDelivery adds d to the delivery log and returns it as stored.
func (s *Server) AddDelivery(d Delivery) Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.ID == 0 {
		d.ID = s.state.newID()
	}
	if d.GUID == "" {
		d.GUID = newGUID()
	}
	if d.DeliveredAt.IsZero() {
		d.DeliveredAt = time.Now()
	}
	if d.StatusCode == 0 {
		d.StatusCode = http.StatusOK
	}
	if d.Status == "" {
		d.Status = "OK"
		if d.StatusCode >= 400 {
			d.Status = "Invalid HTTP Response: " + strconv.Itoa(d.StatusCode)
		}
	}
	s.state.deliveries = append(s.state.deliveries, d)
	return d
}

// newGUID is a random UUID-shaped delivery GUID.
func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Redeliveries returns the delivery IDs the App asked GitHub to redeliver,
// in order. The fake sends no webhooks: add the outcome with AddDelivery.
func (s *Server) Redeliveries() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.state.redeliveries...)
}

// listDeliveries serves apps/list-webhook-deliveries: newest first, with
// cursor pagination through the Link header as on GitHub.
func (s *Server) listDeliveries(c *call) {
	q := c.r.URL.Query()
	_, per := pageOf(q, defaultPerPage, maxPerPage)
	s.mu.Lock()
	all := append([]Delivery(nil), s.state.deliveries...)
	s.mu.Unlock()
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	var list []Delivery
	for _, d := range all {
		ok := d.StatusCode < 400
		if (q.Get("status") == "success" && !ok) || (q.Get("status") == "failure" && ok) {
			continue
		}
		list = append(list, d)
	}
	start := 0
	if cur := q.Get("cursor"); cur != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(cur, "v1_"), 10, 64)
		if err != nil {
			writeError(c.w, http.StatusBadRequest, "Invalid cursor")
			return
		}
		for start < len(list) && list[start].ID > id {
			start++
		}
	}
	end := min(start+per, len(list))
	if end < len(list) {
		next := url.Values{"per_page": {strconv.Itoa(per)}, "cursor": {"v1_" + strconv.FormatInt(list[end].ID, 10)}}
		if st := q.Get("status"); st != "" {
			next.Set("status", st)
		}
		c.w.Header().Set("Link", fmt.Sprintf("<%s?%s>; rel=\"next\"", strings.TrimSuffix(s.URL(), "/")+c.path, next.Encode()))
	}
	out := []obj{}
	for _, d := range list[start:end] {
		out = append(out, deliveryJSON(d))
	}
	writeJSON(c.w, http.StatusOK, out)
}

// deliveryJSON is GitHub's hook-delivery-item.
func deliveryJSON(d Delivery) obj {
	nullable := func(v int64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	var action any
	if d.Action != "" {
		action = d.Action
	}
	return obj{"id": d.ID, "guid": d.GUID, "delivered_at": timestamp(d.DeliveredAt), "redelivery": d.Redelivery,
		"duration": d.Duration, "status": d.Status, "status_code": d.StatusCode, "event": d.Event, "action": action,
		"installation_id": nullable(d.InstallationID), "repository_id": nullable(d.RepositoryID),
		"throttled_at": nil}
}

// redeliver serves apps/redeliver-webhook-delivery.
func (s *Server) redeliver(c *call) {
	id, _ := strconv.ParseInt(c.params["delivery_id"], 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.state.deliveries {
		if d.ID == id {
			s.state.redeliveries = append(s.state.redeliveries, id)
			writeJSON(c.w, http.StatusAccepted, obj{})
			return
		}
	}
	notFound(c.w)
}
