package vcs

import (
	"testing"
	"testing/fstest"
)

func TestGit(t *testing.T) {
	const c1 = "0123456789abcdef0123456789abcdef01234567"
	const c2 = "89abcdef0123456789abcdef0123456789abcdef"
	cfg := "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://user:s3cret@git.example.net/av/engine.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
	tests := []struct {
		name  string
		files fstest.MapFS
		want  *Info
	}{
		{"not a checkout", fstest.MapFS{"a.c": {}}, nil},
		{"git file (worktree) is not followed", fstest.MapFS{".git": {Data: []byte("gitdir: /elsewhere")}}, nil},
		{"loose ref", fstest.MapFS{
			".git/HEAD":            {Data: []byte("ref: refs/heads/main\n")},
			".git/refs/heads/main": {Data: []byte(c1 + "\n")},
			".git/config":          {Data: []byte(cfg)},
		}, &Info{RepositoryURI: "https://git.example.net/av/engine.git", Revision: c1, Branch: "main"}},
		{"packed ref", fstest.MapFS{
			".git/HEAD":        {Data: []byte("ref: refs/heads/release/2.1\n")},
			".git/packed-refs": {Data: []byte("# pack-refs with: peeled\n" + c1 + " refs/heads/main\n" + c2 + " refs/heads/release/2.1\n")},
		}, &Info{RepositoryURI: "file:///src/av/", Revision: c2, Branch: "release/2.1"}},
		{"detached head", fstest.MapFS{
			".git/HEAD":   {Data: []byte(c2 + "\n")},
			".git/config": {Data: []byte("[remote \"upstream\"]\n\turl = git@git.example.net:av/engine.git\n")},
		}, &Info{RepositoryURI: "ssh://git@git.example.net/av/engine.git", Revision: c2}},
		{"no commits yet", fstest.MapFS{
			".git/HEAD": {Data: []byte("ref: refs/heads/main\n")},
		}, &Info{RepositoryURI: "file:///src/av/", Branch: "main"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Git(tc.files, "/src/av")
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Fatalf("Git() = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCleanURL(t *testing.T) {
	tests := map[string]string{
		"https://ghp_token@github.example/org/repo.git": "https://github.example/org/repo.git",
		"https://u:p@host/x":                            "https://host/x",
		"ssh://git@host/org/repo":                       "ssh://git@host/org/repo",
		"git@host:org/repo.git":                         "ssh://git@host/org/repo.git",
		"host:repo":                                     "ssh://host/repo",
		"/srv/git/repo.git":                             "file:///srv/git/repo.git",
	}
	for in, want := range tests {
		if got := CleanURL(in); got != want {
			t.Errorf("CleanURL(%q) = %q, want %q", in, got, want)
		}
	}
}
