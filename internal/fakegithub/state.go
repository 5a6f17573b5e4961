package fakegithub

import "time"

// state is everything the fake remembers. Server.mu guards it.
type state struct {
	lastID        int64
	commits       int
	installations map[int64]*installation
	tokens        map[string]*installationToken
	tokenIssues   int
	repos         map[string]*Repo
	pulls         map[string]*PullRequest // repoKey + "#" + number
	checkRuns     map[int64]*CheckRun
	checkRunOrder []int64
	comments      map[int64]*Comment
	commentOrder  []int64
	permissions   map[string]string // repoKey + "@" + lower(login) → permission
	deliveries    []Delivery
	redeliveries  []int64
	revoked       []string
	revokeCalls   int
	revokeRate    map[string]*rateWindow // per client IP
	violations    []string
	faults        []*faultState
	dropped       map[string]bool // file paths whose patch is omitted
	rate          map[string]*rateWindow
	manifestFlows []*ManifestFlow
	manifestCodes map[string]*ManifestFlow
	teamMembers   map[string]bool // "org/team@user", lower-cased
}

// installation is one installation of the App.
type installation struct {
	id      int64
	account string
	created time.Time
}

func newState() state {
	return state{
		installations: map[int64]*installation{},
		tokens:        map[string]*installationToken{},
		repos:         map[string]*Repo{},
		pulls:         map[string]*PullRequest{},
		checkRuns:     map[int64]*CheckRun{},
		comments:      map[int64]*Comment{},
		permissions:   map[string]string{},
		dropped:       map[string]bool{},
		rate:          map[string]*rateWindow{},
		revokeRate:    map[string]*rateWindow{},
		manifestCodes: map[string]*ManifestFlow{},
		teamMembers:   map[string]bool{},
	}
}

// newID hands out IDs for repositories, check runs, comments and reactions.
func (st *state) newID() int64 {
	st.lastID++
	return 1000 + st.lastID
}

// installation returns the installation id, creating it for account.
func (st *state) installation(id int64, account string) *installation {
	in, ok := st.installations[id]
	if !ok {
		in = &installation{id: id, account: account, created: time.Now().UTC()}
		st.installations[id] = in
	}
	return in
}

// repo finds a repository by owner and name, ignoring case.
func (st *state) repo(owner, name string) *Repo { return st.repos[repoKey(owner, name)] }
