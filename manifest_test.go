package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"go.yaml.in/yaml/v3"

	"github.com/pushguard/pushguard/webhook"
)

// The tests in this file keep app.yml, the App's manifest, in agreement with
// the code: its events with the webhook's event table, its permissions with
// the GitHub API calls the code makes and the events it subscribes to.

// manifest is app.yml in Probot's format: GitHub's manifest parameters
// (https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest).
// Decoding with KnownFields refuses any other key, a misspelt one included.
type manifest struct {
	Name           string `yaml:"name"`
	URL            string `yaml:"url"`
	Description    string `yaml:"description"`
	Public         *bool  `yaml:"public"`
	HookAttributes struct {
		URL    string `yaml:"url"`
		Active *bool  `yaml:"active"`
	} `yaml:"hook_attributes"`
	RedirectURL           string            `yaml:"redirect_url"`
	CallbackURLs          []string          `yaml:"callback_urls"`
	SetupURL              string            `yaml:"setup_url"`
	SetupOnUpdate         bool              `yaml:"setup_on_update"`
	RequestOAuthOnInstall bool              `yaml:"request_oauth_on_install"`
	DefaultPermissions    map[string]string `yaml:"default_permissions"`
	DefaultEvents         []string          `yaml:"default_events"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	b, err := os.ReadFile("app.yml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var m manifest
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("app.yml: %v", err)
	}
	return m
}

// TestAppYMLShape checks the fields GitHub needs to register the App.
func TestAppYMLShape(t *testing.T) {
	t.Parallel()
	m := readManifest(t)
	if m.Name == "" || m.URL == "" || m.Description == "" {
		t.Errorf("app.yml: name, url and description are required, got %q, %q, %q", m.Name, m.URL, m.Description)
	}
	if m.Public == nil || *m.Public {
		t.Errorf("app.yml: public must be false: each organisation registers its own pushguard")
	}
	if !strings.HasPrefix(m.HookAttributes.URL, "https://") || !strings.HasSuffix(m.HookAttributes.URL, "/webhook") {
		t.Errorf("app.yml: hook_attributes.url = %q, want https://HOST/webhook (the webhook route)", m.HookAttributes.URL)
	}
	if m.RedirectURL == "" {
		t.Errorf("app.yml: redirect_url is required by the manifest flow")
	}
	for perm, level := range m.DefaultPermissions {
		if _, ok := accessLevels()[level]; !ok {
			t.Errorf("app.yml: permission %s: %q is not read, write or admin", perm, level)
		}
	}
}

// alwaysDelivered are events GitHub sends to every App without a
// subscription. GitHub's webhook reference says of each: "All GitHub Apps
// receive this event by default. You cannot manually subscribe to this
// event." They are not valid in a manifest's default_events, so app.yml
// leaves them out although the webhook handles them.
func alwaysDelivered() []string { return []string{"installation", "installation_repositories"} }

// TestAppYMLEvents checks that app.yml subscribes to exactly the events the
// webhook handles, those GitHub always delivers aside.
func TestAppYMLEvents(t *testing.T) {
	t.Parallel()
	handled := webhook.HandledEvents()
	var want []string
	for _, e := range handled {
		if !slices.Contains(alwaysDelivered(), e) {
			want = append(want, e)
		}
	}
	for _, e := range alwaysDelivered() {
		if !slices.Contains(handled, e) {
			t.Errorf("alwaysDelivered lists %q, which the webhook no longer handles: remove it", e)
		}
	}
	got := readManifest(t).DefaultEvents
	if dup := duplicates(got); len(dup) > 0 {
		t.Errorf("app.yml: default_events repeats %v", dup)
	}
	got, want = sorted(got), sorted(want)
	if !slices.Equal(got, want) {
		t.Errorf("app.yml default_events = %v, want webhook.HandledEvents() without %v: %v", got, alwaysDelivered(), want)
	}
}

// access is a permission level; a higher level includes the lower ones.
type access int

const (
	read access = iota + 1
	write
	admin
)

func accessLevels() map[string]access {
	return map[string]access{"read": read, "write": write, "admin": admin}
}

func (a access) String() string {
	for name, l := range accessLevels() {
		if l == a {
			return name
		}
	}
	return strconv.Itoa(int(a))
}

// grant is one installation permission at a level.
type grant struct {
	perm  string
	level access
}

func (g grant) String() string { return g.perm + ": " + g.level.String() }

// need is what a call or an event requires: nothing (App-level, signed with
// the App's JWT), one grant, or alternatives of which any one suffices.
type need []grant

// apiPermissions maps each go-github service method the code may call to
// the permission its endpoint needs (GitHub's "Permissions required for
// GitHub Apps"). A call missing here fails TestAppYMLPermissions: add it
// with the permission GitHub documents for the endpoint, so each new call is
// a decision about the App's privileges.
func apiPermissions() map[string]need {
	return map[string]need{
		// The check run.
		"Checks.CreateCheckRun":      {{"checks", write}},
		"Checks.UpdateCheckRun":      {{"checks", write}},
		"Checks.ReRequestCheckRun":   {{"checks", write}},
		"Checks.ListCheckRunsForRef": {{"checks", read}},
		"Checks.GetCheckRun":         {{"checks", read}},
		// Commits, diffs, files and blobs.
		"Repositories.GetCommit":        {{"contents", read}},
		"Repositories.CompareCommits":   {{"contents", read}},
		"Repositories.GetContents":      {{"contents", read}},
		"Repositories.DownloadContents": {{"contents", read}},
		"Git.GetBlob":                   {{"contents", read}},
		"Git.GetBlobRaw":                {{"contents", read}},
		"Git.GetCommit":                 {{"contents", read}},
		"Git.GetTree":                   {{"contents", read}},
		// A collaborator's permission, for maintainer commands.
		"Repositories.GetPermissionLevel": {{"metadata", read}},
		// Team membership, for bypass.allowed entries naming a team.
		"Teams.GetTeamMembershipBySlug": {{"members", read}},
		// Pull requests.
		"PullRequests.Get":         {{"pull_requests", read}},
		"PullRequests.ListCommits": {{"pull_requests", read}},
		"PullRequests.ListFiles":   {{"pull_requests", read}},
		// Comments on a pull request go through the Issues API, which takes
		// either permission for a pull request's conversation.
		"Issues.CreateComment": {{"issues", write}, {"pull_requests", write}},
		"Issues.EditComment":   {{"issues", write}, {"pull_requests", write}},
		"Issues.DeleteComment": {{"issues", write}, {"pull_requests", write}},
		"Issues.GetComment":    {{"issues", read}, {"pull_requests", read}},
		"Issues.ListComments":  {{"issues", read}, {"pull_requests", read}},
		// Reactions acknowledging a command.
		"Reactions.CreateIssueCommentReaction": {{"issues", write}, {"pull_requests", write}},
		"Reactions.DeleteIssueCommentReaction": {{"issues", write}, {"pull_requests", write}},
		// The App's own webhook deliveries (the redelivery sweeper): App-level.
		"Apps.ListHookDeliveries":    nil,
		"Apps.GetHookDelivery":       nil,
		"Apps.RedeliverHookDelivery": nil,
		// The App itself (GET /app), to check its credentials at start: App-level.
		"Apps.Get": nil,
		// The manifest flow's conversion (the setup page): unauthenticated, the
		// one-time code is the credential.
		"Apps.CompleteAppManifest": nil,
	}
}

// eventPermissions maps each handled event to the permission GitHub needs
// before it lets an App subscribe to it (GitHub's webhook reference).
func eventPermissions() map[string]need {
	return map[string]need{
		"push":                      {{"contents", read}},
		"pull_request":              {{"pull_requests", read}},
		"check_suite":               {{"checks", read}},
		"check_run":                 {{"checks", read}},
		"issue_comment":             {{"issues", read}},
		"installation":              nil, // always delivered
		"installation_repositories": nil, // always delivered
	}
}

// alwaysGranted is what GitHub gives every App whatever it asks for.
func alwaysGranted() []grant { return []grant{{"metadata", read}} }

// pendingPermissions are asked for ahead of the code that needs them, each
// with its reason: a permission added after release must be accepted again
// by every installation's owner, so a planned feature may ask up front. An
// entry the code already needs fails the test: delete it then. None now.
func pendingPermissions() map[string]pending {
	return map[string]pending{}
}

// pending is a permission asked for ahead of the code, and why.
type pending struct {
	level  access
	reason string
}

// TestAppYMLPermissions checks that app.yml asks for exactly the permissions
// the code's GitHub API calls (anywhere in the module) and the handled
// events need (plus the pending ones), and fails on a call apiPermissions
// does not know.
func TestAppYMLPermissions(t *testing.T) {
	t.Parallel()
	var needs []need
	for _, call := range githubCalls(t, ".") {
		n, ok := apiPermissions()[call.method]
		if !ok {
			t.Errorf("%s: %s is not in apiPermissions: add it with the permission its endpoint needs (and to app.yml)", call.pos, call.method)
			continue
		}
		needs = append(needs, n)
	}
	for _, e := range webhook.HandledEvents() {
		n, ok := eventPermissions()[e]
		if !ok {
			t.Errorf("event %q is not in eventPermissions: add the permission GitHub needs to subscribe to it", e)
			continue
		}
		needs = append(needs, n)
	}

	code := resolve(alwaysGranted(), needs)
	var ahead []grant
	for perm, p := range pendingPermissions() {
		if code[perm] >= p.level {
			t.Errorf("pendingPermissions[%q] (asked ahead for %s): the code now needs %s %s itself: remove the entry", perm, p.reason, perm, code[perm])
		}
		ahead = append(ahead, grant{perm, p.level})
	}
	want := resolve(append(alwaysGranted(), ahead...), needs)

	got := map[string]access{}
	for perm, level := range readManifest(t).DefaultPermissions {
		got[perm] = accessLevels()[level]
	}
	for _, perm := range sorted(keys(got, want)) {
		switch g, w := got[perm], want[perm]; {
		case g == w:
		case w == 0:
			t.Errorf("app.yml asks for %s: %s, which no API call or event needs: remove it", perm, g)
		case g == 0:
			t.Errorf("app.yml lacks %s: %s, which the code needs", perm, w)
		default:
			t.Errorf("app.yml asks for %s: %s, want %s", perm, g, w)
		}
	}
}

// resolve is the least set of permissions that grants base and meets every
// need: a need already met by a single requirement adds nothing, otherwise
// its first alternative is taken.
func resolve(base []grant, needs []need) map[string]access {
	out := map[string]access{}
	add := func(g grant) { out[g.perm] = max(out[g.perm], g.level) }
	for _, g := range base {
		add(g)
	}
	for _, n := range needs {
		if len(n) == 1 {
			add(n[0])
		}
	}
	for _, n := range needs {
		met := len(n) == 0
		for _, g := range n {
			met = met || out[g.perm] >= g.level
		}
		if !met {
			add(n[0])
		}
	}
	return out
}

// githubCall is one call of a go-github service method in our code.
type githubCall struct {
	method string // Service.Method, as in apiPermissions
	pos    token.Position
}

// githubCalls finds every call X.Service.Method(...) in the non-test Go
// files under dirs, where Service is one of go-github's Client services
// (Checks, Repositories, ...). A hand-built request (NewRequest) would hide
// its endpoint from the table, so it is reported as a call of its own.
// internal/ (the fake GitHub) and testdata directories are skipped.
func githubCalls(t *testing.T, dirs ...string) []githubCall {
	t.Helper()
	services := githubServices()
	var calls []githubCall
	fset := token.NewFileSet()
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != dir && (d.Name() == "internal" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			imports := importNames(f)
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pos := fset.Position(call.Pos())
				switch x := sel.X.(type) {
				case *ast.SelectorExpr:
					if services[x.Sel.Name] {
						calls = append(calls, githubCall{x.Sel.Name + "." + sel.Sel.Name, pos})
					}
				case *ast.Ident:
					if strings.HasPrefix(sel.Sel.Name, "New") && strings.HasSuffix(sel.Sel.Name, "Request") && !imports[x.Name] {
						calls = append(calls, githubCall{"Client." + sel.Sel.Name, pos})
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(calls) == 0 {
		t.Fatalf("no GitHub API calls found under %v: is the scan broken?", dirs)
	}
	return calls
}

// githubServices names go-github's API services: the Client fields holding
// a *...Service.
func githubServices() map[string]bool {
	out := map[string]bool{}
	ct := reflect.TypeFor[github.Client]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			out[f.Name] = true
		}
	}
	return out
}

// importNames are the names a file's imports are used under.
func importNames(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		out[name] = true
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func duplicates(s []string) []string {
	seen, dup := map[string]bool{}, []string{}
	for _, v := range s {
		if seen[v] {
			dup = append(dup, v)
		}
		seen[v] = true
	}
	return dup
}

func keys(maps ...map[string]access) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// TestManifestCallScan checks the call finder on a sample, so a broken scan
// cannot pass TestAppYMLPermissions vacuously.
func TestManifestCallScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `package x

import (
	"net/http"

	"github.com/google/go-github/v60/github"
)

func f(gh *github.Client, c struct{ gh *github.Client }) {
	gh.Checks.CreateCheckRun(nil, "", "", github.CreateCheckRunOptions{})
	c.gh.Issues.CreateComment(nil, "", "", 0, nil)
	gh.NewRequest("GET", "repos/o/r/hooks", nil)
	http.NewRequest("GET", "https://example.com", nil)
	gh.Checks.Foo.Bar()
}
`
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range githubCalls(t, dir) {
		got = append(got, c.method)
	}
	want := []string{"Checks.CreateCheckRun", "Issues.CreateComment", "Client.NewRequest"}
	if !slices.Equal(got, want) {
		t.Errorf("githubCalls = %v, want %v", got, want)
	}
	if m := fmt.Sprint(resolve(nil, []need{{{"issues", write}, {"pull_requests", write}}, {{"pull_requests", write}}})); m != "map[pull_requests:write]" {
		t.Errorf("resolve with an alternative already met = %s, want only pull_requests: write", m)
	}
}

// The tests below keep the Dockerfile correct without a Docker engine: they
// parse its stages, and run its build stage's go build command as written.

// dockerInstruction is one Dockerfile instruction, continuation lines joined.
type dockerInstruction struct {
	cmd   string   // upper case: FROM, RUN, ...
	flags []string // leading --name=value options
	args  string
	line  int
}

// dockerStage is a FROM and the instructions under it.
type dockerStage struct {
	image, name string
	line        int
	body        []dockerInstruction
}

func (s dockerStage) all(cmd string) []dockerInstruction {
	var out []dockerInstruction
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// parseDockerfile reads the Dockerfile's stages, skipping comments and
// joining lines continued with a backslash.
func parseDockerfile(t *testing.T) []dockerStage {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var (
		stages  []dockerStage
		pending strings.Builder
		start   int
	)
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if pending.Len() == 0 {
			start = i + 1
		}
		if body, cont := strings.CutSuffix(trimmed, `\`); cont {
			pending.WriteString(body + " ")
			continue
		}
		pending.WriteString(trimmed)
		in := splitInstruction(pending.String(), start)
		pending.Reset()
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			st := dockerStage{image: f[0], line: in.line}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.name = f[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("Dockerfile:%d: %s before the first FROM", in.line, in.cmd)
			}
			continue
		}
		stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
	}
	if len(stages) == 0 {
		t.Fatal("Dockerfile: no FROM")
	}
	return stages
}

func splitInstruction(s string, line int) dockerInstruction {
	cmd, rest, _ := strings.Cut(s, " ")
	in := dockerInstruction{cmd: strings.ToUpper(cmd), line: line}
	rest = strings.TrimSpace(rest)
	for strings.HasPrefix(rest, "--") {
		flag, after, _ := strings.Cut(rest, " ")
		in.flags = append(in.flags, flag)
		rest = strings.TrimSpace(after)
	}
	in.args = rest
	return in
}

// secretName matches variable names that suggest a credential (as Docker's
// own SecretsUsedInArgOrEnv build check does).
func secretName(name string) bool {
	n := strings.ToUpper(name)
	for _, w := range []string{"SECRET", "TOKEN", "KEY", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// TestDockerfileStages checks the image's shape: pinned base images, a
// non-root final stage holding only the binary, no credentials in ARG or
// ENV, and a static, reproducible, version-stamped build.
func TestDockerfileStages(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stage(s), want a build stage and a final stage", len(stages))
	}
	names := map[string]bool{}
	for _, st := range stages {
		if !names[st.image] && !pinned(st.image) {
			t.Errorf("Dockerfile:%d: FROM %s: pin the image to a tag other than latest, or a digest", st.line, st.image)
		}
		if st.name != "" {
			names[st.name] = true
		}
		for _, in := range append(st.all("ARG"), st.all("ENV")...) {
			for _, name := range declaredNames(in) {
				if secretName(name) {
					t.Errorf("Dockerfile:%d: %s %s: no credential in a build argument or the image's environment; it comes at run time", in.line, in.cmd, name)
				}
			}
		}
	}

	build := stages[0]
	var goBuild string
	for _, in := range build.all("RUN") {
		if strings.Contains(in.args, "go build") {
			goBuild = in.args
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X github.com/pushguard/pushguard/app.Version=${VERSION}"} {
		if !strings.Contains(goBuild, want) {
			t.Errorf("Dockerfile: the build stage's go build lacks %q: %q", want, goBuild)
		}
	}

	final := stages[len(stages)-1]
	user := ""
	if _, tag, _ := strings.Cut(final.image, ":"); strings.Contains(tag, "nonroot") {
		user = "nonroot"
	}
	for _, in := range final.all("USER") {
		user = in.args
	}
	if u, _, _ := strings.Cut(user, ":"); u == "" || u == "root" || u == "0" {
		t.Errorf("Dockerfile: the final stage runs as %q: use a non-root user (USER 65532, or a :nonroot base)", user)
	}
	for _, in := range final.body {
		switch {
		case in.cmd == "COPY" && !slices.ContainsFunc(in.flags, func(f string) bool { return strings.HasPrefix(f, "--from=") }):
			t.Errorf("Dockerfile:%d: the final stage copies from the build context; copy only the binary from the build stage", in.line)
		case in.cmd == "ADD" || in.cmd == "RUN":
			t.Errorf("Dockerfile:%d: %s in the final stage: it holds only the binary", in.line, in.cmd)
		case in.cmd == "HEALTHCHECK" && in.args != "NONE" && !strings.HasPrefix(strings.TrimPrefix(in.args, "CMD "), "["):
			t.Errorf("Dockerfile:%d: a shell-form HEALTHCHECK cannot run on distroless (no shell)", in.line)
		}
	}
	for cmd, want := range map[string]string{"ENTRYPOINT": `["/pushguard"]`, "CMD": `["serve"]`, "EXPOSE": "8080"} {
		if got := final.all(cmd); len(got) != 1 || got[0].args != want {
			t.Errorf("Dockerfile: the final stage's %s = %v, want one %s", cmd, got, want)
		}
	}
}

// pinned reports whether an image reference names a tag other than latest,
// or a digest.
func pinned(image string) bool {
	if strings.Contains(image, "@sha256:") {
		return true
	}
	tag := ""
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		tag = image[i+1:]
	}
	return tag != "" && tag != "latest"
}

// declaredNames are the variable names an ARG or ENV declares.
func declaredNames(in dockerInstruction) []string {
	f := strings.Fields(in.args)
	if len(f) == 0 {
		return nil
	}
	if in.cmd == "ENV" && !strings.Contains(f[0], "=") {
		return f[:1] // legacy ENV NAME value
	}
	var names []string
	for _, kv := range f {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	return names
}

// TestDockerIgnore checks that the build context leaves out the VCS data
// and local secrets.
func TestDockerIgnore(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(".dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for _, want := range []string{".git", "**/.env", "**/*.pem", "**/secrets"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore lacks %q", want)
		}
	}
}

// TestDockerBuildCommand runs the build stage's go build command as the
// Dockerfile writes it, with VERSION=test and the output in a temporary
// directory, then checks the binary prints the stamped version, is static
// (it must run on distroless/static) and holds no path of this machine.
func TestDockerBuildCommand(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	var run string
	for _, in := range parseDockerfile(t)[0].all("RUN") {
		if strings.Contains(in.args, "go build") {
			run = in.args
		}
	}
	vars := map[string]string{"VERSION": "test", "TARGETOS": runtime.GOOS, "TARGETARCH": runtime.GOARCH}
	words, err := shellWords(run, vars)
	if err != nil {
		t.Fatalf("Dockerfile: go build command %q: %v", run, err)
	}
	var env []string
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
		env, words = append(env, words[0]), words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("Dockerfile: want a RUN of [NAME=value...] go build ..., got %q", run)
	}
	bin := filepath.Join(t.TempDir(), "pushguard")
	i := slices.Index(words, "-o")
	if i < 0 || i+1 >= len(words) {
		t.Fatalf("Dockerfile: go build has no -o: %q", run)
	}
	words[i+1] = bin

	cmd := exec.Command("go", words[1:]...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v %s: %v\n%s", env, strings.Join(words, " "), err, out)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "pushguard test ") {
		t.Errorf("%s version = %q, %v; want it to start with \"pushguard test \"", bin, out, err)
	}
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("the binary is dynamically linked: it would not run on distroless/static")
			}
		}
	}
	wd, _ := os.Getwd()
	if data, _ := os.ReadFile(bin); bytes.Contains(data, []byte(wd)) {
		t.Errorf("the binary holds the build directory %s: is -trimpath in effect?", wd)
	}
}

// shellWords splits a shell command into words the way sh would for the
// simple commands a Dockerfile RUN holds: quotes, backslashes, and ${NAME}
// or $NAME expanded from vars (an unknown name is an error). Anything more
// (pipes, &&, subshells) is refused, to keep the command testable.
func shellWords(s string, vars map[string]string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
		quote rune
	)
	expand := func(i int) (int, error) {
		rest := s[i+1:]
		var name string
		if strings.HasPrefix(rest, "{") {
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return 0, fmt.Errorf("unclosed ${")
			}
			name, i = rest[1:end], i+end+1
		} else {
			n := 0
			for n < len(rest) && (rest[n] == '_' || 'A' <= rest[n] && rest[n] <= 'Z' || 'a' <= rest[n] && rest[n] <= 'z' || '0' <= rest[n] && rest[n] <= '9') {
				n++
			}
			name, i = rest[:n], i+n
		}
		v, ok := vars[name]
		if !ok {
			return 0, fmt.Errorf("unknown variable %q", name)
		}
		cur.WriteString(v)
		return i, nil
	}
	for i := 0; i < len(s); i++ {
		c := rune(s[i])
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		case c == '$':
			var err error
			if i, err = expand(i); err != nil {
				return nil, err
			}
			in = true
		case quote == '"':
			if c == '"' {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words, in = append(words, cur.String()), false
				cur.Reset()
			}
		case strings.ContainsRune("|&;<>()`", c):
			return nil, fmt.Errorf("%q: only a simple command is supported", c)
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c", quote)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// readmeLevels maps the README's words for an access level to app.yml's.
var readmeLevels = map[string]string{"read": "read", "read and write": "write"}

// readmePermissionsRe finds the README's sentence on the App's permissions
// and events: "(least privilege: **Checks: read and write**, ...; events
// `push`, ...)".
var readmePermissionsRe = regexp.MustCompile(`least privilege:\s*([^;]*);\s*events\s*([^)]*)\)`)

// TestReadmePermissions keeps the README's list of the App's permissions and
// events equal to app.yml's.
func TestReadmePermissions(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := readmePermissionsRe.FindSubmatch(b)
	if m == nil {
		t.Fatal(`README.md has no "least privilege: **...**; events ..." sentence`)
	}
	got := map[string]string{}
	for _, g := range regexp.MustCompile(`\*\*([^*:]+):\s*([^*]+)\*\*`).FindAllSubmatch(m[1], -1) {
		name := strings.ReplaceAll(strings.ToLower(string(g[1])), " ", "_")
		level, ok := readmeLevels[string(g[2])]
		if !ok {
			t.Errorf("README.md: %s: unknown access %q", g[1], g[2])
		}
		got[name] = level
	}
	if want := readManifest(t).DefaultPermissions; !reflect.DeepEqual(got, want) {
		t.Errorf("README.md lists the permissions\n%v\nbut app.yml grants\n%v", got, want)
	}
	var events []string
	for _, e := range regexp.MustCompile("`([a-z_]+)`").FindAllSubmatch(m[2], -1) {
		events = append(events, string(e[1]))
	}
	if want := append(readManifest(t).DefaultEvents, alwaysDelivered()...); !reflect.DeepEqual(sorted(events), sorted(want)) {
		t.Errorf("README.md lists the events %v, app.yml and GitHub give %v", sorted(events), sorted(want))
	}
}

// TestReadmeGoVersion keeps the README's Go version equal to go.mod's.
func TestReadmeGoVersion(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if want == nil {
		t.Fatal("go.mod has no go line")
	}
	got := regexp.MustCompile(`Go \(?(\d+\.\d+(?:\.\d+)?) or newer`).FindAllSubmatch(readme, -1)
	if len(got) == 0 {
		t.Fatal(`README.md does not say "Go X.Y.Z or newer"`)
	}
	for _, g := range got {
		if string(g[1]) != string(want[1]) {
			t.Errorf("README.md asks for Go %s or newer, go.mod for go %s", g[1], want[1])
		}
	}
}
