package repoconfig

import (
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The raw types mirror the file. The strict decoder fills them; Parse then
// validates them into a Config. Field tags are the file's keys.

type rawConfig struct {
	Paths    *rawPaths       `yaml:"paths"`
	Rules    *rawRules       `yaml:"rules"`
	Comments located[bool]   `yaml:"comments"`
	FailOn   located[string] `yaml:"fail_on"`
	Bypass   *rawBypass      `yaml:"bypass"`
	Validity located[bool]   `yaml:"validity"`
	Allow    *rawAllowlist   `yaml:"allowlist"`
}

type rawAllowlist struct {
	Regexes   []located[string] `yaml:"regexes"`
	Target    located[string]   `yaml:"target"`
	Stopwords []located[string] `yaml:"stopwords"`
	Commits   []located[string] `yaml:"commits"`
}

type rawPaths struct {
	Ignore []located[string] `yaml:"ignore"`
}

type rawRules struct {
	Disable []located[string] `yaml:"disable"`
	Custom  []rawCustomRule   `yaml:"custom"`
}

type rawCustomRule struct {
	ID          located[string]   `yaml:"id"`
	Description located[string]   `yaml:"description"`
	Pattern     located[string]   `yaml:"pattern"`
	Keywords    []located[string] `yaml:"keywords"`
	SecretGroup located[int]      `yaml:"secret_group"`
	MinEntropy  located[float64]  `yaml:"min_entropy"`
	Confidence  located[string]   `yaml:"confidence"`
}

type rawBypass struct {
	Allowed []located[string] `yaml:"allowed"`
}

// located is a scalar with the position it was read from. Line is zero when
// the key was absent, null, or of the wrong type (the decoder reports that).
type located[T any] struct {
	Value        T
	Line, Column int
}

// UnmarshalYAML decodes the scalar and records its position.
func (l *located[T]) UnmarshalYAML(n *yaml.Node) error {
	var v T
	if err := n.Decode(&v); err != nil {
		return err
	}
	l.Value, l.Line, l.Column = v, n.Line, n.Column
	return nil
}

// set reports whether the key was present with a value of the right type.
func (l located[T]) set() bool { return l.Line > 0 }

// knownKeys returns the keys of the raw type the decoder names ("repoconfig.rawRules").
func knownKeys(typeName string) []string {
	for _, v := range []any{rawConfig{}, rawPaths{}, rawRules{}, rawCustomRule{}, rawBypass{}, rawAllowlist{}} {
		t := reflect.TypeOf(v)
		if t.String() != typeName {
			continue
		}
		keys := make([]string, t.NumField())
		for i := range keys {
			keys[i], _, _ = strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		}
		return keys
	}
	return nil
}
