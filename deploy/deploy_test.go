// Package deploy holds pushguard's deployment files: Kubernetes manifests
// (kustomize), a docker-compose set-up for a laptop and a Grafana
// dashboard. Its tests check them offline, since schema checkers need to
// download their schemas: every Kubernetes document is decoded strictly into
// the fields it may use, and checked for probes, resources, security
// contexts and secret handling; environment variables against the code and
// the README; the dashboard's metrics against metrics/metrics.go.
package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// decodeStrict decodes one YAML document, refusing fields v does not have:
// a misspelt key (readinessprobe) fails here as it would fail the API
// server's strict validation.
func decodeStrict(node *yaml.Node, v any) error {
	b, err := yaml.Marshal(node)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// documents reads every YAML document of a file.
func documents(t *testing.T, path string) []*yaml.Node {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, &n)
	}
}

// kustomization is kustomization.yaml.
type kustomization struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Namespace  string `yaml:"namespace"`
	Labels     []struct {
		Pairs            map[string]string `yaml:"pairs"`
		IncludeSelectors bool              `yaml:"includeSelectors"`
	} `yaml:"labels"`
	Resources []string `yaml:"resources"`
	Images    []struct {
		Name    string `yaml:"name"`
		NewName string `yaml:"newName"`
		NewTag  string `yaml:"newTag"`
		Digest  string `yaml:"digest"`
	} `yaml:"images"`
	ConfigMapGenerator []configMapGenerator `yaml:"configMapGenerator"`
}

type configMapGenerator struct {
	Name     string   `yaml:"name"`
	Literals []string `yaml:"literals"`
}

func readKustomization(t *testing.T) kustomization {
	t.Helper()
	var k kustomization
	if err := decodeStrict(documents(t, "kustomization.yaml")[0], &k); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	return k
}

// config is the ConfigMap the generator makes: name → value.
func (k kustomization) config() map[string]string {
	out := map[string]string{}
	for _, g := range k.ConfigMapGenerator {
		for _, lit := range g.Literals {
			name, value, _ := strings.Cut(lit, "=")
			out[name] = value
		}
	}
	return out
}

// TestKustomization checks that the kustomization lists every manifest here
// and only files that exist, and pins the image.
func TestKustomization(t *testing.T) {
	t.Parallel()
	k := readKustomization(t)
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Errorf("kustomization.yaml: apiVersion %q, kind %q", k.APIVersion, k.Kind)
	}
	for _, r := range k.Resources {
		if _, err := os.Stat(r); err != nil {
			t.Errorf("kustomization.yaml: resource %s: %v", r, err)
		}
	}
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		if f != "kustomization.yaml" && !slices.Contains(k.Resources, f) {
			t.Errorf("%s is not in kustomization.yaml's resources", f)
		}
	}
	if len(k.Images) != 1 || k.Images[0].Name != "pushguard" || (k.Images[0].Digest == "" && (k.Images[0].NewTag == "" || k.Images[0].NewTag == "latest")) {
		t.Errorf("kustomization.yaml: want one image named pushguard pinned to a tag other than latest, or a digest: %+v", k.Images)
	}
}

// The Kubernetes objects the manifests may hold, with the fields they may
// use. Add a field here when a manifest needs it.
type (
	objectMeta struct {
		Name        string            `yaml:"name"`
		Labels      map[string]string `yaml:"labels"`
		Annotations map[string]string `yaml:"annotations"`
	}
	header struct {
		APIVersion string     `yaml:"apiVersion"`
		Kind       string     `yaml:"kind"`
		Metadata   objectMeta `yaml:"metadata"`
	}
	labelSelector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	seccomp struct {
		Type string `yaml:"type"`
	}
	keyToPath struct {
		Key  string `yaml:"key"`
		Path string `yaml:"path"`
	}
	keyRef struct {
		Name string `yaml:"name"`
		Key  string `yaml:"key"`
	}
	envVar struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef    *keyRef `yaml:"secretKeyRef"`
			ConfigMapKeyRef *keyRef `yaml:"configMapKeyRef"`
		} `yaml:"valueFrom"`
	}
	probe struct {
		HTTPGet *struct {
			Path string `yaml:"path"`
			Port any    `yaml:"port"`
		} `yaml:"httpGet"`
		InitialDelaySeconds int `yaml:"initialDelaySeconds"`
		PeriodSeconds       int `yaml:"periodSeconds"`
		TimeoutSeconds      int `yaml:"timeoutSeconds"`
		FailureThreshold    int `yaml:"failureThreshold"`
	}
	container struct {
		Name  string   `yaml:"name"`
		Image string   `yaml:"image"`
		Args  []string `yaml:"args"`
		Ports []struct {
			Name          string `yaml:"name"`
			ContainerPort int    `yaml:"containerPort"`
		} `yaml:"ports"`
		EnvFrom []struct {
			ConfigMapRef *struct {
				Name string `yaml:"name"`
			} `yaml:"configMapRef"`
		} `yaml:"envFrom"`
		Env            []envVar `yaml:"env"`
		LivenessProbe  *probe   `yaml:"livenessProbe"`
		ReadinessProbe *probe   `yaml:"readinessProbe"`
		Resources      struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
		SecurityContext struct {
			RunAsNonRoot             *bool `yaml:"runAsNonRoot"`
			ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
			AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
			Capabilities             struct {
				Drop []string `yaml:"drop"`
			} `yaml:"capabilities"`
			SeccompProfile seccomp `yaml:"seccompProfile"`
		} `yaml:"securityContext"`
		VolumeMounts []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
			ReadOnly  bool   `yaml:"readOnly"`
		} `yaml:"volumeMounts"`
	}
	volume struct {
		Name   string `yaml:"name"`
		Secret *struct {
			SecretName  string      `yaml:"secretName"`
			DefaultMode int         `yaml:"defaultMode"`
			Items       []keyToPath `yaml:"items"`
		} `yaml:"secret"`
		EmptyDir *struct {
			Medium    string `yaml:"medium"`
			SizeLimit string `yaml:"sizeLimit"`
		} `yaml:"emptyDir"`
	}
	podSpec struct {
		ServiceAccountName            string `yaml:"serviceAccountName"`
		AutomountServiceAccountToken  *bool  `yaml:"automountServiceAccountToken"`
		TerminationGracePeriodSeconds int    `yaml:"terminationGracePeriodSeconds"`
		SecurityContext               struct {
			RunAsNonRoot   *bool   `yaml:"runAsNonRoot"`
			RunAsUser      int     `yaml:"runAsUser"`
			RunAsGroup     int     `yaml:"runAsGroup"`
			FSGroup        int     `yaml:"fsGroup"`
			SeccompProfile seccomp `yaml:"seccompProfile"`
		} `yaml:"securityContext"`
		TopologySpreadConstraints []struct {
			MaxSkew           int           `yaml:"maxSkew"`
			TopologyKey       string        `yaml:"topologyKey"`
			WhenUnsatisfiable string        `yaml:"whenUnsatisfiable"`
			LabelSelector     labelSelector `yaml:"labelSelector"`
		} `yaml:"topologySpreadConstraints"`
		Containers []container `yaml:"containers"`
		Volumes    []volume    `yaml:"volumes"`
	}
	deployment struct {
		header `yaml:",inline"`
		Spec   struct {
			Replicas             *int          `yaml:"replicas"`
			RevisionHistoryLimit int           `yaml:"revisionHistoryLimit"`
			Selector             labelSelector `yaml:"selector"`
			Strategy             struct {
				Type          string `yaml:"type"`
				RollingUpdate struct {
					MaxUnavailable any `yaml:"maxUnavailable"`
					MaxSurge       any `yaml:"maxSurge"`
				} `yaml:"rollingUpdate"`
			} `yaml:"strategy"`
			Template struct {
				Metadata objectMeta `yaml:"metadata"`
				Spec     podSpec    `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	service struct {
		header `yaml:",inline"`
		Spec   struct {
			Type     string            `yaml:"type"`
			Selector map[string]string `yaml:"selector"`
			Ports    []struct {
				Name       string `yaml:"name"`
				Port       int    `yaml:"port"`
				TargetPort any    `yaml:"targetPort"`
			} `yaml:"ports"`
		} `yaml:"spec"`
	}
	podDisruptionBudget struct {
		header `yaml:",inline"`
		Spec   struct {
			MinAvailable   any           `yaml:"minAvailable"`
			MaxUnavailable any           `yaml:"maxUnavailable"`
			Selector       labelSelector `yaml:"selector"`
		} `yaml:"spec"`
	}
	horizontalPodAutoscaler struct {
		header `yaml:",inline"`
		Spec   struct {
			ScaleTargetRef struct {
				APIVersion string `yaml:"apiVersion"`
				Kind       string `yaml:"kind"`
				Name       string `yaml:"name"`
			} `yaml:"scaleTargetRef"`
			MinReplicas int `yaml:"minReplicas"`
			MaxReplicas int `yaml:"maxReplicas"`
			Metrics     []struct {
				Type     string `yaml:"type"`
				Resource struct {
					Name   string `yaml:"name"`
					Target struct {
						Type               string `yaml:"type"`
						AverageUtilization int    `yaml:"averageUtilization"`
					} `yaml:"target"`
				} `yaml:"resource"`
			} `yaml:"metrics"`
			Behavior struct {
				ScaleDown struct {
					StabilizationWindowSeconds int `yaml:"stabilizationWindowSeconds"`
				} `yaml:"scaleDown"`
			} `yaml:"behavior"`
		} `yaml:"spec"`
	}
	serviceAccount struct {
		header                       `yaml:",inline"`
		AutomountServiceAccountToken *bool `yaml:"automountServiceAccountToken"`
	}
)

// apiVersions is the API version each kind must use (none deprecated).
func apiVersions() map[string]string {
	return map[string]string{
		"Namespace":               "v1",
		"ServiceAccount":          "v1",
		"Service":                 "v1",
		"Deployment":              "apps/v1",
		"PodDisruptionBudget":     "policy/v1",
		"HorizontalPodAutoscaler": "autoscaling/v2",
	}
}

// objects are the kustomization's resources, decoded.
type objects struct {
	deployments []deployment
	services    []service
	pdbs        []podDisruptionBudget
	hpas        []horizontalPodAutoscaler
}

func readObjects(t *testing.T) objects {
	t.Helper()
	var o objects
	for _, file := range readKustomization(t).Resources {
		for i, doc := range documents(t, file) {
			where := fmt.Sprintf("%s (document %d)", file, i+1)
			var h header
			if err := doc.Decode(&h); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if h.APIVersion == "" || h.Kind == "" || h.Metadata.Name == "" {
				t.Errorf("%s: apiVersion, kind and metadata.name are required: %+v", where, h)
			}
			if want, ok := apiVersions()[h.Kind]; !ok {
				t.Errorf("%s: kind %s is not one this test knows: add its fields here", where, h.Kind)
				continue
			} else if h.APIVersion != want {
				t.Errorf("%s: %s has apiVersion %s, want %s", where, h.Kind, h.APIVersion, want)
			}
			var err error
			switch h.Kind {
			case "Deployment":
				var d deployment
				err = decodeStrict(doc, &d)
				o.deployments = append(o.deployments, d)
			case "Service":
				var s service
				err = decodeStrict(doc, &s)
				o.services = append(o.services, s)
			case "PodDisruptionBudget":
				var p podDisruptionBudget
				err = decodeStrict(doc, &p)
				o.pdbs = append(o.pdbs, p)
			case "HorizontalPodAutoscaler":
				var a horizontalPodAutoscaler
				err = decodeStrict(doc, &a)
				o.hpas = append(o.hpas, a)
			case "ServiceAccount":
				var s serviceAccount
				err = decodeStrict(doc, &s)
			default:
				err = decodeStrict(doc, &h)
			}
			if err != nil {
				t.Errorf("%s: %v", where, err)
			}
		}
	}
	return o
}

// secretLike matches the variables that hold or point to a credential.
var secretLike = regexp.MustCompile(`SECRET|KEY|TOKEN|PASSWORD|^REDIS_URL$`)

// TestDeployments checks both Deployments: the command, probes on the
// right paths, resources, the restricted security context, Prometheus
// annotations, and secrets referenced rather than inlined.
func TestDeployments(t *testing.T) {
	t.Parallel()
	o := readObjects(t)
	k := readKustomization(t)
	commands := map[string]bool{}
	for _, d := range o.deployments {
		name, pod := d.Metadata.Name, d.Spec.Template.Spec
		if !subset(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) || len(d.Spec.Selector.MatchLabels) == 0 {
			t.Errorf("%s: the selector does not match the pod template's labels", name)
		}
		if len(pod.Containers) != 1 {
			t.Fatalf("%s: want one container, got %d", name, len(pod.Containers))
		}
		c := pod.Containers[0]
		if len(c.Args) != 1 || (c.Args[0] != "serve" && c.Args[0] != "worker") {
			t.Errorf("%s: args %v, want [serve] or [worker]", name, c.Args)
		} else {
			commands[c.Args[0]] = true
		}
		if c.Image != k.Images[0].Name {
			t.Errorf("%s: image %q, want %q, which the kustomization pins", name, c.Image, k.Images[0].Name)
		}
		checkProbes(t, name, c)
		for _, r := range []string{"requests.cpu", "requests.memory", "limits.memory"} {
			kind, res, _ := strings.Cut(r, ".")
			if (map[string]map[string]string{"requests": c.Resources.Requests, "limits": c.Resources.Limits})[kind][res] == "" {
				t.Errorf("%s: resources.%s is not set", name, r)
			}
		}
		checkSecurity(t, name, pod)
		ann := d.Spec.Template.Metadata.Annotations
		if ann["prometheus.io/scrape"] != "true" || ann["prometheus.io/port"] != "8080" || ann["prometheus.io/path"] != "/metrics" {
			t.Errorf("%s: want the pod annotations prometheus.io/scrape \"true\", port \"8080\", path /metrics; got %v", name, ann)
		}
		checkEnv(t, name, c, pod, k)
		if c.Args[0] == "worker" && slices.ContainsFunc(c.Env, func(e envVar) bool { return strings.HasPrefix(e.Name, "GITHUB_WEBHOOK_SECRET") }) {
			t.Errorf("%s: a worker receives no webhooks: do not give it the webhook secret", name)
		}
		scaled := slices.ContainsFunc(o.hpas, func(a horizontalPodAutoscaler) bool { return a.Spec.ScaleTargetRef.Name == name })
		switch {
		case scaled && d.Spec.Replicas != nil:
			t.Errorf("%s: an HPA scales it: leave replicas out, or every apply resets the HPA's count", name)
		case !scaled && (d.Spec.Replicas == nil || *d.Spec.Replicas < 2):
			t.Errorf("%s: want at least 2 replicas", name)
		}
	}
	if !commands["serve"] || !commands["worker"] {
		t.Errorf("want a serve Deployment and a worker Deployment, got %v", commands)
	}
}

func checkProbes(t *testing.T, name string, c container) {
	t.Helper()
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("%s: want one container port, 8080 (PUSHGUARD_ADDR)", name)
		return
	}
	for _, p := range []struct {
		kind, path string
		probe      *probe
	}{{"livenessProbe", "/healthz", c.LivenessProbe}, {"readinessProbe", "/readyz", c.ReadinessProbe}} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s: no %s over HTTP", name, p.kind)
			continue
		}
		if got := p.probe.HTTPGet; got.Path != p.path || (got.Port != c.Ports[0].Name && got.Port != 8080) {
			t.Errorf("%s: %s on %v%s, want port 8080 (or %q), path %s", name, p.kind, got.Port, got.Path, c.Ports[0].Name, p.path)
		}
	}
}

func checkSecurity(t *testing.T, name string, pod podSpec) {
	t.Helper()
	psc, sc := pod.SecurityContext, pod.Containers[0].SecurityContext
	if !isTrue(psc.RunAsNonRoot) && !isTrue(sc.RunAsNonRoot) {
		t.Errorf("%s: runAsNonRoot is not set", name)
	}
	if psc.RunAsUser == 0 {
		t.Errorf("%s: set runAsUser (65532, distroless's nonroot): Kubernetes cannot check a user named nonroot is not root", name)
	}
	if psc.SeccompProfile.Type != "RuntimeDefault" && sc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("%s: seccompProfile RuntimeDefault is not set", name)
	}
	if !isTrue(sc.ReadOnlyRootFilesystem) {
		t.Errorf("%s: readOnlyRootFilesystem is not true", name)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: allowPrivilegeEscalation is not false", name)
	}
	if !slices.Equal(sc.Capabilities.Drop, []string{"ALL"}) {
		t.Errorf("%s: capabilities.drop = %v, want [ALL]", name, sc.Capabilities.Drop)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Errorf("%s: automountServiceAccountToken is not false: pushguard never calls the Kubernetes API", name)
	}
}

// checkEnv checks that secrets come from a Secret (secretKeyRef) or from
// files mounted from one (*_FILE), never as values.
func checkEnv(t *testing.T, name string, c container, pod podSpec, k kustomization) {
	t.Helper()
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef == nil || !slices.ContainsFunc(k.ConfigMapGenerator, func(g configMapGenerator) bool { return g.Name == ef.ConfigMapRef.Name }) {
			t.Errorf("%s: envFrom must name a ConfigMap of the kustomization's configMapGenerator", name)
		}
	}
	for _, e := range c.Env {
		switch {
		case strings.HasSuffix(e.Name, "_FILE"):
			if !secretFile(pod, c, e.Value) {
				t.Errorf("%s: %s=%s is not a file of a mounted Secret", name, e.Name, e.Value)
			}
		case secretLike.MatchString(e.Name):
			if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				t.Errorf("%s: %s must come from a Secret (valueFrom.secretKeyRef), or from a file through its _FILE variable where it has one", name, e.Name)
			}
		}
	}
	for name := range k.config() {
		if secretLike.MatchString(name) {
			t.Errorf("kustomization.yaml: %s in the ConfigMap: a secret belongs in the Secret", name)
		}
	}
}

// secretFile reports whether path is an item of a Secret volume mounted
// read-only in c.
func secretFile(pod podSpec, c container, path string) bool {
	for _, m := range c.VolumeMounts {
		rel, ok := strings.CutPrefix(path, m.MountPath+"/")
		if !ok || !m.ReadOnly {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.Secret != nil && slices.ContainsFunc(v.Secret.Items, func(it keyToPath) bool { return it.Path == rel }) {
				return true
			}
		}
	}
	return false
}

// TestServicesBudgetsAutoscalers checks that the Service, the budgets and
// the autoscaler point at the Deployments, on ports and resources they have.
func TestServicesBudgetsAutoscalers(t *testing.T) {
	t.Parallel()
	o := readObjects(t)
	target := func(sel map[string]string) *deployment {
		for i, d := range o.deployments {
			if len(sel) > 0 && subset(sel, d.Spec.Template.Metadata.Labels) {
				return &o.deployments[i]
			}
		}
		return nil
	}
	for _, s := range o.services {
		d := target(s.Spec.Selector)
		if d == nil || d.Spec.Template.Spec.Containers[0].Args[0] != "serve" {
			t.Errorf("service %s: its selector must pick the serve Deployment", s.Metadata.Name)
			continue
		}
		for _, p := range s.Spec.Ports {
			if port := d.Spec.Template.Spec.Containers[0].Ports[0]; p.TargetPort != port.Name && p.TargetPort != port.ContainerPort {
				t.Errorf("service %s: targetPort %v is not the container's port", s.Metadata.Name, p.TargetPort)
			}
		}
	}
	budgeted := map[string]bool{}
	for _, p := range o.pdbs {
		d := target(p.Spec.Selector.MatchLabels)
		if d == nil {
			t.Errorf("pdb %s: its selector picks no Deployment", p.Metadata.Name)
			continue
		}
		budgeted[d.Metadata.Name] = true
		if (p.Spec.MinAvailable == nil) == (p.Spec.MaxUnavailable == nil) {
			t.Errorf("pdb %s: set one of minAvailable and maxUnavailable", p.Metadata.Name)
		}
	}
	for _, d := range o.deployments {
		if !budgeted[d.Metadata.Name] {
			t.Errorf("deployment %s has no PodDisruptionBudget", d.Metadata.Name)
		}
	}
	if len(o.hpas) == 0 {
		t.Error("no HorizontalPodAutoscaler for the workers")
	}
	for _, a := range o.hpas {
		ref := a.Spec.ScaleTargetRef
		i := slices.IndexFunc(o.deployments, func(d deployment) bool { return d.Metadata.Name == ref.Name })
		switch {
		case ref.Kind != "Deployment" || i < 0:
			t.Errorf("hpa %s: scales %s %s, which is not a Deployment here", a.Metadata.Name, ref.Kind, ref.Name)
		case o.deployments[i].Spec.Template.Spec.Containers[0].Args[0] != "worker":
			t.Errorf("hpa %s: want it to scale the workers", a.Metadata.Name)
		case a.Spec.MinReplicas < 1 || a.Spec.MinReplicas > a.Spec.MaxReplicas:
			t.Errorf("hpa %s: replicas %d to %d", a.Metadata.Name, a.Spec.MinReplicas, a.Spec.MaxReplicas)
		case len(a.Spec.Metrics) != 1 || a.Spec.Metrics[0].Resource.Name != "cpu":
			t.Errorf("hpa %s: want one metric, CPU", a.Metadata.Name)
		}
	}
}

// compose is the part of docker-compose.yml used here.
type compose struct {
	Name     string `yaml:"name"`
	Services map[string]struct {
		Build *struct {
			Context string            `yaml:"context"`
			Args    map[string]string `yaml:"args"`
		} `yaml:"build"`
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Ports       []string          `yaml:"ports"`
		EnvFile     string            `yaml:"env_file"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		ReadOnly    bool              `yaml:"read_only"`
		CapDrop     []string          `yaml:"cap_drop"`
		SecurityOpt []string          `yaml:"security_opt"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck *struct {
			Test     []string `yaml:"test"`
			Interval string   `yaml:"interval"`
			Timeout  string   `yaml:"timeout"`
			Retries  int      `yaml:"retries"`
		} `yaml:"healthcheck"`
		Restart string `yaml:"restart"`
	} `yaml:"services"`
	Volumes map[string]struct{} `yaml:"volumes"`
}

// TestCompose checks the laptop set-up: pushguard serve and a Redis that
// keeps its data and never evicts, settings from .env, secrets from
// files, and every variable one the code reads.
func TestCompose(t *testing.T) {
	t.Parallel()
	var c compose
	if err := decodeStrict(documents(t, "docker-compose.yml")[0], &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	pg, redis := c.Services["pushguard"], c.Services["redis"]
	if !slices.Equal(pg.Command, []string{"serve"}) || pg.Build == nil || pg.Build.Context != ".." {
		t.Errorf("docker-compose.yml: pushguard must build the repository's Dockerfile and run serve")
	}
	if !strings.HasPrefix(redis.Image, "redis:7") {
		t.Errorf("docker-compose.yml: redis image %q, want redis:7", redis.Image)
	}
	cmd := strings.Join(redis.Command, " ")
	for _, want := range []string{"--appendonly yes", "--maxmemory-policy noeviction"} {
		if !strings.Contains(cmd, want) {
			t.Errorf("docker-compose.yml: redis command %q lacks %s", cmd, want)
		}
	}
	if pg.EnvFile != ".env" {
		t.Errorf("docker-compose.yml: env_file %q, want .env (from .env.example)", pg.EnvFile)
	}
	for name, value := range pg.Environment {
		if secretLike.MatchString(name) && !strings.HasSuffix(name, "_FILE") && !passwordless(name, value) {
			t.Errorf("docker-compose.yml: %s holds a secret: read it from a file (%s_FILE)", name, name)
		}
	}
	ignored, err := os.ReadFile(".gitignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".env", "secrets/"} {
		if !slices.Contains(strings.Split(string(ignored), "\n"), want) {
			t.Errorf("deploy/.gitignore lacks %s", want)
		}
	}
	for name, value := range envExample(t) {
		if secretLike.MatchString(name) && !strings.HasSuffix(name, "_FILE") && value != "" {
			t.Errorf(".env.example: %s holds a value: secrets go in files under secrets/", name)
		}
	}
}

// passwordless reports whether value is a Redis URL without a password.
func passwordless(name, value string) bool {
	if name != "REDIS_URL" {
		return false
	}
	u, err := url.Parse(value)
	if err != nil || u.User == nil {
		return err == nil
	}
	_, has := u.User.Password()
	return !has
}

// envExample reads .env.example, commented-out settings included.
func envExample(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(".env.example")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^(?:# ?)?([A-Z][A-Z0-9_]*)=(.*)$`).FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestEnvNames checks that every variable the manifests, the compose file
// and .env.example set is one the code reads and the README documents.
func TestEnvNames(t *testing.T) {
	t.Parallel()
	read := codeEnvNames(t)
	docs := documentedEnvNames(t)
	set := map[string]string{} // name → where
	for name := range readKustomization(t).config() {
		set[name] = "kustomization.yaml"
	}
	for _, d := range readObjects(t).deployments {
		for _, e := range d.Spec.Template.Spec.Containers[0].Env {
			set[e.Name] = d.Metadata.Name
		}
	}
	var c compose
	if err := decodeStrict(documents(t, "docker-compose.yml")[0], &c); err != nil {
		t.Fatal(err)
	}
	for name := range c.Services["pushguard"].Environment {
		set[name] = "docker-compose.yml"
	}
	for name := range envExample(t) {
		set[name] = ".env.example"
	}
	for name, where := range set {
		if !read[name] {
			t.Errorf("%s: %s is not a variable pushguard reads (app/*.go)", where, name)
		}
		if !docs[name] {
			t.Errorf("%s: %s is not documented in README.md or deploy/README.md", where, name)
		}
	}
	for _, name := range []string{"REDIS_URL", "PUSHGUARD_FINGERPRINT_KEY_FILE"} {
		if _, ok := c.Services["pushguard"].Environment[name]; !ok {
			t.Errorf("docker-compose.yml: pushguard lacks %s", name)
		}
	}
}

// codeEnvNames are the variable names app/ reads: its string constants
// shaped like one, and their _FILE forms.
func codeEnvNames(t *testing.T) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob("../app/*.go")
	out := map[string]bool{}
	name := regexp.MustCompile(`"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(b), -1) {
			out[m[1]], out[m[1]+"_FILE"] = true, true
		}
	}
	if !out["REDIS_URL"] {
		t.Fatal("found no REDIS_URL in app/*.go: is the scan broken?")
	}
	return out
}

// documentedEnvNames are the variables README.md and deploy/README.md name
// in backquotes; `NAME` / `_FILE` on one line documents NAME_FILE too.
func documentedEnvNames(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	name := regexp.MustCompile("`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")
	for _, f := range []string{"../README.md", "README.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			for _, m := range name.FindAllStringSubmatch(line, -1) {
				out[m[1]] = true
				if strings.Contains(line, "`_FILE`") {
					out[m[1]+"_FILE"] = true
				}
			}
		}
	}
	return out
}

// TestGrafanaDashboard checks that the dashboard parses, that every metric
// its queries use exists in metrics/metrics.go, and that every metric there has
// a panel.
func TestGrafanaDashboard(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	type panel struct {
		ID      int    `json:"id"`
		Type    string `json:"type"`
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	}
	var dash struct {
		Title  string  `json:"title"`
		UID    string  `json:"uid"`
		Panels []panel `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	defined := definedMetrics(t)
	used := map[string]bool{}
	ids := map[int]bool{}
	metric := regexp.MustCompile(`pushguard_[a-z0-9_]+`)
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel %q: id %d is not unique", p.Title, p.ID)
		}
		ids[p.ID] = true
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			names := metric.FindAllString(q.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q: %q uses no pushguard metric", p.Title, q.Expr)
			}
			for _, n := range names {
				base := n
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					if b, ok := strings.CutSuffix(n, suffix); ok && defined[b] {
						base = b
					}
				}
				if !defined[base] {
					t.Errorf("panel %q: %s is not a metric of metrics/metrics.go", p.Title, n)
				}
				used[base] = true
			}
		}
	}
	for m := range defined {
		if !used[m] {
			t.Errorf("metric %s has no panel in grafana-dashboard.json", m)
		}
	}
}

// definedMetrics are the metric names metrics/*.go (tests aside) registers.
func definedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob("../metrics/*.go")
	out := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`"(pushguard_[a-z0-9_]+)"`).FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
	}
	if len(out) == 0 {
		t.Fatal("no metric names found in metrics/metrics.go")
	}
	return out
}

func subset(sub, of map[string]string) bool {
	for k, v := range sub {
		if of[k] != v {
			return false
		}
	}
	return true
}

func isTrue(b *bool) bool { return b != nil && *b }
