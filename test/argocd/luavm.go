// Package argocdhealth runs Argo CD resource health checks (health.lua) the way Argo CD does, so
// the checks this project ships are tested against the Lua VM Argo CD itself uses (gopher-lua).
//
// Written after Argo CD's util/lua/lua.go (runLua, ExecuteHealthLua, decodeValue) and
// util/lua/oslib_safe.go, as of argoproj/argo-cd master in 2026 (v3.x): same libraries, same
// conversion of the object to a Lua table, same reading of the returned table.
package argocdhealth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
	luajson "layeh.com/gopher-json"
	"sigs.k8s.io/yaml"
)

// HealthStatus is gitops-engine's health.HealthStatus: what a check returns.
type HealthStatus struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

// The health codes Argo CD accepts from a script; anything else becomes Unknown.
var validStatuses = map[string]bool{"Unknown": true, "Progressing": true, "Suspended": true, "Healthy": true, "Degraded": true, "Missing": true}

const invalidHealthStatus = "Lua returned an invalid health status"

// VM mirrors Argo CD's lua.VM. UseOpenLibs is false for checks installed through argocd-cm
// (unless resource.customizations.useOpenLibs.<group>_<kind> is set), which is how ours run.
type VM struct {
	UseOpenLibs bool
}

func (vm VM) run(obj map[string]any, script string) (*lua.LState, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !vm.UseOpenLibs})
	// Argo CD opens these four even without open libs; notably not string, math or io.
	for _, pair := range []struct {
		n string
		f lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openSafeOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(pair.f), NRet: 0, Protect: true}, lua.LString(pair.n)); err != nil {
			l.Close()
			return nil, err
		}
	}
	l.PreloadModule(lua.OsLibName, safeOsLoader)

	// Argo CD gives a script one second.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	// Argo CD sets an (here empty) actionParams global for every script, health checks included.
	l.SetGlobal("actionParams", l.CreateTable(0, 0))
	l.SetGlobal("obj", decodeValue(l, obj))
	fn, err := l.LoadString(script)
	if err == nil {
		l.Push(fn)
		err = l.PCall(0, lua.MultRet, nil)
	}
	return l, err
}

// ExecuteHealthLua is Argo CD's ExecuteHealthLua: the returned table goes through JSON into
// HealthStatus; nil gives an empty status; an invalid status code gives Unknown.
func (vm VM) ExecuteHealthLua(obj map[string]any, script string) (*HealthStatus, error) {
	l, err := vm.run(obj, script)
	if l != nil {
		defer l.Close()
	}
	if err != nil {
		return nil, err
	}
	ret := l.Get(-1)
	switch ret.Type() {
	case lua.LTTable:
		b, err := luajson.Encode(ret)
		if err != nil {
			return nil, err
		}
		hs := &HealthStatus{}
		if err := json.Unmarshal(b, hs); err != nil {
			// An empty table encodes as [], which Argo CD takes as an empty status (its check, like
			// this one, accepts any type error).
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				return &HealthStatus{}, nil
			}
			return nil, err
		}
		if !validStatuses[hs.Status] {
			return &HealthStatus{Status: "Unknown", Message: invalidHealthStatus}, nil
		}
		return hs, nil
	case lua.LTNil:
		return &HealthStatus{}, nil
	}
	return nil, fmt.Errorf("expect table output from Lua script, not %s", ret.Type().String())
}

// decodeValue is Argo CD's conversion of an unstructured object to a Lua table. Note json.Number
// becomes a string: objects must not carry json.Number (the live controller's do not).
func decodeValue(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case int:
		return lua.LNumber(v)
	case int32:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case []any:
		arr := l.CreateTable(len(v), 0)
		for _, item := range v {
			arr.Append(decodeValue(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(v))
		for key, item := range v {
			tbl.RawSetH(lua.LString(key), decodeValue(l, item))
		}
		return tbl
	}
	return lua.LNil
}

// Argo CD's safe os library: only time and date. Argo CD registers it under the table library's
// name (lua.TabLibName), so a script sees os.time only through require("os"); kept as is.
var osFuncs = map[string]lua.LGFunction{"time": osTime, "date": osDate}

func openSafeOs(l *lua.LState) int {
	l.Push(l.RegisterModule(lua.TabLibName, osFuncs))
	return 1
}

func safeOsLoader(l *lua.LState) int {
	l.Push(l.SetFuncs(l.NewTable(), osFuncs))
	return 1
}

func osTime(l *lua.LState) int {
	if l.GetTop() == 0 {
		l.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}
	tbl := l.CheckTable(1)
	field := func(k string, d int) int {
		if n, ok := tbl.RawGetString(k).(lua.LNumber); ok {
			return int(n)
		}
		return d
	}
	t := time.Date(field("year", -1), time.Month(field("month", -1)), field("day", -1), field("hour", 12), field("min", 0), field("sec", 0), 0, time.Local)
	l.Push(lua.LNumber(t.Unix()))
	return 1
}

// osDate covers what health checks use: "*t"/"!*t" tables and RFC 3339 text; other formats are
// not needed by this project's checks and are refused rather than imitated.
func osDate(l *lua.LState) int {
	t := time.Now()
	format := l.OptString(1, "%c")
	if len(format) > 0 && format[0] == '!' {
		t = t.UTC()
		format = format[1:]
	}
	if l.GetTop() >= 2 {
		t = time.Unix(l.CheckInt64(2), 0)
	}
	if format == "*t" {
		tbl := l.NewTable()
		for k, v := range map[string]int{"year": t.Year(), "month": int(t.Month()), "day": t.Day(), "hour": t.Hour(), "min": t.Minute(), "sec": t.Second(), "wday": int(t.Weekday()) + 1, "yday": t.YearDay()} {
			tbl.RawSetString(k, lua.LNumber(v))
		}
		tbl.RawSetString("isdst", lua.LFalse)
		l.Push(tbl)
		return 1
	}
	l.RaiseError("os.date format %q is not supported by this test VM", format)
	return 0
}

// LiveObject decodes YAML the way Argo CD's controller sees a live object: the API server's JSON
// through apimachinery's unstructured decoding, where integers are int64 and other numbers float64.
func LiveObject(y []byte) (map[string]any, error) {
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	var obj map[string]any
	if err := d.Decode(&obj); err != nil {
		return nil, err
	}
	return convertNumbers(obj).(map[string]any), nil
}

func convertNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, item := range x {
			x[k] = convertNumbers(item)
		}
		return x
	case []any:
		for i, item := range x {
			x[i] = convertNumbers(item)
		}
		return x
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	}
	return v
}

// TestdataObject decodes YAML the way Argo CD's own TestLuaHealthScript reads testdata
// (sigs.k8s.io/yaml into a map: every number float64).
func TestdataObject(y []byte) (map[string]any, error) {
	obj := map[string]any{}
	err := yaml.Unmarshal(y, &obj)
	return obj, err
}
