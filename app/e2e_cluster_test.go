package app

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/internal/redistest"
	"github.com/pushguard/pushguard/store"
)

// TestE2ECluster runs the whole flow on a real three-master Redis Cluster,
// connected to through REDIS_CLUSTER_ADDRS's client: a push with a secret
// and a clean one get their check runs, a maintainer's dismissal on a pull
// request turns its check green and is in the audit trail, nothing failed
// with CROSSSLOT, and no planted secret reached any node.
func TestE2ECluster(t *testing.T) {
	t.Parallel()
	addrs := redistest.Cluster(t, 3)
	e := startE2E(t, e2eConfig{redis: store.Redis{ClusterAddrs: addrs[:2]}, adminToken: "cluster-token-0123456789"})
	if _, ok := e.rdb.(*redis.ClusterClient); !ok {
		t.Fatalf("the e2e run uses a %T, want a cluster client", e.rdb)
	}
	s := plant(t, 70)
	before := e.repo.Head()
	leak := e.repo.Commit("leak", map[string]string{"deploy/prod.env": "GITHUB_TOKEN=" + s.github + "\n"})
	e.send("push", e.push("refs/heads/main", before, leak, false, false, leak))
	if run := e.waitRun(leak); run.Conclusion != "failure" || len(run.Annotations) != 1 {
		t.Errorf("push with a secret: conclusion %q, %d annotations; want failure and 1", run.Conclusion, len(run.Annotations))
	}
	clean := e.repo.Commit("docs", map[string]string{"docs/x.md": "nothing here\n"})
	e.send("push", e.push("refs/heads/main", leak, clean, false, false, clean))
	if run := e.waitRun(clean); run.Conclusion != "success" {
		t.Errorf("clean push: conclusion %q", run.Conclusion)
	}
	e.waitQuiet()

	pr, head := e.prWithSecret(s)
	fp := fingerprintPrefix(t, e.pushguardComments(pr)[0].Body)
	e.gh.SetPermission(e2eOwner, e2eRepo, "maintainer", "maintain")
	e.say(pr, "maintainer", "/pushguard dismiss "+fp+" test-data a fixture")
	if run := e.latestRun(head); run.Conclusion != "success" {
		t.Errorf("after the dismissal: conclusion %q, want success", run.Conclusion)
	}
	if page := clusterAudit(t, e); len(page.Entries) != 1 || page.Entries[0].By != "maintainer" {
		t.Errorf("audit on the cluster: %+v, want the maintainer's dismissal", page.Entries)
	}
	if logs := e.logs.String(); strings.Contains(logs, "CROSSSLOT") || strings.Contains(logs, "MOVED") {
		t.Errorf("a multi-key operation failed on the cluster:\n%s", logs)
	}
	if n := mastersHolding(t, e.rdb.(*redis.ClusterClient), e.prefix); n < 2 {
		t.Errorf("the run's keys are on %d master(s): the test does not exercise the cluster", n)
	}
	e.assertNoSecret(s.github)
}

// clusterAudit reads the installation's audit trail through the API.
func clusterAudit(t *testing.T, e *e2e) adminapi.AuditPage {
	t.Helper()
	req, _ := http.NewRequest("GET", e.url+"/api/v1/installations/4242/audit?limit=10", nil)
	req.Header.Set("Authorization", "Bearer cluster-token-0123456789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page adminapi.AuditPage
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != 200 {
		t.Fatalf("audit API: status %d, %v", resp.StatusCode, err)
	}
	return page
}

// mastersHolding counts the cluster's masters that hold keys under prefix.
func mastersHolding(t *testing.T, c *redis.ClusterClient, prefix string) int {
	t.Helper()
	holding := make(chan int, 16)
	err := c.ForEachMaster(context.Background(), func(ctx context.Context, node *redis.Client) error {
		keys, err := node.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			holding <- 1
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	close(holding)
	n := 0
	for range holding {
		n++
	}
	return n
}
