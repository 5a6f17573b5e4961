package queuetest_test

import (
	"context"
	"testing"

	"github.com/pushguard/pushguard/queue/queuetest"
)

func TestNameCleansUpOnlyItsKeys(t *testing.T) {
	t.Parallel()
	rdb := queuetest.Redis(t)
	ctx := context.Background()
	other := queuetest.Name(t, rdb) // another test's keys, which must survive
	if err := rdb.Set(ctx, other+":keep", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	var name string
	t.Run("user", func(t *testing.T) {
		name = queuetest.Name(t, rdb)
		for _, k := range []string{name + ":delivery:1", "asynq:{" + name + "}:pending"} {
			if err := rdb.Set(ctx, k, "1", 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		if err := rdb.SAdd(ctx, "asynq:queues", name).Err(); err != nil {
			t.Fatal(err)
		}
	})
	if n, err := rdb.Exists(ctx, name+":delivery:1", "asynq:{"+name+"}:pending").Result(); err != nil || n != 0 {
		t.Errorf("%d of the test's keys left, err %v; want 0", n, err)
	}
	if ok, err := rdb.SIsMember(ctx, "asynq:queues", name).Result(); err != nil || ok {
		t.Errorf("queue still listed in asynq:queues (err %v)", err)
	}
	if n, err := rdb.Exists(ctx, other+":keep").Result(); err != nil || n != 1 {
		t.Errorf("another name's key was deleted (err %v)", err)
	}
}
