package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/pushguard/pushguard"

// logLeaf declares the log keys: the one leaf every package may import.
const logLeaf = "internal/logkey"

// allowedImports is the one-way flow of the layout: each package may import
// only these of ours (and logLeaf). app wires everything; main only calls
// app.
func allowedImports() map[string][]string {
	return map[string][]string{
		"":                    {"app"},
		"app":                 {"scanner", "scanner/report", "queue", "webhook", "checks", "repoconfig", "decisions", "cli", "setup", "adminapi", "store", "metrics", "ghapp", "worker", "sweeper", "validity", "alert", "incident", "fairness", "revoke"},
		"cli":                 {"scanner", "scanner/report", "repoconfig"},
		"setup":               {},
		"adminapi":            {"decisions", "incident"},
		"sweeper":             {"store", "ghapp", "internal/wait"},
		"worker":              {"scanner", "checks", "queue", "decisions", "repoconfig", "store", "metrics", "ghapp", "validity", "incident", "alert", "revoke"},
		"metrics":             {"queue", "webhook"},
		"ghapp":               {},
		"fairness":            {"queue", "ghapp", "internal/wait"},
		"alert":               {"internal/wait"},
		"internal/wait":       {},
		"incident":            {},
		"store":               {"queue"},
		"internal/logkey":     {},
		"repoconfig":          {"scanner"},
		"decisions":           {},
		"deploy":              {},
		"checks":              {"scanner"},
		"queue":               {"internal/wait"},
		"scanner":             {},
		"scanner/report":      {"scanner"},
		"webhook":             {"queue"},
		"internal/fakegithub": {"internal/wait"},
		"queue/queuetest":     {},
		"internal/golden":     {},
		"internal/poll":       {},
		"internal/redistest":  {"internal/poll"},
		"validity":            {"internal/logkey"},
		"revoke":              {},
	}
}

// TestImportDirection reads `go list` and fails when a package imports one
// of ours that the layout does not allow (tests may use the fakes).
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := allowedImports()
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		ok, known := allowed[name]
		if !known {
			t.Errorf("package %q is not in the layout's import table", name)
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			if dep != logLeaf && !contains(ok, dep) {
				t.Errorf("%s imports %s, which the layout forbids", p.ImportPath, dep)
			}
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
