package redistest

import (
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Cluster starts a Redis Cluster of n masters (at least 3, no replicas),
// creates it with redis-cli --cluster create, waits until every node says
// cluster_state:ok, and returns the nodes' addresses.
func Cluster(t testing.TB, n int) []string {
	t.Helper()
	Require(t)
	if _, err := exec.LookPath("redis-cli"); err != nil {
		t.Skip("redis-cli is not installed (Debian: apt-get install redis-tools); it creates the test cluster")
	}
	if n < 3 {
		t.Fatalf("redistest: a Redis Cluster needs at least 3 masters, not %d", n)
	}
	nodes := make([]*Server, n)
	addrs := make([]string, n)
	for i := range nodes {
		bus := strconv.Itoa(FreePort(t))
		nodes[i] = Start(t, "--cluster-enabled", "yes", "--cluster-port", bus,
			"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000")
		addrs[i] = nodes[i].Addr
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	out, err := exec.Command("redis-cli", append(args, "--cluster-yes")...).CombinedOutput()
	if err != nil {
		t.Fatalf("redistest: redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, s := range nodes {
		c := redis.NewClient(&redis.Options{Addr: s.Addr})
		waitFor(t, s, "reach cluster_state:ok", func(ctx context.Context) bool {
			info, err := c.ClusterInfo(ctx).Result()
			return err == nil && strings.Contains(info, "cluster_state:ok")
		})
		c.Close()
	}
	return addrs
}

// hostPort splits an address known to be host:port.
func hostPort(addr string) (string, string) {
	h, p, _ := net.SplitHostPort(addr)
	return h, p
}
