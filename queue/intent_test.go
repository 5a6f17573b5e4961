package queue

import "testing"

// TestIntentionOfStoredJobs: a job stored by the previous version (no
// intent) still gets the intent its kind and action meant; a new job's own
// intent wins.
func TestIntentionOfStoredJobs(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name   string
		stored string
		want   Intent
	}{
		{"push", `{"kind":"push","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","head_sha":"` + sha + `"}`, IntentScanPush},
		{"pull request", `{"kind":"pull_request","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","head_sha":"` + sha + `","pr":3}`, IntentScanPullRequest},
		{"suite requested", `{"kind":"rescan","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","head_sha":"` + sha + `","action":"requested"}`, IntentScanSuite},
		{"rerequested", `{"kind":"rescan","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","head_sha":"` + sha + `","action":"rerequested"}`, IntentRerun},
		{"button", `{"kind":"check_run_action","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","head_sha":"` + sha + `","action":"rescan"}`, IntentButton},
		{"comment", `{"kind":"issue_comment","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","pr":3,"comment_id":9}`, IntentCommand},
		{"installation", `{"kind":"installation","delivery_id":"d1","installation_id":1,"action":"created"}`, IntentInstallation},
		{"intent wins", `{"kind":"rescan","intent":"rerun","delivery_id":"d1","installation_id":1,"owner":"o","repo":"r","head_sha":"` + sha + `","action":"requested"}`, IntentRerun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := unmarshalJob([]byte(tt.stored))
			if err != nil {
				t.Fatal(err)
			}
			if got := j.Intention(); got != tt.want {
				t.Errorf("Intention() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateIntent(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	base := Job{Kind: KindAction, DeliveryID: "d1", InstallationID: 1, Owner: "o", Repo: "r", Action: "rescan"}
	tests := []struct {
		name    string
		edit    func(*Job)
		wantErr bool
	}{
		{"button with head", func(j *Job) { j.Intent, j.HeadSHA = IntentButton, sha }, false},
		{"unknown intent", func(j *Job) { j.Intent = "scan_everything" }, true},
		{"rerun without head", func(j *Job) { j.Intent = IntentRerun }, true},
		{"rerun with head", func(j *Job) { j.Intent, j.HeadSHA = IntentRerun, sha }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := base
			tt.edit(&j)
			if err := j.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
