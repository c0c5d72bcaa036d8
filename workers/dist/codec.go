package dist

import (
	"encoding/json"
	"maps"
	"reflect"

	"glassbox/analyzers/finding"
)

// encodeFileResult is json.Marshal of a FileResult made to survive the round trip without
// changing a report or the link step's input. A nil list or map among a finding's
// properties would come back as JSON null, which reports drop, while reports of the same
// result in-process show it as empty: it is encoded as an empty one. Strings that are not
// UTF-8 are escaped (bytesafe.go); escaped says whether any was, and must travel with the
// data to decodeFileResult.
func encodeFileResult(fr finding.FileResult) (data []byte, escaped bool, err error) {
	fs := make([]finding.Finding, len(fr.Findings))
	for i, f := range fr.Findings {
		f.Properties = emptyNotNil(f.Properties)
		fs[i] = f
	}
	if fr.Findings != nil {
		fr.Findings = fs
	}
	v, escaped := escapeValue(reflect.ValueOf(fr))
	data, err = json.Marshal(v.Interface())
	return data, escaped, err
}

// decodeFileResult undoes encodeFileResult.
func decodeFileResult(data []byte, escaped bool) (finding.FileResult, error) {
	var fr finding.FileResult
	if err := json.Unmarshal(data, &fr); err != nil {
		return finding.FileResult{}, err
	}
	if escaped {
		unescapeValue(reflect.ValueOf(&fr).Elem())
	}
	return fr, nil
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
