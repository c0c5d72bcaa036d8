package dist

import (
	"encoding/json"
	"maps"
	"reflect"

	"glassbox/analyzers/finding"
)

// encodeFileResult is json.Marshal of a FileResult made to survive the round trip without
// changing a report: a nil list or map among a finding's properties would come back as
// JSON null, which reports drop, while reports of the same result in-process show it as
// empty. Encoding it as an empty list or map keeps the two identical.
func encodeFileResult(fr finding.FileResult) ([]byte, error) {
	fs := make([]finding.Finding, len(fr.Findings))
	for i, f := range fr.Findings {
		f.Properties = emptyNotNil(f.Properties)
		fs[i] = f
	}
	if fr.Findings != nil {
		fr.Findings = fs
	}
	return json.Marshal(fr)
}

func emptyNotNil(props map[string]any) map[string]any {
	var out map[string]any
	for k, v := range props {
		if v == nil {
			continue
		}
		rv := reflect.ValueOf(v)
		var empty any
		switch {
		case rv.Kind() == reflect.Slice && rv.IsNil():
			empty = reflect.MakeSlice(rv.Type(), 0, 0).Interface()
		case rv.Kind() == reflect.Map && rv.IsNil():
			empty = reflect.MakeMap(rv.Type()).Interface()
		default:
			continue
		}
		if out == nil {
			out = maps.Clone(props)
		}
		out[k] = empty
	}
	if out == nil {
		return props
	}
	return out
}
