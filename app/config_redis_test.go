package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/store"
)

// TestLoadConfigRedisTopologies: each topology is named by its variables,
// with the data nodes' password, TLS and DB beside Sentinel and Cluster;
// mixing topologies or settings is listed as a problem.
func TestLoadConfigRedisTopologies(t *testing.T) {
	t.Parallel()
	base := map[string]string{"GITHUB_APP_ID": "12", "GITHUB_PRIVATE_KEY": "PEM", "GITHUB_WEBHOOK_SECRET": "s",
		"PUSHGUARD_FINGERPRINT_KEY": "0123456789abcdef0123"}
	tests := []struct {
		name    string
		env     map[string]string
		want    store.Redis
		wantErr string
	}{
		{"single", map[string]string{"REDIS_URL": "rediss://:pw@r:6380/1"}, store.Redis{URL: "rediss://:pw@r:6380/1"}, ""},
		{"sentinel", map[string]string{"REDIS_SENTINEL_ADDRS": "s1:26379, s2:26379,", "REDIS_MASTER_NAME": "main",
			"REDIS_SENTINEL_PASSWORD": "sp", "REDIS_PASSWORD": "dp", "REDIS_TLS": "true", "REDIS_DB": "3"},
			store.Redis{SentinelAddrs: []string{"s1:26379", "s2:26379"}, MasterName: "main", SentinelPassword: "sp", Password: "dp", TLS: true, DB: 3}, ""},
		{"cluster", map[string]string{"REDIS_CLUSTER_ADDRS": "n1:7000,n2:7001,n3:7002", "REDIS_PASSWORD": "dp"},
			store.Redis{ClusterAddrs: []string{"n1:7000", "n2:7001", "n3:7002"}, Password: "dp"}, ""},
		{"two topologies", map[string]string{"REDIS_URL": "redis://r", "REDIS_CLUSTER_ADDRS": "n1:7000"}, store.Redis{}, "not several"},
		{"sentinel without its master", map[string]string{"REDIS_SENTINEL_ADDRS": "s1:26379"}, store.Redis{}, "REDIS_MASTER_NAME is required"},
		{"bad TLS flag", map[string]string{"REDIS_CLUSTER_ADDRS": "n1:7000", "REDIS_TLS": "maybe"}, store.Redis{}, "REDIS_TLS must be true or false"},
		{"bad DB", map[string]string{"REDIS_SENTINEL_ADDRS": "s1:26379", "REDIS_MASTER_NAME": "m", "REDIS_DB": "x"}, store.Redis{}, "REDIS_DB must be"},
		{"cluster DB", map[string]string{"REDIS_CLUSTER_ADDRS": "n1:7000", "REDIS_DB": "2"}, store.Redis{}, "only DB 0"},
		{"password beside a URL", map[string]string{"REDIS_URL": "redis://r", "REDIS_PASSWORD": "dp"}, store.Redis{}, "REDIS_URL carries its own"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			c, err := loadConfig(envOf(env), true)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(c.Redis, tc.want) || c.Embedded() {
				t.Errorf("Redis %+v, err %v; want %+v", c.Redis, err, tc.want)
			}
		})
	}
}
