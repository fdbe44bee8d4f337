package argocdhealth

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// Paths from this module to the files under test.
const (
	healthRoot = "../../argocd/health"
	configMap  = "../../argocd/argocd-cm.yaml"
	crdDir     = "../../crds"
)

// healthTests is the health_test.yaml format of Argo CD's resource_customizations.
type healthTests struct {
	Tests []struct {
		InputPath    string       `json:"inputPath"`
		HealthStatus HealthStatus `json:"healthStatus"`
	} `json:"tests"`
}

// check is one group/kind directory: its script and where it came from.
type check struct {
	group, kind, dir string
}

func checks(t *testing.T) []check {
	t.Helper()
	var out []check
	err := filepath.WalkDir(healthRoot, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != "health.lua" {
			return nil
		}
		dir := filepath.Dir(path)
		out = append(out, check{group: filepath.Base(filepath.Dir(dir)), kind: filepath.Base(dir), dir: dir})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no health.lua under %s", healthRoot)
	}
	return out
}

func readTests(t *testing.T, dir string) healthTests {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "health_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var ht healthTests
	if err := yaml.UnmarshalStrict(b, &ht); err != nil {
		t.Fatalf("%s/health_test.yaml: %v", dir, err)
	}
	if len(ht.Tests) == 0 {
		t.Fatalf("%s/health_test.yaml has no tests", dir)
	}
	return ht
}

// configMapScripts reads argocd-cm.yaml's data: the scripts exactly as Argo CD gets them.
func configMapScripts(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(configMap)
	if err != nil {
		t.Fatal(err)
	}
	var cm struct {
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(b, &cm); err != nil {
		t.Fatal(err)
	}
	return cm.Data
}

var decoders = []struct {
	name   string
	decode func([]byte) (map[string]any, error)
}{
	// What the Argo CD controller hands a check at run time.
	{"live", LiveObject},
	// What Argo CD's own health_test.yaml runner hands it (every number a float64).
	{"argocd-testdata", TestdataObject},
}

// Every case of every kind, through both the health.lua file and the argocd-cm.yaml key, with the
// libraries Argo CD opens for argocd-cm checks (no string library).
func TestHealthChecks(t *testing.T) {
	cm := configMapScripts(t)
	for _, c := range checks(t) {
		file, err := os.ReadFile(filepath.Join(c.dir, "health.lua"))
		if err != nil {
			t.Fatal(err)
		}
		key := "resource.customizations.health." + c.group + "_" + c.kind
		inlined, ok := cm[key]
		if !ok {
			t.Errorf("%s has no key %s", configMap, key)
		}
		scripts := map[string]string{"health.lua": string(file), "argocd-cm": inlined}
		for _, tc := range readTests(t, c.dir).Tests {
			input, err := os.ReadFile(filepath.Join(c.dir, tc.InputPath))
			if err != nil {
				t.Fatal(err)
			}
			for _, dec := range decoders {
				for source, script := range scripts {
					name := strings.Join([]string{c.kind, strings.TrimSuffix(filepath.Base(tc.InputPath), ".yaml"), dec.name, source}, "/")
					t.Run(name, func(t *testing.T) {
						obj, err := dec.decode(input)
						if err != nil {
							t.Fatal(err)
						}
						got, err := VM{}.ExecuteHealthLua(obj, script)
						if err != nil {
							t.Fatalf("script error: %v", err)
						}
						if *got != tc.HealthStatus {
							t.Errorf("got\n  %s: %q\nwant\n  %s: %q", got.Status, got.Message, tc.HealthStatus.Status, tc.HealthStatus.Message)
						}
					})
				}
			}
		}
	}
}

// Each kind's cases cover the four situations the issue names: progressing, healthy, degraded and
// deleting; and every input is an object of that kind.
func TestCasesCoverEveryState(t *testing.T) {
	for _, c := range checks(t) {
		seen := map[string]bool{}
		deleting := false
		for _, tc := range readTests(t, c.dir).Tests {
			seen[tc.HealthStatus.Status] = true
			input, err := os.ReadFile(filepath.Join(c.dir, tc.InputPath))
			if err != nil {
				t.Fatal(err)
			}
			obj, err := LiveObject(input)
			if err != nil {
				t.Fatal(err)
			}
			if obj["kind"] != c.kind || obj["apiVersion"] != c.group+"/v1alpha1" {
				t.Errorf("%s/%s: apiVersion %v kind %v, want %s/v1alpha1 %s", c.kind, tc.InputPath, obj["apiVersion"], obj["kind"], c.group, c.kind)
			}
			if meta, _ := obj["metadata"].(map[string]any); meta["deletionTimestamp"] != nil {
				deleting = true
			}
			if meta, _ := obj["metadata"].(map[string]any); meta["managedFields"] != nil {
				t.Errorf("%s/%s: trim metadata.managedFields from testdata", c.kind, tc.InputPath)
			}
		}
		for _, s := range []string{"Progressing", "Healthy", "Degraded"} {
			if !seen[s] {
				t.Errorf("%s: no %s case in health_test.yaml", c.kind, s)
			}
		}
		if !deleting {
			t.Errorf("%s: no case with metadata.deletionTimestamp", c.kind)
		}
	}
}

// Kinds that only configure the controller and carry no status: Argo CD has nothing to read, and
// leaves a resource without a health check out of the application's health.
var configurationOnly = map[string]string{
	"chimevoice.io/AwsAccount": "how the controller reaches an account; the objects using it report in their own status",
}

// Every kind the CRDs define has a check, and every check is for a kind the CRDs define.
func TestEveryKindHasACheck(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(crdDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in %s: %v", crdDir, err)
	}
	var want []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd struct {
			Spec struct {
				Group string `json:"group"`
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(b, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		gk := crd.Spec.Group + "/" + crd.Spec.Names.Kind
		if _, ok := configurationOnly[gk]; ok {
			continue
		}
		want = append(want, gk)
	}
	var got []string
	for _, c := range checks(t) {
		got = append(got, c.group+"/"+c.kind)
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("health checks for %v, CRDs for %v", got, want)
	}
}

// The VM itself behaves as Argo CD's: no string library, a nil or empty return is an empty
// status, and an unknown status code becomes Unknown.
func TestVMMatchesArgoCD(t *testing.T) {
	obj := map[string]any{"metadata": map[string]any{"name": "x"}}
	for _, tc := range []struct {
		script string
		want   HealthStatus
		err    bool
	}{
		{script: `return string.format("%s", "x")`, err: true},
		{script: `return nil`, want: HealthStatus{}},
		{script: `return {}`, want: HealthStatus{}},
		{script: `return { status = "Fine" }`, want: HealthStatus{Status: "Unknown", Message: invalidHealthStatus}},
		{script: `return { status = "Healthy", message = obj.metadata.name .. 1 }`, want: HealthStatus{Status: "Healthy", Message: "x1"}},
		{script: `local os = require("os"); return { status = "Healthy", message = tostring(os.time() > 0) }`, want: HealthStatus{Status: "Healthy", Message: "true"}},
	} {
		got, err := VM{}.ExecuteHealthLua(obj, tc.script)
		if tc.err {
			if err == nil {
				t.Errorf("%s: want an error, got %+v", tc.script, got)
			}
			continue
		}
		if err != nil || *got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.script, got, err, tc.want)
		}
	}
}
