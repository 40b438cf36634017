// Command gen writes internal/pgtree's node writer (nodes.c), reader (nodes.go) and
// walker (walk.go) from pg_query's own description of its trees (the walker from the
// descriptors alone): the output functions of the
// pg_query_go module in use (parser/include/pg_query_outfuncs_defs.c, one WRITE_* macro
// per field of each node, in the order the C writer emits them) and the protobuf
// descriptors pg_query_go registers (the Go message types and their fields). Every
// field of every message must match between the two, by name and by kind, or gen
// fails: the reader can then only disagree with pg_query's protobuf in a way the
// corpus test (TestTreesEqualProtobuf) shows.
//
//	go run ./internal/pgtree/gen            (from the repository root; go generate does it)
//	go run ./internal/pgtree/gen -check     (exit 1 when the committed files differ)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

func main() {
	check := flag.Bool("check", false, "compare with the committed files instead of writing them")
	dir := flag.String("dir", "internal/pgtree", "the package directory to write into")
	flag.Parse()
	mod, err := moduleDir()
	if err != nil {
		fail(err)
	}
	c, g, err := Generate(mod)
	if err != nil {
		fail(err)
	}
	w, err := GenerateWalk()
	if err != nil {
		fail(err)
	}
	files := map[string][]byte{"nodes.c": c, "nodes.go": g, "walk.go": w}
	stale := false
	for _, name := range []string{"nodes.c", "nodes.go", "walk.go"} {
		path := filepath.Join(*dir, name)
		if *check {
			old, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(old, files[name]) {
				fmt.Fprintf(os.Stderr, "%s is not what gen writes from %s: run go generate ./internal/pgtree\n", path, mod)
				stale = true
			}
			continue
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			fail(err)
		}
	}
	if stale {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pgtree/gen:", err)
	os.Exit(1)
}

// moduleDir is the directory of the pg_query_go module this build uses.
func moduleDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pganalyze/pg_query_go/v5").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m github.com/pganalyze/pg_query_go/v5: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// field is one WRITE_* macro of an output function.
type field struct {
	macro   string // INT, UINT, ..., SPECIFIC_NODE_PTR
	name    string // the protobuf field's name
	cfield  string // the C struct's member
	typ     string // ENUM: the C enum; SPECIFIC_NODE(_PTR): the message
	desc    protoreflect.FieldDescriptor
	goField string
}

// message is one node type: its output function's fields.
type message struct {
	name   string // protobuf message = Go type name
	ctype  string // the C struct
	fields []field
	goType reflect.Type
}

var (
	outFunc  = regexp.MustCompile(`(?m)^_out(\w+)\(OUT_TYPE\((\w+), (\w+)\) out, const (\w+) \*node\)\n\{\n((?:  WRITE_\w+\([^)]*\);\n)*)\}`)
	writeRe  = regexp.MustCompile(`WRITE_(\w+?)(?:_FIELD)?\(([^)]*)\);`)
	outNode  = regexp.MustCompile(`case T_(\w+):\n  OUT_NODE\((\w+), (\w+), (\w+), (\w+), (\w+), (\w+)\);`)
	enumFunc = regexp.MustCompile(`(?ms)static int\n_enumToInt(\w+)\((\w+) value\) \{\n.*?\n\}\n`)
)

// special are the node types pg_query writes by hand (pg_query_outfuncs_protobuf.c)
// and pgtree does too (parse.c and pgtree.go).
var special = map[string]bool{"Integer": true, "Float": true, "Boolean": true, "String": true, "BitString": true, "List": true, "IntList": true, "OidList": true, "A_Const": true}

// nodeCase is one alternative of the Node oneof.
type nodeCase struct {
	tag     protoreflect.FieldNumber
	ctag    string // T_...
	ctype   string // the C struct to cast to
	message string
	wrapper reflect.Type // pg.Node_X
	wfield  string       // its one field
}

// Generate returns nodes.c and nodes.go for the pg_query_go module in dir.
func Generate(mod string) (cSrc, goSrc []byte, err error) {
	inc := filepath.Join(mod, "parser", "include")
	defs, err := os.ReadFile(filepath.Join(inc, "pg_query_outfuncs_defs.c"))
	if err != nil {
		return nil, nil, err
	}
	conds, err := os.ReadFile(filepath.Join(inc, "pg_query_outfuncs_conds.c"))
	if err != nil {
		return nil, nil, err
	}
	enums, err := os.ReadFile(filepath.Join(inc, "pg_query_enum_defs.c"))
	if err != nil {
		return nil, nil, err
	}

	msgs := map[string]*message{}
	var order []string
	for _, m := range outFunc.FindAllStringSubmatch(string(defs), -1) {
		if m[1] != m[3] {
			return nil, nil, fmt.Errorf("output function _out%s writes %s", m[1], m[3])
		}
		msg := &message{name: m[2], ctype: m[4]}
		for _, w := range writeRe.FindAllStringSubmatch(m[5], -1) {
			args := strings.Split(w[2], ", ")
			f := field{macro: w[1]}
			switch {
			case f.macro == "ENUM" && len(args) == 4:
				f.typ, f.name, f.cfield = args[0], args[1], args[3]
			case strings.HasPrefix(f.macro, "SPECIFIC_NODE") && len(args) == 5:
				f.typ, f.name, f.cfield = args[0], args[2], args[4]
			case len(args) == 3:
				f.name, f.cfield = args[0], args[2]
			default:
				return nil, nil, fmt.Errorf("_out%s: cannot read WRITE_%s(%s)", m[1], w[1], w[2])
			}
			msg.fields = append(msg.fields, f)
		}
		if got, want := len(msg.fields), strings.Count(m[5], "WRITE_"); got != want {
			return nil, nil, fmt.Errorf("_out%s: read %d of its %d fields", m[1], got, want)
		}
		msgs[msg.name] = msg
		order = append(order, msg.name)
	}
	if n := strings.Count(string(defs), "\n_out"); n != len(order) {
		return nil, nil, fmt.Errorf("pg_query_outfuncs_defs.c: read %d of its %d output functions", len(order), n)
	}

	// Bind every message and field to its descriptor and Go type.
	for _, name := range order {
		msg := msgs[name]
		mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName("pg_query." + name))
		if err != nil {
			return nil, nil, fmt.Errorf("message %s: %v", name, err)
		}
		md := mt.Descriptor()
		msg.goType = reflect.TypeOf(mt.Zero().Interface()).Elem()
		seen := map[string]bool{}
		for i := range msg.fields {
			f := &msg.fields[i]
			f.desc = md.Fields().ByName(protoreflect.Name(f.name))
			if f.desc == nil {
				return nil, nil, fmt.Errorf("%s.%s: no such protobuf field", name, f.name)
			}
			if seen[f.name] {
				return nil, nil, fmt.Errorf("%s.%s: written twice", name, f.name)
			}
			seen[f.name] = true
			if f.goField, err = goFieldName(msg.goType, f.name); err != nil {
				return nil, nil, err
			}
			if err := checkKind(name, f); err != nil {
				return nil, nil, err
			}
		}
	}

	// The Node oneof: C tag -> protobuf field -> Go wrapper.
	nodeDesc := (&pg.Node{}).ProtoReflect().Descriptor()
	var cases []nodeCase
	maxTag := protoreflect.FieldNumber(0)
	for _, m := range outNode.FindAllStringSubmatch(string(conds), -1) {
		message, ctype := m[2], m[6]
		var fd protoreflect.FieldDescriptor
		for i := 0; i < nodeDesc.Fields().Len(); i++ {
			if f := nodeDesc.Fields().Get(i); f.Message() != nil && string(f.Message().Name()) == message {
				fd = f
			}
		}
		if fd == nil {
			return nil, nil, fmt.Errorf("node T_%s: Node has no field of message %s", m[1], message)
		}
		if msgs[message] == nil && !special[message] {
			return nil, nil, fmt.Errorf("node T_%s: no output function for %s", m[1], message)
		}
		wrapper, wfield := oneofWrapper(fd)
		cases = append(cases, nodeCase{tag: fd.Number(), ctag: "T_" + m[1], ctype: ctype, message: message, wrapper: wrapper, wfield: wfield})
		maxTag = max(maxTag, fd.Number())
	}
	if n := strings.Count(string(conds), "OUT_NODE("); n != len(cases) {
		return nil, nil, fmt.Errorf("pg_query_outfuncs_conds.c: read %d of its %d nodes", len(cases), n)
	}
	for name := range special {
		found := false
		for _, c := range cases {
			found = found || c.message == name
		}
		if !found {
			return nil, nil, fmt.Errorf("special node %s is not a Node alternative", name)
		}
	}

	// The enum conversions the writers use, copied from pg_query.
	usedEnums := map[string]bool{}
	for _, name := range order {
		for _, f := range msgs[name].fields {
			if f.macro == "ENUM" {
				usedEnums[f.typ] = true
			}
		}
	}
	enumSrc := map[string]string{}
	for _, m := range enumFunc.FindAllStringSubmatch(string(enums), -1) {
		if usedEnums[m[1]] {
			enumSrc[m[1]] = m[0]
		}
	}
	for e := range usedEnums {
		if enumSrc[e] == "" {
			return nil, nil, fmt.Errorf("enum %s: no _enumToInt%s in pg_query_enum_defs.c", e, e)
		}
	}

	version := filepath.Base(mod)
	cSrc = writeC(version, order, msgs, cases, maxTag+1, enumSrc)
	goSrc, err = writeGo(version, order, msgs, cases, maxTag+1)
	return cSrc, goSrc, err
}

// checkKind checks that a macro's wire form suits the protobuf field it fills.
func checkKind(msg string, f *field) error {
	d := f.desc
	want := map[string]protoreflect.Kind{
		"INT": protoreflect.Int32Kind, "UINT": protoreflect.Uint32Kind, "UINT64": protoreflect.Uint64Kind,
		"LONG": protoreflect.Int64Kind, "FLOAT": protoreflect.DoubleKind, "BOOL": protoreflect.BoolKind,
		"CHAR": protoreflect.StringKind, "STRING": protoreflect.StringKind, "ENUM": protoreflect.EnumKind,
		"LIST": protoreflect.MessageKind, "BITMAPSET": protoreflect.Uint64Kind, "NODE_PTR": protoreflect.MessageKind,
		"SPECIFIC_NODE_PTR": protoreflect.MessageKind, "SPECIFIC_NODE": protoreflect.MessageKind,
	}
	k, ok := want[f.macro]
	if !ok {
		return fmt.Errorf("%s.%s: unknown macro WRITE_%s", msg, f.name, f.macro)
	}
	repeated := f.macro == "LIST" || f.macro == "BITMAPSET"
	if d.Kind() != k || d.IsList() != repeated || d.ContainingOneof() != nil {
		return fmt.Errorf("%s.%s: WRITE_%s into a %v field (list %v)", msg, f.name, f.macro, d.Kind(), d.IsList())
	}
	switch f.macro {
	case "LIST", "NODE_PTR":
		if d.Message().Name() != "Node" {
			return fmt.Errorf("%s.%s: WRITE_%s into a %s", msg, f.name, f.macro, d.Message().Name())
		}
	case "SPECIFIC_NODE_PTR", "SPECIFIC_NODE":
		if string(d.Message().Name()) != f.typ {
			return fmt.Errorf("%s.%s: WRITE_%s(%s) into a %s", msg, f.name, f.macro, f.typ, d.Message().Name())
		}
	case "ENUM":
		if string(d.Enum().Name()) != f.typ {
			return fmt.Errorf("%s.%s: enum %s into a %s", msg, f.name, f.typ, d.Enum().Name())
		}
	}
	return nil
}

// goFieldName is the Go struct field that holds protobuf field name.
func goFieldName(t reflect.Type, name string) (string, error) {
	for i := 0; i < t.NumField(); i++ {
		for _, part := range strings.Split(t.Field(i).Tag.Get("protobuf"), ",") {
			if part == "name="+name {
				return t.Field(i).Name, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no Go field for %s", t.Name(), name)
}

// oneofWrapper is the Go type that carries Node alternative fd, and its field.
func oneofWrapper(fd protoreflect.FieldDescriptor) (reflect.Type, string) {
	n := &pg.Node{}
	m := n.ProtoReflect()
	m.Set(fd, m.NewField(fd))
	t := reflect.TypeOf(n.Node).Elem()
	return t, t.Field(0).Name
}

// The wire form pgtree's writer emits and its reader reads, field after field in the
// output function's order, no tags, no lengths: INT, LONG and ENUM as zigzag varints;
// UINT and UINT64 as varints; BOOL and CHAR as one byte; FLOAT as 8 bytes little
// endian; STRING as its length in bytes (0 for NULL) while its bytes go to a second
// buffer; LIST as a count then that many nodes; BITMAPSET as a count then the
// members; a node as its Node field number (0 for NULL, emptyTag for a node pg_query
// leaves empty), then its fields; SPECIFIC_NODE_PTR as 0 (NULL) or 1 and the fields.

func writeC(version string, order []string, msgs map[string]*message, cases []nodeCase, emptyTag protoreflect.FieldNumber, enums map[string]string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/pgtree/gen from pg_query_go %s; DO NOT EDIT.\n\n", version)
	b.WriteString("#include \"write.h\"\n\n")
	fmt.Fprintf(&b, "#define PGTREE_EMPTY_NODE %d\n\n", emptyTag)
	names := make([]string, 0, len(enums))
	for e := range enums {
		names = append(names, e)
	}
	sort.Strings(names)
	for _, e := range names {
		b.WriteString(enums[e])
		b.WriteString("\n")
	}
	for _, name := range order {
		fmt.Fprintf(&b, "static void w%s(pgtree_out *w, const %s *node);\n", name, msgs[name].ctype)
	}
	b.WriteString("\n")
	for _, name := range order {
		msg := msgs[name]
		fmt.Fprintf(&b, "static void\nw%s(pgtree_out *w, const %s *node)\n{\n", name, msg.ctype)
		if len(msg.fields) == 0 {
			b.WriteString("  (void) w; (void) node;\n")
		}
		for _, f := range msg.fields {
			v := "node->" + f.cfield
			switch f.macro {
			case "INT", "LONG":
				fmt.Fprintf(&b, "  pgtree_sv(w, %s);\n", v)
			case "UINT", "UINT64":
				fmt.Fprintf(&b, "  pgtree_uv(w, %s);\n", v)
			case "BOOL":
				fmt.Fprintf(&b, "  pgtree_byte(w, %s != 0);\n", v)
			case "CHAR":
				fmt.Fprintf(&b, "  pgtree_byte(w, (unsigned char) %s);\n", v)
			case "FLOAT":
				fmt.Fprintf(&b, "  pgtree_f64(w, %s);\n", v)
			case "STRING":
				fmt.Fprintf(&b, "  pgtree_str(w, %s);\n", v)
			case "ENUM":
				fmt.Fprintf(&b, "  pgtree_sv(w, _enumToInt%s(%s));\n", f.typ, v)
			case "LIST":
				fmt.Fprintf(&b, "  pgtree_list(w, %s);\n", v)
			case "BITMAPSET":
				fmt.Fprintf(&b, "  pgtree_bitmapset(w, %s);\n", v)
			case "NODE_PTR":
				fmt.Fprintf(&b, "  pgtree_node(w, %s);\n", v)
			case "SPECIFIC_NODE_PTR":
				fmt.Fprintf(&b, "  if (%s == NULL)\n    pgtree_byte(w, 0);\n  else {\n    pgtree_byte(w, 1);\n    %s(w, %s);\n  }\n", v, writer(f.typ), v)
			case "SPECIFIC_NODE":
				fmt.Fprintf(&b, "  %s(w, &%s);\n", writer(f.typ), v)
			}
		}
		b.WriteString("}\n\n")
	}
	b.WriteString("void\npgtree_node(pgtree_out *w, const void *obj)\n{\n")
	b.WriteString("  if (obj == NULL) {\n    pgtree_uv(w, 0);\n    return;\n  }\n  switch (nodeTag(obj)) {\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "  case %s:\n    pgtree_uv(w, %d);\n    %s(w, (const %s *) obj);\n    break;\n", c.ctag, c.tag, writer(c.message), c.ctype)
	}
	b.WriteString("  default:\n    /* pg_query leaves a node it cannot write empty */\n    pgtree_uv(w, PGTREE_EMPTY_NODE);\n  }\n}\n\n")
	b.WriteString("void\npgtree_item(pgtree_out *w, const void *obj)\n{\n  if (obj == NULL)\n    pgtree_uv(w, PGTREE_EMPTY_NODE);\n  else\n    pgtree_node(w, obj);\n}\n\n")
	b.WriteString("void\npgtree_raw_stmt(pgtree_out *w, const RawStmt *node)\n{\n  wRawStmt(w, node);\n}\n")
	return b.Bytes()
}

// writer is the C function that writes a message's fields.
func writer(message string) string {
	if special[message] {
		return "pgtree_w" + message
	}
	return "w" + message
}

func writeGo(version string, order []string, msgs map[string]*message, cases []nodeCase, emptyTag protoreflect.FieldNumber) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/pgtree/gen from pg_query_go %s; DO NOT EDIT.\n\n", version)
	b.WriteString("package pgtree\n\nimport pg \"github.com/pganalyze/pg_query_go/v5\"\n\n")
	fmt.Fprintf(&b, "// emptyNode is the tag of a node pg_query leaves empty.\nconst emptyNode = %d\n\n", emptyTag)
	for _, c := range cases {
		// One allocation per node: the Node, its oneof wrapper and the message.
		fmt.Fprintf(&b, "type node%s struct {\n\tn pg.Node\n\tw pg.%s\n\tm pg.%s\n}\n\n", c.message, c.wrapper.Name(), c.message)
	}
	b.WriteString("// node reads a node; nil for NULL.\nfunc (d *decoder) node() *pg.Node {\n\tswitch d.uv() {\n\tcase 0:\n\t\treturn nil\n")
	fmt.Fprintf(&b, "\tcase emptyNode:\n\t\treturn &pg.Node{}\n")
	for _, c := range cases {
		if c.message == "String" {
			// Shared by equal strings within a parse (pgtree.go's stringNode).
			fmt.Fprintf(&b, "\tcase %d:\n\t\treturn d.stringNode()\n", c.tag)
			continue
		}
		fmt.Fprintf(&b, "\tcase %d:\n\t\tc := &node%s{}\n\t\tc.w.%s = &c.m\n\t\tc.n.Node = &c.w\n\t\td.read%s(&c.m)\n\t\treturn &c.n\n", c.tag, c.message, c.wfield, c.message)
	}
	b.WriteString("\t}\n\tpanic(errTag)\n}\n\n")
	for _, name := range order {
		msg := msgs[name]
		fmt.Fprintf(&b, "func (d *decoder) read%s(m *pg.%s) {\n", name, name)
		for _, f := range msg.fields {
			lhs := "m." + f.goField
			switch f.macro {
			case "INT":
				fmt.Fprintf(&b, "\t%s = int32(d.sv())\n", lhs)
			case "LONG":
				fmt.Fprintf(&b, "\t%s = d.sv()\n", lhs)
			case "UINT":
				fmt.Fprintf(&b, "\t%s = uint32(d.uv())\n", lhs)
			case "UINT64":
				fmt.Fprintf(&b, "\t%s = d.uv()\n", lhs)
			case "BOOL":
				fmt.Fprintf(&b, "\t%s = d.byte() != 0\n", lhs)
			case "CHAR":
				fmt.Fprintf(&b, "\t%s = d.char()\n", lhs)
			case "FLOAT":
				fmt.Fprintf(&b, "\t%s = d.f64()\n", lhs)
			case "STRING":
				fmt.Fprintf(&b, "\t%s = d.str()\n", lhs)
			case "ENUM":
				fmt.Fprintf(&b, "\t%s = pg.%s(d.sv())\n", lhs, f.desc.Enum().Name())
			case "LIST":
				fmt.Fprintf(&b, "\t%s = d.list()\n", lhs)
			case "BITMAPSET":
				fmt.Fprintf(&b, "\t%s = d.uints()\n", lhs)
			case "NODE_PTR":
				fmt.Fprintf(&b, "\t%s = d.node()\n", lhs)
			case "SPECIFIC_NODE_PTR":
				fmt.Fprintf(&b, "\tif d.byte() != 0 {\n\t\t%s = &pg.%s{}\n\t\td.read%s(%s)\n\t}\n", lhs, f.typ, f.typ, lhs)
			case "SPECIFIC_NODE":
				fmt.Fprintf(&b, "\t%s = &pg.%s{}\n\td.read%s(%s)\n", lhs, f.typ, f.typ, lhs)
			}
		}
		b.WriteString("}\n\n")
	}
	return format.Source(b.Bytes())
}

// GenerateWalk returns walk.go: Walk visits every Node under a node through the Go
// fields, in field-number order, as sqlast's walk over protobuf reflection did (which
// protobuf-go shuffles a little per binary; no caller depends on the order).
func GenerateWalk() ([]byte, error) {
	file := (&pg.Node{}).ProtoReflect().Descriptor().ParentFile()
	msgs := file.Messages()
	// holds: the message types that can hold a Node, directly or below; grown to a
	// fixpoint, since the types refer to one another in cycles.
	holdsSet := map[protoreflect.FullName]bool{"pg_query.Node": true}
	for grew := true; grew; {
		grew = false
		for i := 0; i < msgs.Len(); i++ {
			md := msgs.Get(i)
			if holdsSet[md.FullName()] {
				continue
			}
			for j := 0; j < md.Fields().Len(); j++ {
				if f := md.Fields().Get(j); f.Message() != nil && holdsSet[f.Message().FullName()] {
					holdsSet[md.FullName()], grew = true, true
					break
				}
			}
		}
	}
	holds := func(md protoreflect.MessageDescriptor) bool { return holdsSet[md.FullName()] }
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/pgtree/gen from pg_query_go's descriptors; DO NOT EDIT.\n\n")
	b.WriteString("package pgtree\n\nimport pg \"github.com/pganalyze/pg_query_go/v5\"\n\n")
	b.WriteString("// Walk calls fn for n and every Node below it, depth first, parents before children.\n")
	b.WriteString("func Walk(n *pg.Node, fn func(*pg.Node)) {\n\tif n == nil {\n\t\treturn\n\t}\n\tfn(n)\n\twalkNode(n, fn)\n}\n\n")
	// The Node oneof.
	node := (&pg.Node{}).ProtoReflect().Descriptor()
	b.WriteString("// walkNode walks what the node holds (not the node itself).\nfunc walkNode(n *pg.Node, fn func(*pg.Node)) {\n\tswitch x := n.Node.(type) {\n")
	for i := 0; i < node.Fields().Len(); i++ {
		fd := node.Fields().Get(i)
		if !holds(fd.Message()) {
			continue
		}
		wrapper, wfield := oneofWrapper(fd)
		fmt.Fprintf(&b, "\tcase *pg.%s:\n\t\twalk%s(x.%s, fn)\n", wrapper.Name(), fd.Message().Name(), wfield)
	}
	b.WriteString("\t}\n}\n\n")
	for i := 0; i < msgs.Len(); i++ {
		md := msgs.Get(i)
		if md.Name() == "Node" || !holds(md) {
			continue
		}
		mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
		if err != nil {
			return nil, err
		}
		gt := reflect.TypeOf(mt.Zero().Interface()).Elem()
		fmt.Fprintf(&b, "func walk%s(m *pg.%s, fn func(*pg.Node)) {\n\tif m == nil {\n\t\treturn\n\t}\n", md.Name(), gt.Name())
		for j := 0; j < md.Fields().Len(); j++ {
			fd := md.Fields().Get(j)
			if fd.Message() == nil || !holds(fd.Message()) {
				continue
			}
			if fd.ContainingOneof() != nil {
				return nil, fmt.Errorf("%s.%s: a oneof holding nodes", md.Name(), fd.Name())
			}
			name, err := goFieldName(gt, string(fd.Name()))
			if err != nil {
				return nil, err
			}
			switch {
			case fd.IsList() && fd.Message().Name() == "Node":
				fmt.Fprintf(&b, "\tfor _, x := range m.%s {\n\t\tWalk(x, fn)\n\t}\n", name)
			case fd.IsList():
				fmt.Fprintf(&b, "\tfor _, x := range m.%s {\n\t\twalk%s(x, fn)\n\t}\n", name, fd.Message().Name())
			case fd.Message().Name() == "Node":
				fmt.Fprintf(&b, "\tWalk(m.%s, fn)\n", name)
			default:
				fmt.Fprintf(&b, "\twalk%s(m.%s, fn)\n", fd.Message().Name(), name)
			}
		}
		b.WriteString("}\n\n")
	}
	return format.Source(b.Bytes())
}
