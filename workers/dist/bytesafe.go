package dist

import (
	"encoding/hex"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// JSON strings are UTF-8; Go strings need not be. A C literal such as "\xEB\xFE\x90\x90"
// decodes to bytes that are not UTF-8, and encoding/json would turn them into U+FFFD: the
// coordinator's link step would then see other constants than the worker did, and
// fingerprints of such findings would change. Before a result is encoded, every string that
// is not valid UTF-8 is escaped as escapeMark followed by its bytes in hex (as is every
// string that happens to start with escapeMark, so that the mapping can be undone), and the
// payload says so; the receiver undoes it after decoding. Results without such strings,
// nearly all of them, are encoded as they are.

// escapeMark is a Unicode noncharacter, which text never holds.
const escapeMark = "\uFDD0"

func needsEscape(s string) bool { return !utf8.ValidString(s) || strings.HasPrefix(s, escapeMark) }

func escapeString(s string) string { return escapeMark + hex.EncodeToString([]byte(s)) }

func unescapeString(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, escapeMark)
	if !ok {
		return s, false
	}
	b, err := hex.DecodeString(rest)
	if err != nil {
		return s, false
	}
	return string(b), true
}

// escapeValue returns v with every string that needs it escaped, and whether anything
// changed. Parts that hold no such string are shared with v, never modified: results may
// share slices with the compiled rules.
func escapeValue(v reflect.Value) (reflect.Value, bool) {
	switch v.Kind() {
	case reflect.String:
		if !needsEscape(v.String()) {
			return v, false
		}
		out := reflect.New(v.Type()).Elem()
		out.SetString(escapeString(v.String()))
		return out, true
	case reflect.Struct:
		var out reflect.Value
		for _, i := range stringFields(v.Type()) {
			f, changed := escapeValue(v.Field(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(v.Type()).Elem()
				out.Set(v)
			}
			out.Field(i).Set(f)
		}
		if !out.IsValid() {
			return v, false
		}
		return out, true
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() || !mayHoldStrings(v.Type().Elem()) {
			return v, false
		}
		var out reflect.Value
		for i := range v.Len() {
			e, changed := escapeValue(v.Index(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				if v.Kind() == reflect.Slice {
					out = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
				} else {
					out = reflect.New(v.Type()).Elem()
				}
				reflect.Copy(out, v)
			}
			out.Index(i).Set(e)
		}
		if !out.IsValid() {
			return v, false
		}
		return out, true
	case reflect.Map:
		if v.IsNil() {
			return v, false
		}
		type entry struct{ k, v reflect.Value }
		var changedEntries []entry
		it := v.MapRange()
		for it.Next() {
			k, kc := escapeValue(it.Key())
			e, ec := escapeValue(it.Value())
			if kc || ec {
				changedEntries = append(changedEntries, entry{k, e})
				if kc {
					changedEntries = append(changedEntries, entry{it.Key(), reflect.Value{}}) // drop the old key
				}
			}
		}
		if len(changedEntries) == 0 {
			return v, false
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		it = v.MapRange()
		for it.Next() {
			out.SetMapIndex(it.Key(), it.Value())
		}
		for _, e := range changedEntries {
			out.SetMapIndex(e.k, e.v)
		}
		return out, true
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		e, changed := escapeValue(v.Elem())
		if !changed {
			return v, false
		}
		if v.Kind() == reflect.Pointer {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(e)
			return p, true
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(e)
		return out, true
	}
	return v, false
}

// unescapeValue undoes escapeValue in place; v must be settable (reached through a
// pointer).
func unescapeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s, ok := unescapeString(v.String()); ok {
			v.SetString(s)
		}
	case reflect.Struct:
		for _, i := range stringFields(v.Type()) {
			unescapeValue(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		if !mayHoldStrings(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			unescapeValue(v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		for _, k := range keys {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(v.MapIndex(k))
			unescapeValue(val)
			nk := reflect.New(k.Type()).Elem()
			nk.Set(k)
			unescapeValue(nk)
			if !nk.Equal(k) {
				v.SetMapIndex(k, reflect.Value{})
			}
			v.SetMapIndex(nk, val)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			unescapeValue(v.Elem())
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := reflect.New(v.Elem().Type()).Elem()
		e.Set(v.Elem())
		unescapeValue(e)
		v.Set(e)
	}
}

// stringFields caches, per struct type, the exported fields that may hold a string: the
// walk visits nothing else.
var fieldCache sync.Map // reflect.Type → []int

func stringFields(t reflect.Type) []int {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && mayHoldStrings(f.Type) {
			out = append(out, i)
		}
	}
	fieldCache.Store(t, out)
	return out
}

// mayHoldStrings reports whether a value of type t can contain a string that JSON would
// encode as a string. []byte cannot: it travels as base64, byte for byte.
func mayHoldStrings(t reflect.Type) bool {
	if h, ok := holdCache.Load(t); ok {
		return h.(bool)
	}
	h := mayHold(t, map[reflect.Type]bool{})
	holdCache.Store(t, h)
	return h
}

var holdCache sync.Map // reflect.Type → bool

func mayHold(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false // a recursive type holds strings only if some other path says so
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		return true
	case reflect.Pointer, reflect.Array:
		return mayHold(t.Elem(), seen)
	case reflect.Slice:
		return t.Elem().Kind() != reflect.Uint8 && mayHold(t.Elem(), seen)
	case reflect.Map:
		return mayHold(t.Key(), seen) || mayHold(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHold(f.Type, seen) {
				return true
			}
		}
	}
	return false
}
