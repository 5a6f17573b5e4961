package store

import "testing"

// TestCheckURL: REDIS_URL is empty (the embedded Redis), redis:// or
// rediss://.
func TestCheckURL(t *testing.T) {
	t.Parallel()
	for url, ok := range map[string]bool{
		"": true, "redis://r": true, "rediss://:pw@redis:6380/1": true,
		"http://r": false, "r:6379": false, "://": false,
	} {
		if err := CheckURL(url); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v, want ok %v", url, err, ok)
		}
	}
}
