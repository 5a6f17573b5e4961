package redistest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"
)

// MasterName is the name the sentinels of SentinelGroup know the master by.
const MasterName = "pushguard-test"

// SentinelGroup is a master, its replica and three sentinels watching the
// master with a quorum of two, ready to fail over one second after the
// master stops answering.
type SentinelGroup struct {
	Master    *Server
	Replica   *Server
	Sentinels []string // the sentinels' addresses
}

// Sentinel starts a SentinelGroup and waits until the replica is in sync and
// every sentinel knows the replica and the two other sentinels, so that a
// failover can be authorised as soon as the master dies.
func Sentinel(t testing.TB) *SentinelGroup {
	t.Helper()
	Require(t)
	g := &SentinelGroup{Master: Start(t)}
	host, port := hostPort(g.Master.Addr)
	g.Replica = Start(t, "--replicaof", host, port)
	replica := redis.NewClient(&redis.Options{Addr: g.Replica.Addr})
	defer replica.Close()
	waitFor(t, g.Replica, "sync with its master", func(ctx context.Context) bool {
		return infoField(ctx, replica, "replication", "master_link_status") == "up"
	})
	sentinels := make([]*Server, 3)
	for i := range sentinels {
		sentinels[i] = startSentinel(t, g.Master.Addr)
		g.Sentinels = append(g.Sentinels, sentinels[i].Addr)
	}
	for _, s := range sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: s.Addr})
		waitFor(t, s, "know the replica and the other sentinels", func(ctx context.Context) bool {
			peers, err1 := c.Sentinels(ctx, MasterName).Result()
			replicas, err2 := c.Replicas(ctx, MasterName).Result()
			return err1 == nil && err2 == nil && len(peers) == 2 && len(replicas) == 1
		})
		c.Close()
	}
	return g
}

// startSentinel starts one sentinel watching the master at masterAddr. A
// sentinel rewrites its configuration file, so each has its own.
func startSentinel(t testing.TB, masterAddr string) *Server {
	t.Helper()
	port := FreePort(t)
	dir := t.TempDir()
	host, mport := hostPort(masterAddr)
	conf := fmt.Sprintf(`port %d
bind 127.0.0.1
dir %s
sentinel monitor %s %s %s 2
sentinel down-after-milliseconds %[3]s 1000
sentinel failover-timeout %[3]s 10000
`, port, dir, MasterName, host, mport)
	path := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s := spawn(t, dir, "redis-server", path, "--sentinel")
	s.Addr = "127.0.0.1:" + strconv.Itoa(port)
	s.waitPing(t)
	return s
}

// CurrentMaster asks the first sentinel that answers where the master is
// now ("" when none answers).
func (g *SentinelGroup) CurrentMaster(ctx context.Context) string {
	for _, addr := range g.Sentinels {
		c := redis.NewSentinelClient(&redis.Options{Addr: addr})
		hp, err := c.GetMasterAddrByName(ctx, MasterName).Result()
		c.Close()
		if err == nil && len(hp) == 2 {
			return hp[0] + ":" + hp[1]
		}
	}
	return ""
}
