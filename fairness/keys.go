package fairness

import "strconv"

// keys names one installation's keys under a prefix; the hash tag keeps
// them in one Redis Cluster slot.
type keys struct {
	slots string // sorted set: running jobs' leases, scored by expiry (ms)
	// waiting is a sorted set of jobs handed back for the cap, scored by
	// when (ms).
	waiting string
	pause   string // Unix ms until which the installation's jobs wait
	write   string // content-creating requests in the current minute
}

func keysFor(prefix string, installation int64) keys {
	base := prefix + "fair:{inst:" + strconv.FormatInt(installation, 10) + "}:"
	return keys{slots: base + "slots", waiting: base + "waiting", pause: base + "pause", write: base + "writes:"}
}
