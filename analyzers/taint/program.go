package taint

import (
	"cmp"
	"maps"
	"path"
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/rules"
)

// program is every function of a scan, indexed for resolving calls across files.
type program struct {
	funcs   []*finding.Function
	byID    map[string]int
	plain   map[string][]int // C functions and C++ free functions by name
	methods map[string][]int // C++ and Go methods by method name
	goDirs  []string         // Go package directories, for matching import paths
	tables  map[string][]finding.Table
	stores  map[string][]finding.Store
	members map[memberKey][]member // fields by language and name
	classes map[string]bool        // C++ classes whose fields are known, by last name segment
	derived map[string][]string    // C++ base class → the classes deriving from it (last segments)
	bases   map[string][]string    // C++ class → the classes it derives from (last segments)
	callers [][]callRef            // function → the call sites that may call it
	callees [][][]int              // function → call index → functions it may call
	guessed map[callRef][]int      // the callees found only by method name (the "*.m" fan-out)
}

type memberKey struct{ lang, field string }

// member is a field's declaration: its class or struct, its type and, for Go, the package
// directory (a Go struct's fields are visible only in its package).
type member struct{ owner, typ, dir string }

// callRef is one call site of one function.
type callRef struct{ fn, call int }

// maxFanOut bounds how many functions an unresolved method call (`x->Send(…)` with x of
// unknown type) is linked to: beyond it, a name is too common to mean anything.
const maxFanOut = 8

func newProgram(results []finding.FileResult) *program {
	p := &program{byID: map[string]int{}, plain: map[string][]int{}, methods: map[string][]int{},
		tables: map[string][]finding.Table{}, stores: map[string][]finding.Store{}, members: map[memberKey][]member{}, classes: map[string]bool{},
		derived: map[string][]string{}, bases: map[string][]string{}}
	dirs := map[string]bool{}
	for ri := range results {
		r := &results[ri]
		for i := range r.Functions {
			f := &r.Functions[i]
			f.Expand(r.Artifact.Path)
			if _, dup := p.byID[f.ID]; dup {
				continue // the same definition in two headers, or an #ifdef twin: keep the first
			}
			p.byID[f.ID] = len(p.funcs)
			p.funcs = append(p.funcs, f)
			if f.Lang == "go" {
				dirs[goDir(f.ID)] = true
			}
		}
		for _, t := range r.Tables {
			p.tables[t.Name] = append(p.tables[t.Name], t)
		}
		for _, s := range r.Stores {
			p.stores[s.Into] = append(p.stores[s.Into], s)
		}
		for _, c := range r.Classes {
			for _, b := range c.Bases {
				b = lastSegment(b)
				if d := lastSegment(c.Name); !slices.Contains(p.derived[b], d) {
					p.derived[b] = append(p.derived[b], d)
					p.bases[d] = append(p.bases[d], b)
				}
			}
		}
		for _, m := range r.Members {
			k := memberKey{r.Artifact.Lang, m.Field}
			e := member{owner: m.Owner, typ: m.Type}
			if r.Artifact.Lang == "go" {
				e.dir = path.Dir(r.Artifact.Path)
			}
			p.members[k] = append(p.members[k], e)
			if r.Artifact.Lang == "cpp" {
				p.classes[lastSegment(m.Owner)] = true
			}
		}
	}
	// Results arrive in any order; indexes are built in ID order so that the link is
	// deterministic.
	order := make([]int, len(p.funcs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(p.funcs[a].ID, p.funcs[b].ID) })
	for _, i := range order {
		f := p.funcs[i]
		name := shortName(f)
		if m, ok := methodName(f); ok {
			p.methods[m] = append(p.methods[m], i)
		} else {
			p.plain[name] = append(p.plain[name], i)
		}
	}
	for d := range dirs {
		p.goDirs = append(p.goDirs, d)
	}
	slices.Sort(p.goDirs)
	p.registrations()
	p.returnedTables()
	p.link()
	return p
}

// returnedTables makes a local that holds what a getter returns (`sysHandlers :=
// handlers.GetSystemHandlers()`, which returns linuxHandlers) an alias of the table returned.
func (p *program) returnedTables() {
	for _, into := range slices.Sorted(maps.Keys(p.stores)) {
		for _, s := range p.stores[into] {
			fi, ok := p.byID[s.Scope]
			if len(s.Result) == 0 || !ok {
				continue
			}
			caller := p.funcs[fi]
			for _, n := range s.Result {
				for _, t := range p.byName(caller, n, -1, false) {
					if r := p.funcs[t].Returns; r != "" && r != into {
						for _, tb := range p.tables[r] {
							p.tables[into] = append(p.tables[into], qualifyRows(tb))
						}
					}
				}
			}
		}
	}
}

// qualifyRows names the functions of a Go table by its package, so that a lookup in another
// package (through a getter) finds them: "run" of a table in dir h is "h.run".
func qualifyRows(tb finding.Table) finding.Table {
	dir := path.Dir(tb.Location.Path)
	if !strings.HasSuffix(tb.Location.Path, ".go") || dir == "." {
		return tb
	}
	rows := make([]finding.TableRow, len(tb.Rows))
	for i, r := range tb.Rows {
		rows[i] = finding.TableRow{Strings: r.Strings}
		for _, f := range r.Funcs {
			if !strings.Contains(f, ".") {
				f = dir + "." + f
			}
			rows[i].Funcs = append(rows[i].Funcs, f)
		}
	}
	tb.Rows = rows
	return tb
}

// registrations adds the command tables code fills at run time, one registration call per
// command — Mirai's `add_attack(ATK_VEC_UDP, attack_udp_generic)`, `register_cmd("exec",
// do_exec)`, Go's `Register(MsgExec, execHandler)` — to the global the registration function
// writes, so that a lookup in that global (`methods[i]->func(…)`) dispatches to the rows like a
// static table's. A row is a call passing a command word (a string or other constant) and a
// function of the program; a registration function needs two rows.
func (p *program) registrations() {
	rows := map[int][]finding.TableRow{}
	var regs []int
	for _, f := range p.funcs {
		for ci := range f.Calls {
			site := &f.Calls[ci]
			var r finding.TableRow
			for _, a := range site.Args {
				switch {
				case a.String || a.Const && !trivial[a.Value]:
					r.Strings = append(r.Strings, a.Value)
				case a.Ref != "" && len(p.byName(f, a.Ref, -1, false)) > 0:
					r.Funcs = append(r.Funcs, a.Ref)
				}
			}
			if len(r.Strings) == 0 || len(r.Funcs) == 0 {
				continue
			}
			targets, _ := p.resolve(f, site)
			for _, t := range targets {
				if rows[t] == nil {
					regs = append(regs, t)
				}
				rows[t] = append(rows[t], r)
			}
		}
	}
	slices.Sort(regs)
	for _, t := range regs {
		if len(rows[t]) < 2 {
			continue
		}
		reg := p.funcs[t]
		for _, n := range reg.Nodes {
			if n.K != finding.PortGlobalOut {
				continue
			}
			name := variableName(n.G)
			p.tables[name] = append(p.tables[name], finding.Table{Name: name, Location: reg.Location, Rows: rows[t]})
		}
	}
}

// variableName is the variable a global or member key names, as a table is named: "methods"
// for "g:methods@bot/attack.c", "go:pkg/c2:handlers" and "cpp:Dispatcher::m_handlers" alike.
func variableName(key string) string {
	key = globalName(key)
	return key[strings.LastIndexAny(key, ":.")+1:]
}

func goDir(id string) string {
	rest := strings.TrimPrefix(id, "go:")
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		return rest[:i]
	}
	return rest
}

// shortName is a function's name without class or package: what a plain call names.
func shortName(f *finding.Function) string {
	n := f.Name
	if i := strings.LastIndex(n, "::"); i >= 0 {
		n = n[i+2:]
	}
	if i := strings.LastIndex(n, "."); i >= 0 {
		n = n[i+1:]
	}
	return n
}

// methodName returns the method name of a C++ method or Go method.
func methodName(f *finding.Function) (string, bool) {
	if !f.Receiver {
		return "", false
	}
	return shortName(f), true
}

// link resolves every call site of every function to the functions it may call.
func (p *program) link() {
	p.callers = make([][]callRef, len(p.funcs))
	p.callees = make([][][]int, len(p.funcs))
	p.guessed = map[callRef][]int{}
	for fi, f := range p.funcs {
		p.callees[fi] = make([][]int, len(f.Calls))
		for ci := range f.Calls {
			targets, guessed := p.resolve(f, &f.Calls[ci])
			p.callees[fi][ci] = targets
			if guessed > 0 {
				p.guessed[callRef{fi, ci}] = targets[len(targets)-guessed:]
			}
			for _, t := range targets {
				p.callers[t] = append(p.callers[t], callRef{fi, ci})
			}
		}
	}
}

// callNames are the names a call site is known by. apis are Windows APIs a Go program
// looked up by name (procSend.Call(…) runs "send"): they are C names, matched against the
// C models, while a plain name written in Go is a Go function.
type callNames struct {
	lang  source.Lang
	names []string
	apis  []string
}

// lookup calls fn for every entry of t the call matches.
func (c callNames) lookup(t *rules.NameTable[*rules.Model], fn func(name string, m *rules.Model)) {
	t.Lookup(c.lang, c.names, fn)
	t.Lookup(source.C, c.apis, fn)
}

// names returns a call's names together with what stores put where the call looks: the API
// a field was given by GetProcAddress, the functions a table was filled with.
func (p *program) names(caller *finding.Function, site *finding.CallSite) (cn callNames, funcs []string) {
	cn = callNames{lang: source.Lang(caller.Lang), names: slices.Clone(site.Names)}
	api := func(name string) {
		if cn.lang == source.Go {
			if !slices.Contains(cn.apis, name) {
				cn.apis = append(cn.apis, name)
			}
		} else if !slices.Contains(cn.names, name) {
			cn.names = append(cn.names, name)
		}
	}
	look := append(slices.Clone(site.Names), site.Table)
	for _, n := range look {
		for _, s := range p.stores[n] {
			if s.Scope != "" && s.Scope != caller.ID {
				continue
			}
			if s.API != "" {
				api(s.API)
			}
			for _, n := range s.Names {
				if !slices.Contains(cn.names, n) {
					cn.names = append(cn.names, n)
				}
			}
			if s.Func != "" {
				funcs = append(funcs, s.Func)
			}
			funcs = append(funcs, p.tableFuncs(s.Table)...)
		}
	}
	funcs = append(funcs, p.tableFuncs(site.Table)...)
	if typ := p.memberType(caller, site); typ != "" {
		sep := "::"
		if cn.lang == source.Go {
			sep = "."
		}
		for _, n := range site.Names {
			if m, ok := strings.CutPrefix(n, "*."); ok && !slices.Contains(cn.names, typ+sep+m) {
				cn.names = append(cn.names, typ+sep+m)
			}
		}
	}
	if site.Via != "" {
		// Only an API lookup renames a method call: proc.Call(…) runs the procedure.
		for _, s := range p.stores[site.Via] {
			if s.API != "" && (s.Scope == "" || s.Scope == caller.ID) {
				api(s.API)
			}
		}
	}
	return cn, funcs
}

// memberType is the declared type of the field a method call's receiver is, when the file
// of the call could not say: its owner's field of that name, or the one type every class
// (every struct of the package, in Go) that has such a field agrees on.
func (p *program) memberType(caller *finding.Function, site *finding.CallSite) string {
	if site.Field == "" {
		return ""
	}
	var dir string
	if caller.Lang == "go" {
		dir = goDir(caller.ID)
	}
	typ, agree := "", true
	for _, m := range p.members[memberKey{caller.Lang, site.Field}] {
		if m.dir != dir || m.typ == "" {
			continue
		}
		if site.Owner != "" && lastSegment(m.owner) == lastSegment(site.Owner) {
			return m.typ
		}
		if typ != "" && typ != m.typ {
			agree = false
		}
		typ = m.typ
	}
	if !agree {
		return ""
	}
	return typ
}

// globalOrMember corrects the key of a bare name used in a C++ method: taken for a member
// of the method's class ("cpp:Collector::g_outbox") when its file could not tell, it is the
// global "g:g_outbox" when the class's declaration, seen in a header, has no such field.
func (p *program) globalOrMember(key string) string {
	rest, ok := strings.CutPrefix(key, "cpp:")
	if !ok {
		return key
	}
	i := strings.LastIndex(rest, "::")
	if i < 0 {
		return key
	}
	class, field := rest[:i], rest[i+2:]
	if !p.classes[lastSegment(class)] {
		return key // the class is not declared anywhere the scan sees
	}
	for _, m := range p.members[memberKey{"cpp", field}] {
		if lastSegment(m.owner) == lastSegment(class) {
			return key
		}
	}
	return "g:" + field
}

func lastSegment(name string) string { return name[strings.LastIndex(name, ":")+1:] }

// tableFuncs lists the functions of the command tables named name.
func (p *program) tableFuncs(name string) []string {
	if name == "" {
		return nil
	}
	var out []string
	for _, t := range p.tables[name] {
		for _, r := range t.Rows {
			out = append(out, r.Funcs...)
		}
	}
	return out
}

// resolve finds the functions of the program a call may call.
func (p *program) resolve(caller *finding.Function, site *finding.CallSite) (out []int, guessed int) {
	cn, funcs := p.names(caller, site)
	add := func(ids ...int) {
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for _, n := range funcs {
		add(p.byName(caller, n, len(site.Args), false)...)
	}
	// A call whose receiver's type is known goes to that type's method (or its overrides):
	// the receiver-agnostic "*.m" fan-out is for receivers of unknown type only.
	typed := false
	for _, n := range cn.names {
		if !strings.HasPrefix(n, "*.") {
			ids := p.byName(caller, n, len(site.Args), site.Receiver)
			typed = typed || site.Receiver && (len(ids) > 0 || p.concrete(caller, n))
			add(ids...)
		}
	}
	known := len(out)
	for _, n := range cn.names {
		if strings.HasPrefix(n, "*.") && !typed {
			add(p.byName(caller, n, len(site.Args), site.Receiver)...)
		}
	}
	return out, len(out) - known
}

// concrete reports whether a typed method name ("QTcpSocket::write", "os.File.Name",
// "client.flush") names a method of a concrete type, so that a call of it runs that method
// and no other method of the same name: a library class's method when the program defines
// none, or the program's own. An interface's method (io.Writer.Write, a Go type of the
// package with no fields seen) may run any implementation, which is what the "*.m"
// fan-out stands for.
func (p *program) concrete(caller *finding.Function, name string) bool {
	if caller.Lang != "go" {
		return strings.Contains(name, "::")
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return false
	}
	typ := name[:i]
	if goInterfaces[typ] {
		return false
	}
	// A type of a package of the program is concrete if the package declares its fields
	// (a struct); the type of a constructor's result is only a guess (pkg.New → pkg.Pkg).
	dirs := []string{goDir(caller.ID)}
	slash := strings.LastIndexByte(typ, '/')
	if dot := strings.IndexByte(typ[slash+1:], '.'); dot >= 0 {
		importPath := typ[:slash+1+dot]
		typ = typ[slash+1+dot+1:]
		dirs = nil
		for _, d := range p.goDirs {
			if commonTail(importPath, d) > 0 {
				dirs = append(dirs, d)
			}
		}
		if len(dirs) == 0 {
			return true // a library's type
		}
	}
	for _, ms := range p.members {
		for _, m := range ms {
			if m.owner == typ && slices.Contains(dirs, m.dir) {
				return true
			}
		}
	}
	return false
}

// goInterfaces are standard-library interfaces whose methods the program's own types
// implement: a call through one may run any of them.
var goInterfaces = map[string]bool{
	"io.Reader": true, "io.Writer": true, "io.ReadWriter": true, "io.ReadCloser": true, "io.WriteCloser": true,
	"io.ReadWriteCloser": true, "io.Closer": true, "io.ReaderAt": true, "io.WriterAt": true, "io.ReaderFrom": true,
	"io.WriterTo": true, "io.StringWriter": true, "io.ByteReader": true, "io.ByteWriter": true, "io.Seeker": true,
	"io.ReadSeeker": true, "io.ReadSeekCloser": true, "net.Conn": true, "net.Listener": true, "net.PacketConn": true,
	"net.Addr": true, "net/http.ResponseWriter": true, "net/http.Handler": true, "net/http.RoundTripper": true,
	"fmt.Stringer": true, "error": true, "context.Context": true, "hash.Hash": true, "hash.Hash32": true,
	"hash.Hash64": true, "sort.Interface": true, "io/fs.FS": true, "io/fs.File": true, "crypto/cipher.Block": true,
	"crypto/cipher.Stream": true, "crypto/cipher.AEAD": true, "encoding.BinaryMarshaler": true,
	"encoding.TextMarshaler": true, "encoding/json.Marshaler": true, "net/rpc.ClientCodec": true,
}

// byName finds functions by one of a call's names, in the conventions of syntax.Call.
func (p *program) byName(caller *finding.Function, name string, arity int, method bool) []int {
	if m, ok := strings.CutPrefix(name, "*."); ok {
		return p.fanOut(caller, p.methods[m], arity)
	}
	if caller.Lang == "go" {
		return p.goName(caller, name)
	}
	if strings.Contains(name, "::") {
		return p.qualified(name, arity)
	}
	// A plain call inside a C++ method may be to another method of the same class.
	if cls, ok := classOf(caller); ok {
		if ids := p.qualified(cls+"::"+name, arity); len(ids) > 0 {
			return ids
		}
	}
	var out []int
	for _, id := range p.plain[name] {
		f := p.funcs[id]
		if static := strings.Contains(f.ID, "@"); static && f.Location.Path != caller.Location.Path {
			continue
		}
		if f.Lang == "cpp" && !arityFits(f, arity) {
			continue
		}
		out = append(out, id)
	}
	return out
}

// classOf returns the class of a C++ method.
func classOf(f *finding.Function) (string, bool) {
	if f.Lang != "cpp" {
		return "", false
	}
	i := strings.LastIndex(f.Name, "::")
	if i < 0 {
		return "", false
	}
	return f.Name[:i], true
}

func arityFits(f *finding.Function, arity int) bool {
	return f.Params == arity || f.Variadic && arity >= f.Params || arity < f.Params
}

// qualified finds C++ functions whose qualified name and the call's agree by "::" segments.
func (p *program) qualified(name string, arity int) []int {
	out := p.qualifiedExact(name, arity)
	// A method called through a base class may run any override (a pure virtual one has
	// nothing else to run).
	i := strings.LastIndex(name, "::")
	class, method := lastSegment(name[:i]), name[i+2:]
	seen := map[string]bool{class: true}
	queue := []string{class}
	for len(queue) > 0 && len(seen) < 64 {
		c := queue[0]
		queue = queue[1:]
		for _, d := range p.derived[c] {
			if !seen[d] {
				seen[d] = true
				queue = append(queue, d)
				out = append(out, p.qualifiedExact(d+"::"+method, arity)...)
			}
		}
	}
	if len(out) == 0 {
		out = p.inherited(class, method, arity)
	}
	return out
}

// inherited finds the method a class inherits: the nearest base class (breadth first) that
// defines it. gh0st's managers call Send(…) and this->Send(…) defined by CManager.
func (p *program) inherited(class, method string, arity int) []int {
	seen := map[string]bool{class: true}
	level := []string{class}
	for depth := 0; len(level) > 0 && depth < 16; depth++ {
		var next []string
		var out []int
		for _, c := range level {
			for _, b := range p.bases[c] {
				if seen[b] {
					continue
				}
				seen[b] = true
				next = append(next, b)
				out = append(out, p.qualifiedExact(b+"::"+method, arity)...)
			}
		}
		if len(out) > 0 {
			return out
		}
		level = next
	}
	return nil
}

// qualifiedExact finds the C++ functions named name ("Class::method", "ns::f").
func (p *program) qualifiedExact(name string, arity int) []int {
	short := name[strings.LastIndex(name, "::")+2:]
	var out []int
	for _, ids := range [][]int{p.methods[short], p.plain[short]} {
		for _, id := range ids {
			f := p.funcs[id]
			if f.Lang != "cpp" || !arityFits(f, arity) {
				continue
			}
			if f.Name == name || strings.HasSuffix(f.Name, "::"+name) || strings.HasSuffix(name, "::"+f.Name) {
				out = append(out, id)
			}
		}
	}
	return out
}

// fanOut keeps candidates of a receiver-agnostic method call in the caller's language family
// with the right arity, unless there are too many to mean anything.
func (p *program) fanOut(caller *finding.Function, ids []int, arity int) []int {
	var out []int
	for _, id := range ids {
		f := p.funcs[id]
		if (f.Lang == "go") == (caller.Lang == "go") && arityFits(f, arity) {
			out = append(out, id)
		}
	}
	if len(out) > maxFanOut {
		return nil
	}
	return out
}

// goName resolves a Go call: a function or method of the caller's package, or of a package
// of the scan named by import path. A scan root is seldom the module root, so an import path
// is matched to the package directories that share the most trailing elements with it.
func (p *program) goName(caller *finding.Function, name string) []int {
	dir := goDir(caller.ID)
	if id, ok := p.byID["go:"+dir+":"+name]; ok {
		return []int{id}
	}
	slash := strings.LastIndex(name, "/")
	dot := strings.Index(name[slash+1:], ".")
	if dot < 0 {
		return nil
	}
	importPath, rest := name[:slash+1+dot], name[slash+1+dot+1:]
	best, out := 0, []int(nil)
	for _, d := range p.goDirs {
		n := commonTail(importPath, d)
		id, ok := p.byID["go:"+d+":"+rest]
		if !ok || n == 0 || n < best {
			continue
		}
		if n > best {
			best, out = n, nil
		}
		out = append(out, id)
	}
	return out
}

// commonTail counts the trailing path elements a and b share.
func commonTail(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[len(as)-1-n] == bs[len(bs)-1-n] {
		n++
	}
	return n
}
