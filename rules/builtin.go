package rules

import (
	"embed"
	"errors"
	"io/fs"
	"path"
)

//go:embed packs/*.yaml
var builtinFS embed.FS

// Builtin loads the packs that ship with glassbox. They are validated by the same loader as a
// reviewer's packs; a test keeps them loading.
func Builtin() ([]*Pack, error) {
	names, err := fs.Glob(builtinFS, "packs/*.yaml")
	if err != nil {
		return nil, err
	}
	var packs []*Pack
	var all Error
	for _, name := range names {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p, err := Load("builtin:"+path.Base(name), data)
		var perr *Error
		if errors.As(err, &perr) {
			all.Problems = append(all.Problems, perr.Problems...)
			continue
		}
		if err != nil {
			return nil, err
		}
		packs = append(packs, p)
	}
	if len(all.Problems) > 0 {
		return nil, &all
	}
	return packs, nil
}
