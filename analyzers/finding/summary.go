package finding

// The types below are the small summaries the per-file stage hands to the link step, which
// joins every file's functions into one program and follows data across them. They say
// nothing about rules: which calls are sources or sinks is decided at link time, where calls
// made through function pointers set up in other files can be resolved first.

// PortKind says what a port of a function summary is.
type PortKind uint8

// Ports are where data enters or leaves a function's summary.
const (
	PortParam     PortKind = iota + 1 // parameter I on entry (I = -1: the receiver)
	PortReturn                        // the function's result
	PortParamOut                      // what the function writes through parameter I
	PortArg                           // argument I of call C (I = -1: the receiver)
	PortResult                        // the result of call C
	PortArgOut                        // what call C writes through its argument I
	PortGlobalIn                      // a read of global (or member) G
	PortGlobalOut                     // a write of global (or member) G
	PortCompare                       // the value comparison C compares
	PortNode                          // memory inside the function where data meets (I numbers it)
)

// In reports whether data enters the function's body at p.
func (k PortKind) In() bool {
	return k == PortParam || k == PortResult || k == PortArgOut || k == PortGlobalIn
}

// Port is a node of a function's graph: where data enters or leaves it, or (PortNode) a
// place inside it.
type Port struct {
	K PortKind `json:"k"`
	C int      `json:"c,omitempty"`
	I int      `json:"i,omitempty"`
	G string   `json:"g,omitempty"`
}

// Edge says that data at node From reaches node To of a function's graph, by step Step (an
// index into the function's Steps; -1 when the hop says nothing worth showing).
type Edge struct {
	From int32 `json:"f"`
	To   int32 `json:"t"`
	Step int32 `json:"s"`
}

// Function is the summary of one function definition.
type Function struct {
	// ID names the function for linking: language, scope (a file for C static functions,
	// a directory for Go packages) and qualified name with arity.
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Lang     string       `json:"lang"`
	Params   int          `json:"params"`
	Variadic bool         `json:"variadic,omitempty"`
	Receiver bool         `json:"receiver,omitempty"`
	Location Location     `json:"location"`
	Calls    []CallSite   `json:"calls,omitempty"`
	Compares []Comparison `json:"compares,omitempty"`
	// The function's dataflow graph: its ports and the memory they meet in (Nodes), what
	// reaches what (Edges), and the hops shown for them (Steps, each once). It is the graph
	// itself, pruned to what joins an entry to an exit, not the pairs it connects: a large
	// function connects most of its entries to most of its exits, and the pairs grew with
	// their product (1.4 million of them in nats-server's 4.6 MB) where edges grow with
	// the code.
	Nodes []Port `json:"nodes,omitempty"`
	Edges []Edge `json:"edges,omitempty"`
	Steps []Step `json:"steps,omitempty"`
	// Returns names the global a function returns as it is (`return linuxHandlers`): a
	// command table handed out by a getter is still that table.
	Returns string `json:"returns,omitempty"`
}

// Intern readies a summary to cross to the link step, which may be on another machine: no
// location repeats the file's path, which the FileResult holds. Expand undoes it.
func (f *Function) Intern() {
	f.Location.Path = ""
	for i := range f.Calls {
		f.Calls[i].Location.Path = ""
	}
	for i := range f.Compares {
		f.Compares[i].Location.Path = ""
	}
	for i := range f.Steps {
		f.Steps[i].Location.Path = ""
	}
}

// Expand undoes Intern for a function of the file at path; locations that have a path keep
// it.
func (f *Function) Expand(path string) {
	fill := func(l *Location) {
		if l.Path == "" {
			l.Path = path
		}
	}
	fill(&f.Location)
	for i := range f.Calls {
		fill(&f.Calls[i].Location)
	}
	for i := range f.Compares {
		fill(&f.Compares[i].Location)
	}
	for i := range f.Steps {
		fill(&f.Steps[i].Location)
	}
}

// CallSite is one call in a function: what it may call and what its arguments are.
type CallSite struct {
	Names    []string `json:"names"`
	Callee   string   `json:"callee"`
	Location Location `json:"location"`
	Args     []Arg    `json:"args,omitempty"`
	Receiver bool     `json:"receiver,omitempty"`
	// Table is set when the callee is taken from a table indexed at run time
	// (`handlers[cmd]()`, `methods[i]->fn(…)`): the table's name.
	Table string `json:"table,omitempty"`
	// Via names the variable or field ("*.proc") a method is called on, so that a call
	// through a looked-up procedure (`procSend.Call(…)`) is known by the API stored there.
	Via string `json:"via,omitempty"`
	// Field is the field a method is called on when the file does not say its type
	// (`m_socket->write(…)` with m_socket declared in a header), and Owner the class that
	// has it when known (the method's own class): the link step looks the type up.
	Field string `json:"field,omitempty"`
	Owner string `json:"owner,omitempty"`
	// Param is 1 + the index of the function's parameter the callee is, when the call goes
	// through a parameter (`resp(data, err)`, `cb(buf)`): each caller decides what runs.
	Param int `json:"param,omitempty"`
}

// Arg describes one argument: its text, its value when it is a literal, whether it is a
// constant, and the function it names when it is a function reference (a callback).
type Arg struct {
	Text   string `json:"text,omitempty"`
	Type   string `json:"type,omitempty"` // the declared type, when the file says it
	Value  string `json:"value,omitempty"`
	String bool   `json:"string,omitempty"`
	Const  bool   `json:"const,omitempty"`
	Ref    string `json:"ref,omitempty"`
	// Param is 1 + the index of the calling function's parameter the argument is (0 when
	// it is not one): a thin wrapper that hands its parameters to CreateThread is a
	// callback registrar itself.
	Param int `json:"param,omitempty"`
}

// Comparison is a comparison of a value against a constant, or against the names of a table:
// the raw material of command dispatchers, keyword searches and gating. Actions lists the
// calls (indexes into the function's Calls) made in the branch taken on a match.
type Comparison struct {
	Op       string   `json:"op"`
	Const    string   `json:"const,omitempty"`
	Table    string   `json:"table,omitempty"`
	Value    string   `json:"value"`
	Location Location `json:"location"`
	Actions  []int    `json:"actions,omitempty"`
}

// Table is a static table of a file: rows pairing string constants with functions, such as
// `{"exec", RunCommand}` — the command tables of C2 code.
type Table struct {
	Name     string     `json:"name"`
	Location Location   `json:"location"`
	Rows     []TableRow `json:"rows"`
}

// TableRow is one row of a Table.
type TableRow struct {
	Strings []string `json:"strings,omitempty"`
	Funcs   []string `json:"funcs,omitempty"`
}

// Member is a field of a class or struct and its declared type: a method called on the
// field in another file is known by that type.
type Member struct {
	Owner string `json:"owner"`
	Field string `json:"field"`
	Type  string `json:"type"`
}

// Class is a C++ class and the classes it derives from.
type Class struct {
	Name  string   `json:"name"`
	Bases []string `json:"bases"`
}

// Store records a function, or an API resolved by name at run time, stored where a call
// will later find it: `api->pSend = GetProcAddress(h, "send")`, `fp = RunCommand`,
// `methods[VEC] = attack_udp`, `h := handlers[cmd]`. Into is the field ("*.pSend"), variable or table; Scope is
// the function the variable is local to ("" for fields and globals).
type Store struct {
	Into  string `json:"into"`
	Scope string `json:"scope,omitempty"`
	Func  string `json:"func,omitempty"`
	API   string `json:"api,omitempty"`
	// Table is set when an entry of a command table is stored (`h := handlers[cmd]`).
	Table string `json:"table,omitempty"`
	// Names are the names of a method value stored (`send := conn.Write`).
	Names []string `json:"names,omitempty"`
	// Result are the names of a call whose result is stored (`h := handlers.Get()`).
	Result []string `json:"result,omitempty"`
}
