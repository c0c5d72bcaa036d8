package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"glassbox/analyzers/source"
)

// Root is an opened scan root. Pass FS to Walk, and Only as Options.Only.
type Root struct {
	// FS reads the tree through os.Root: no path, symlink included, can lead outside Dir.
	FS fs.FS
	// Dir is the absolute root directory with symlinks resolved; paths in files and
	// notifications are relative to it.
	Dir string
	// Only is, when the argument named one file, that file's slash path relative to Dir (its
	// base name, since Dir is then its directory); empty for a directory.
	Only string

	root *os.Root
}

// Close releases the root directory.
func (r *Root) Close() error { return r.root.Close() }

var (
	errNotDir    = errors.New(`not a directory (a trailing "/..." needs one)`)
	errNotSource = errors.New("not a C, C++ or Go source file")
)

// Open opens the scan root named by arg: a directory, a directory with a trailing "/..." as Go
// package patterns have it ("./testdata/..."), or a single source file, whose directory
// becomes the root. Symlinks in arg itself are resolved, since the reviewer named that path;
// links inside the tree are never followed. Errors name the path and what is wrong, e.g.
// "walk: /x/y: no such file or directory", and wrap the cause (errors.Is(err,
// fs.ErrNotExist) holds for a missing path).
func Open(arg string) (*Root, error) {
	if arg == "" {
		return nil, errors.New("walk: empty path: name a directory or a source file")
	}
	name, dots := cutDots(arg)
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, pathError(name, err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, pathError(abs, err)
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return nil, pathError(abs, err)
	}
	switch {
	case info.IsDir():
		return openDir(resolved, "")
	case dots:
		return nil, pathError(abs, errNotDir)
	}
	if _, ok := source.LangByName(resolved); !ok {
		return nil, pathError(abs, errNotSource)
	}
	return openDir(filepath.Dir(resolved), filepath.Base(resolved))
}

// cutDots strips a trailing "/..." (or the OS separator form): the walk is always recursive.
func cutDots(arg string) (string, bool) {
	if arg == "..." {
		return ".", true
	}
	for _, sep := range []string{"/", string(filepath.Separator)} {
		if name, ok := strings.CutSuffix(arg, sep+"..."); ok {
			if name == "" {
				name = sep
			}
			return name, true
		}
	}
	return arg, false
}

func openDir(dir, only string) (*Root, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, pathError(dir, err)
	}
	return &Root{FS: root.FS(), Dir: dir, Only: only, root: root}, nil
}

// pathError says "walk: <path>: <what is wrong>", dropping the operation and path an
// fs.PathError would repeat.
func pathError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("walk: %s: %w", name, err)
}
