// Package vcs reads the version-control state of a scan root — repository URL, commit and
// branch — so a report can say exactly which revision was reviewed. It reads the `.git`
// directory directly, through the scan root's confined file system: no git binary is needed,
// and nothing outside the root is read (a `.git` file pointing elsewhere, as in worktrees
// and submodules, is not followed).
//
// It runs on the coordinator next to the walker, before any report is written.
package vcs

import (
	"bufio"
	"bytes"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// Info is the state of a git checkout. Branch is "" when HEAD is detached; Revision is ""
// in a repository with no commits yet.
type Info struct {
	RepositoryURI string
	Revision      string
	Branch        string
}

var sha = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// Git returns the state of the git checkout at the root of fsys, or nil when the root is
// not one. dir is the root's absolute path, used for a file:// URI when no remote is set.
func Git(fsys fs.FS, dir string) *Info {
	st, err := fs.Stat(fsys, ".git")
	if err != nil || !st.IsDir() {
		return nil
	}
	head, err := fs.ReadFile(fsys, ".git/HEAD")
	if err != nil {
		return nil
	}
	info := &Info{RepositoryURI: remote(fsys)}
	if info.RepositoryURI == "" {
		info.RepositoryURI = (&url.URL{Scheme: "file", Path: strings.TrimSuffix(filepathToSlash(dir), "/") + "/"}).String()
	}
	h := strings.TrimSpace(string(head))
	if ref, ok := strings.CutPrefix(h, "ref: "); ok {
		info.Branch = strings.TrimPrefix(ref, "refs/heads/")
		info.Revision = resolve(fsys, ref)
	} else if sha.MatchString(h) {
		info.Revision = h
	}
	return info
}

func filepathToSlash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

// resolve finds the commit a ref names, loose or packed.
func resolve(fsys fs.FS, ref string) string {
	if !fs.ValidPath(ref) {
		return ""
	}
	if b, err := fs.ReadFile(fsys, path.Join(".git", ref)); err == nil {
		if s := strings.TrimSpace(string(b)); sha.MatchString(s) {
			return s
		}
	}
	packed, err := fs.ReadFile(fsys, ".git/packed-refs")
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(packed))
	for sc.Scan() {
		id, name, ok := strings.Cut(sc.Text(), " ")
		if ok && name == ref && sha.MatchString(id) {
			return id
		}
	}
	return ""
}

// remote returns the URL of the "origin" remote, or of the first remote, with any
// credentials removed: a token in a clone URL must not end up in a report.
func remote(fsys fs.FS) string {
	cfg, err := fs.ReadFile(fsys, ".git/config")
	if err != nil {
		return ""
	}
	urls := map[string]string{}
	var order []string
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(cfg))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(section, "remote ") || strings.TrimSpace(k) != "url" {
			continue
		}
		name := strings.Trim(strings.TrimPrefix(section, "remote "), `" `)
		if _, dup := urls[name]; !dup {
			order = append(order, name)
		}
		urls[name] = strings.TrimSpace(v)
	}
	if u, ok := urls["origin"]; ok {
		return CleanURL(u)
	}
	if len(order) > 0 {
		return CleanURL(urls[order[0]])
	}
	return ""
}

var scpLike = regexp.MustCompile(`^(?:([^@/]+)@)?([^:/]+):(.+)$`)

// CleanURL turns a git remote into a URI without credentials: scp-like `git@host:org/repo`
// becomes `ssh://git@host/org/repo`, and a password or token in the user info is dropped.
func CleanURL(raw string) string {
	if !strings.Contains(raw, "://") {
		if m := scpLike.FindStringSubmatch(raw); m != nil {
			u := &url.URL{Scheme: "ssh", Host: m[2], Path: "/" + strings.TrimPrefix(m[3], "/")}
			if m[1] != "" {
				u.User = url.User(m[1])
			}
			return u.String()
		}
		return (&url.URL{Scheme: "file", Path: raw}).String()
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.User != nil {
		if _, hasPassword := u.User.Password(); hasPassword || u.Scheme == "https" || u.Scheme == "http" {
			// Over HTTP(S) a bare user name is as often a token as a name.
			u.User = nil
		}
	}
	return u.String()
}
