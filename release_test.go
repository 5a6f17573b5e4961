package main

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestReleaseScript runs scripts/release as CI does: --dry-run for every
// target (the six build commands and the checksums, nothing written), then
// for real for the host's target, and checks the binary (static, stamped
// with the version) and SHA256SUMS.
func TestReleaseScript(t *testing.T) {
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("sha256sum not installed")
	}
	const version = "v0.0.0-releasetest"
	out := t.TempDir()
	dry := runRelease(t, "--dry-run", "--version", version, "--out", out)
	for _, target := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64.exe", "windows_arm64.exe"} {
		goos, goarch, _ := strings.Cut(strings.TrimSuffix(target, ".exe"), "_")
		want := "CGO_ENABLED=0 GOOS=" + goos + " GOARCH=" + goarch + " go build -trimpath -ldflags '-s -w -X github.com/pushguard/pushguard/app.Version=" +
			version + "' -o " + out + "/pushguard_" + version + "_" + target + " ."
		if !strings.Contains(dry, want+"\n") {
			t.Errorf("--dry-run output lacks %q:\n%s", want, dry)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("--dry-run wrote %d files", len(entries))
	}
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		t.Skipf("the real build is checked on linux/amd64 and linux/arm64, not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	runRelease(t, "--version", version, "--out", out, "--targets", "linux/"+runtime.GOARCH)
	name := "pushguard_" + version + "_linux_" + runtime.GOARCH
	bin := filepath.Join(out, name)
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(sum[:]) + "  " + name + "\n"; string(sums) != want {
		t.Errorf("SHA256SUMS %q, want %q", sums, want)
	}
	checkStatic(t, bin)
	got, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(got), version) {
		t.Errorf("%s version: %q, %v; want %s", name, got, err, version)
	}
}

// TestGoreleaserMatchesScript checks that .goreleaser.yaml builds what
// scripts/release builds: the same six targets, static, -trimpath, the
// version in app.Version, the same names and checksum file.
func TestGoreleaserMatchesScript(t *testing.T) {
	b, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			Formats      []string `yaml:"formats"`
			NameTemplate string   `yaml:"name_template"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("%d builds and %d archives, want one of each", len(cfg.Builds), len(cfg.Archives))
	}
	bld := cfg.Builds[0]
	dry := runRelease(t, "--dry-run", "--version", "v9.9.9")
	var targets []string
	for _, goos := range bld.Goos {
		for _, goarch := range bld.Goarch {
			targets = append(targets, "CGO_ENABLED=0 GOOS="+goos+" GOARCH="+goarch+" go build -trimpath -ldflags '"+
				strings.ReplaceAll(strings.Join(bld.Ldflags, " "), "{{ .Tag }}", "v9.9.9")+"' -o dist/pushguard_v9.9.9_"+goos+"_"+goarch)
		}
	}
	for _, want := range targets {
		if !strings.Contains(dry, want) {
			t.Errorf("scripts/release --dry-run has no %q:\n%s", want, dry)
		}
	}
	if len(targets) != 6 || strings.Join(bld.Env, " ") != "CGO_ENABLED=0" || strings.Join(bld.Flags, " ") != "-trimpath" ||
		cfg.Archives[0].NameTemplate != "{{ .ProjectName }}_{{ .Tag }}_{{ .Os }}_{{ .Arch }}" ||
		cfg.Checksum.NameTemplate != "SHA256SUMS" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("goreleaser config %+v differs from scripts/release", cfg)
	}
}

// runRelease runs scripts/release with args and returns its output.
func runRelease(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(filepath.Join("scripts", "release"), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/release %q: %v\n%s", args, err, out)
	}
	return string(out)
}

// checkStatic fails unless the ELF binary is statically linked: no
// interpreter, no dynamic section.
func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s is dynamically linked (program header %v)", path, p.Type)
		}
	}
}
