package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The tests in this file run the ready-made integrations at the root of the
// repository as their users do: the pre-commit framework's hook
// (.pre-commit-hooks.yaml) and the GitHub Action's script (action/scan.sh),
// with the pushguard binary built once by TestMain.

// pushguardBin is the pushguard command TestMain built, in a directory of
// its own (put on PATH by the tests that need it).
var pushguardBin string

func TestMain(m *testing.M) { os.Exit(buildThenRun(m)) }

func buildThenRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "pushguard-root-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	pushguardBin = filepath.Join(dir, "pushguard")
	if out, err := exec.Command("go", "build", "-o", pushguardBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// leakedKey is an AWS access key ID the built-in rules report (random, never
// issued), assembled so that no whole key sits in the repository.
const leakedKey = "AKIA" + "UJZDEGXDNCF32EPF"

// repo is a git repository in a temporary directory, with the user's git
// configuration kept out.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T, dir string) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &repo{t: t, dir: dir}
	r.git("init", "-q", "-b", "main")
	return r
}

// gitEnv keeps the user's and the system's git configuration out.
func gitEnv(t *testing.T) {
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "none"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=Test", "-c", "user.email=test@example.com"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes the files and commits them, returning the commit's SHA.
func (r *repo) commit(msg string, files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		path := filepath.Join(r.dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// TestPreCommitHooksYAML reads .pre-commit-hooks.yaml as the pre-commit
// framework does (a list of hooks, each with the keys it knows), then runs
// its entry the way the framework would, split on spaces with no file
// names, in a repository with a staged key (refused) and a clean one.
func TestPreCommitHooksYAML(t *testing.T) {
	gitEnv(t)
	b, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string   `yaml:"id"`
		Name          string   `yaml:"name"`
		Description   string   `yaml:"description"`
		Entry         string   `yaml:"entry"`
		Language      string   `yaml:"language"`
		PassFilenames *bool    `yaml:"pass_filenames"`
		AlwaysRun     bool     `yaml:"always_run"`
		RequireSerial bool     `yaml:"require_serial"`
		Stages        []string `yaml:"stages"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "pushguard" || h.Name == "" || h.Language != "golang" || h.Entry != "pushguard scan --staged" ||
		h.PassFilenames == nil || *h.PassFilenames || len(h.Stages) != 1 || h.Stages[0] != "pre-commit" {
		t.Fatalf("hook %+v: want id pushguard, language golang, entry 'pushguard scan --staged', pass_filenames false, stage pre-commit", h)
	}
	t.Setenv("PATH", filepath.Dir(pushguardBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	entry := strings.Fields(h.Entry)
	for _, tt := range []struct {
		name     string
		content  string
		wantCode int
		want     string
	}{
		{"staged key", "AWS_ACCESS_KEY_ID = \"" + leakedKey + "\"\n", 1, "settings.py:1:22  Amazon Web Services"},
		{"clean", "DEBUG = True\n", 0, "no secrets found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRepo(t, t.TempDir())
			r.commit("initial", map[string]string{"README.md": "# demo\n"})
			if err := os.WriteFile(filepath.Join(r.dir, "settings.py"), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			r.git("add", "settings.py")
			cmd := exec.Command(entry[0], entry[1:]...)
			cmd.Dir = r.dir
			out, _ := cmd.CombinedOutput()
			if strings.Contains(string(out), leakedKey) {
				t.Error("the hook's output holds the staged key")
			}
			if cmd.ProcessState.ExitCode() != tt.wantCode || !strings.Contains(string(out), tt.want) {
				t.Errorf("exit %d, output %q; want %d and %q", cmd.ProcessState.ExitCode(), out, tt.wantCode, tt.want)
			}
		})
	}
}

// codeScanningStub is a local stand-in for GitHub's code scanning upload
// (POST /repos/{owner}/{repo}/code-scanning/sarifs). It checks each request
// as GitHub documents it and keeps the decoded SARIF.
type codeScanningStub struct {
	mu      sync.Mutex
	uploads []sarifUpload
	status  int // answer with this status instead of 202 when set
	errs    []string
}

type sarifUpload struct {
	CommitSHA string `json:"commit_sha"`
	Ref       string `json:"ref"`
	ToolName  string `json:"tool_name"`
	SARIF     string `json:"sarif"`
	decoded   []byte
}

var sha40 = regexp.MustCompile(`^[0-9a-f]{40}$`)

func (s *codeScanningStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fail := func(format string, args ...any) {
		s.errs = append(s.errs, fmt.Sprintf(format, args...))
		http.Error(w, `{"message":"bad request"}`, http.StatusBadRequest)
	}
	if r.Method != http.MethodPost || r.URL.Path != "/repos/octo/demo/code-scanning/sarifs" {
		fail("request %s %s", r.Method, r.URL.Path)
		return
	}
	if r.Header.Get("Authorization") != "Bearer test-token" || r.Header.Get("Content-Type") != "application/json" {
		fail("headers %v", r.Header)
		return
	}
	var u sarifUpload
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		fail("body: %v", err)
		return
	}
	gz, err := base64.StdEncoding.DecodeString(u.SARIF)
	if err == nil {
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(bytes.NewReader(gz)); err == nil {
			u.decoded, err = io.ReadAll(zr)
		}
	}
	if err != nil || !sha40.MatchString(u.CommitSHA) || !strings.HasPrefix(u.Ref, "refs/") || u.ToolName != "pushguard" {
		fail("upload %+v: %v", u, err)
		return
	}
	s.uploads = append(s.uploads, u)
	if s.status != 0 {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, s.status)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprint(w, `{"id":"47177e22-5596-11eb-80a1-c1e54ef945c6","url":"https://api.github.com/repos/octo/demo/code-scanning/sarifs/47177e22"}`)
}

// sarifResults returns the paths of the results of a SARIF report, and
// checks it is SARIF 2.1.0 from pushguard.
func sarifResults(t *testing.T, report []byte) []string {
	t.Helper()
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name string `json:"name"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "pushguard" {
		t.Fatalf("SARIF version %q, %d runs; want 2.1.0 with one pushguard run", doc.Version, len(doc.Runs))
	}
	paths := []string{}
	for _, r := range doc.Runs[0].Results {
		paths = append(paths, r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	return paths
}

// actionRepo is a remote with main (a clean commit) and a clone of it, the
// Action's workspace, with a branch feature that adds a key in its first
// commit and removes it in its second, and a clean commit on main.
type actionRepo struct {
	dir             string
	base, leak, fix string // main at the clone, feature's commits
	clean           string // a clean commit on main after base
}

func newActionRepo(t *testing.T) actionRepo {
	t.Helper()
	up := newRepo(t, t.TempDir())
	base := up.commit("initial", map[string]string{"README.md": "# demo\n"})
	ws := filepath.Join(t.TempDir(), "workspace")
	up.git("clone", "-q", up.dir, ws)
	r := &repo{t: t, dir: ws}
	r.git("checkout", "-q", "-b", "feature")
	leak := r.commit("add settings", map[string]string{"config/settings.py": "AWS_ACCESS_KEY_ID = \"" + leakedKey + "\"\n"})
	fix := r.commit("remove the key", map[string]string{"config/settings.py": "AWS_ACCESS_KEY_ID = os.environ[\"AWS_ACCESS_KEY_ID\"]\n"})
	r.git("checkout", "-q", "main")
	clean := r.commit("docs", map[string]string{"docs/a.md": "hello\n"})
	return actionRepo{dir: ws, base: base, leak: leak, fix: fix, clean: clean}
}

// TestActionScript runs action/scan.sh as action.yml does, with the GITHUB_*
// variables of push and pull request events, against a local clone, the
// upload going to a local stub of the code scanning API.
func TestActionScript(t *testing.T) {
	gitEnv(t)
	script, err := filepath.Abs(filepath.Join("action", "scan.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"bash", "curl", "gzip", "base64"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	ar := newActionRepo(t)
	zero := strings.Repeat("0", 40)
	tests := []struct {
		name      string
		env       map[string]string
		status    int // the stub's answer, 0 for 202
		wantCode  int
		wantPaths []string // SARIF results; nil when no SARIF is expected
		wantRange string
		wantErr   string
	}{
		{"push adding then removing a key", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": ar.fix, "GITHUB_REF": "refs/heads/feature",
			"PUSHGUARD_BEFORE": ar.base}, 0, 1, []string{"config/settings.py"}, ar.base + ".." + ar.fix, ""},
		{"clean push", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": ar.clean, "GITHUB_REF": "refs/heads/main",
			"PUSHGUARD_BEFORE": ar.base}, 0, 0, []string{}, ar.base + ".." + ar.clean, ""},
		{"new branch: its commits not on the default branch", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": ar.fix,
			"GITHUB_REF": "refs/heads/feature", "PUSHGUARD_BEFORE": zero, "PUSHGUARD_DEFAULT_BRANCH": "main"},
			0, 1, []string{"config/settings.py"}, ar.fix + " --not refs/remotes/origin/main", ""},
		{"force push over commits that are gone", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": ar.fix,
			"GITHUB_REF": "refs/heads/feature", "PUSHGUARD_BEFORE": strings.Repeat("2", 40), "PUSHGUARD_DEFAULT_BRANCH": "main"},
			0, 1, []string{"config/settings.py"}, ar.fix + " --not refs/remotes/origin/main", "is not in the clone (a force push"},
		{"first push of the default branch: its history", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": ar.clean,
			"GITHUB_REF": "refs/heads/main", "PUSHGUARD_BEFORE": zero, "PUSHGUARD_DEFAULT_BRANCH": "main"}, 0, 0, []string{}, ar.clean, ""},
		{"pull request", map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_SHA": ar.fix, "GITHUB_REF": "refs/pull/7/merge",
			"PUSHGUARD_BASE": ar.base, "PUSHGUARD_HEAD": ar.fix}, 0, 1, []string{"config/settings.py"}, ar.base + ".." + ar.fix, ""},
		{"pull request, base missing", map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_SHA": ar.fix, "GITHUB_REF": "refs/pull/7/merge",
			"PUSHGUARD_BASE": strings.Repeat("1", 40), "PUSHGUARD_HEAD": ar.fix}, 0, 2, nil, "", "the pull request's base 1111"},
		{"upload refused", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": ar.clean, "GITHUB_REF": "refs/heads/main",
			"PUSHGUARD_BEFORE": ar.base}, http.StatusForbidden, 2, []string{}, ar.base + ".." + ar.clean, "uploading the SARIF report to code scanning failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &codeScanningStub{status: tt.status}
			srv := httptest.NewServer(stub)
			defer srv.Close()
			out := t.TempDir()
			env := map[string]string{
				"PUSHGUARD": pushguardBin, "GITHUB_WORKSPACE": ar.dir, "PUSHGUARD_UPLOAD": "api", "PUSHGUARD_SARIF": filepath.Join(out, "pg.sarif"),
				"GITHUB_API_URL": srv.URL, "GITHUB_REPOSITORY": "octo/demo", "GITHUB_TOKEN": "test-token", "GITHUB_OUTPUT": filepath.Join(out, "output"),
			}
			for k, v := range tt.env {
				env[k] = v
			}
			code, stdout, stderr := runScript(t, script, env)
			if strings.Contains(stdout+stderr, leakedKey) {
				t.Error("the script's output holds the key")
			}
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q (stdout %q)", code, stderr, tt.wantCode, tt.wantErr, stdout)
			}
			checkActionOutputs(t, env, tt.wantPaths, tt.wantRange)
			checkUploads(t, stub, env, tt.wantPaths)
		})
	}
	t.Run("shallow checkout", func(t *testing.T) {
		shallow := filepath.Join(t.TempDir(), "shallow")
		(&repo{t: t, dir: ar.dir}).git("clone", "-q", "--depth", "1", "file://"+ar.dir, shallow)
		head := (&repo{t: t, dir: shallow}).git("rev-parse", "HEAD")
		code, _, stderr := runScript(t, script, map[string]string{"PUSHGUARD": pushguardBin, "GITHUB_WORKSPACE": shallow,
			"GITHUB_EVENT_NAME": "push", "GITHUB_SHA": head, "PUSHGUARD_BEFORE": ar.base})
		if code != 2 || !strings.Contains(stderr, "the checkout is shallow") {
			t.Errorf("exit %d, stderr %q; want 2 and the checkout is shallow", code, stderr)
		}
	})
}

// runScript runs the script with only env and PATH set.
func runScript(t *testing.T, script string, env map[string]string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command("bash", script)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.Getenv("GIT_CONFIG_GLOBAL")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), o.String(), e.String()
}

// checkActionOutputs checks the SARIF file and the step outputs.
func checkActionOutputs(t *testing.T, env map[string]string, wantPaths []string, wantRange string) {
	t.Helper()
	if wantPaths == nil {
		return
	}
	report, err := os.ReadFile(env["PUSHGUARD_SARIF"])
	if err != nil {
		t.Fatalf("SARIF report: %v", err)
	}
	if bytes.Contains(report, []byte(leakedKey)) {
		t.Error("the SARIF report holds the key")
	}
	if got := sarifResults(t, report); strings.Join(got, ",") != strings.Join(wantPaths, ",") {
		t.Errorf("SARIF results at %q, want %q", got, wantPaths)
	}
	outputs, err := os.ReadFile(env["GITHUB_OUTPUT"])
	if err != nil {
		t.Fatal(err)
	}
	scanCode := 0
	if len(wantPaths) > 0 {
		scanCode = 1
	}
	want := fmt.Sprintf("sarif=%s\nexit-code=%d\nrange=%s\n", env["PUSHGUARD_SARIF"], scanCode, wantRange)
	if string(outputs) != want {
		t.Errorf("GITHUB_OUTPUT %q, want %q", outputs, want)
	}
}

// checkUploads checks that the stub received the SARIF report, unchanged,
// for GITHUB_SHA and GITHUB_REF.
func checkUploads(t *testing.T, stub *codeScanningStub, env map[string]string, wantPaths []string) {
	t.Helper()
	stub.mu.Lock()
	defer stub.mu.Unlock()
	if len(stub.errs) > 0 {
		t.Errorf("bad upload requests: %q", stub.errs)
	}
	if wantPaths == nil {
		if len(stub.uploads) != 0 {
			t.Errorf("%d uploads, want none", len(stub.uploads))
		}
		return
	}
	report, _ := os.ReadFile(env["PUSHGUARD_SARIF"])
	if len(stub.uploads) != 1 {
		t.Fatalf("%d uploads, want 1", len(stub.uploads))
	}
	u := stub.uploads[0]
	if u.CommitSHA != env["GITHUB_SHA"] || u.Ref != env["GITHUB_REF"] || !bytes.Equal(u.decoded, report) {
		t.Errorf("upload for %s %s (%d bytes of SARIF), want %s %s and the report (%d bytes)",
			u.CommitSHA, u.Ref, len(u.decoded), env["GITHUB_SHA"], env["GITHUB_REF"], len(report))
	}
}

// TestActionYML reads action.yml and checks it against action/scan.sh: a
// composite action whose scan step runs the script with every PUSHGUARD_*
// variable the script reads, whose inputs are the ones its expressions
// use, and whose upload step is github/codeql-action/upload-sarif on the
// script's SARIF output, run even when the scan step failed on findings.
func TestActionYML(t *testing.T) {
	b, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Name    string                    `yaml:"name"`
		Inputs  map[string]map[string]any `yaml:"inputs"`
		Outputs map[string]map[string]any `yaml:"outputs"`
		Runs    struct {
			Using string `yaml:"using"`
			Steps []struct {
				ID   string            `yaml:"id"`
				If   string            `yaml:"if"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				Env  map[string]string `yaml:"env"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if action.Name == "" || action.Runs.Using != "composite" {
		t.Fatalf("action.yml: name %q, runs.using %q; want a named composite action", action.Name, action.Runs.Using)
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(b), -1) {
		if _, ok := action.Inputs[m[1]]; !ok {
			t.Errorf("action.yml uses inputs.%s, which it does not declare", m[1])
		}
	}
	script, err := os.ReadFile(filepath.Join("action", "scan.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var scan, upload bool
	for _, s := range action.Runs.Steps {
		switch {
		case s.ID == "scan":
			scan = strings.Contains(s.Run, `"$GITHUB_ACTION_PATH/action/scan.sh"`)
			for _, v := range regexp.MustCompile(`\bPUSHGUARD(_[A-Z_]+)?\b`).FindAllString(string(script), -1) {
				if _, ok := s.Env[v]; !ok {
					t.Errorf("the scan step does not set %s, which action/scan.sh reads", v)
				}
			}
		case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
			upload = s.With["sarif_file"] == "${{ steps.scan.outputs.sarif }}" && strings.Contains(s.If, "always()")
		}
	}
	if !scan || !upload {
		t.Errorf("scan step runs the script: %v; upload-sarif step on its SARIF, always: %v", scan, upload)
	}
}
