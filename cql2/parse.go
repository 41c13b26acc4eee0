package cql2

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Expr is a boolean expression of the AST.
type Expr interface{ Position() int }

// Scalar is a value: a property or a literal.
type Scalar interface{ Position() int }

// Logical is AND or OR of two or more expressions.
type Logical struct {
	Op   string // "AND" or "OR"
	Args []Expr
	Pos  int
}

// Not negates an expression.
type Not struct {
	Arg Expr
	Pos int
}

// Compare is left op right with op one of = <> < > <= >=.
type Compare struct {
	Op          string
	Left, Right Scalar
	Pos         int // of the operator
}

// Like is value [NOT] LIKE pattern (% any run, _ one character, \ escapes).
type Like struct {
	Not            bool
	Value, Pattern Scalar
	Pos            int
}

// Between is value [NOT] BETWEEN low AND high.
type Between struct {
	Not              bool
	Value, Low, High Scalar
	Pos              int
}

// In is value [NOT] IN (list).
type In struct {
	Not   bool
	Value Scalar
	List  []Scalar
	Pos   int
}

// IsNull is value IS [NOT] NULL.
type IsNull struct {
	Not   bool
	Value Scalar
	Pos   int
}

// Spatial is a spatial function of two geometry operands (S_INTERSECTS).
type Spatial struct {
	Op          string
	Left, Right Scalar // Property or Geometry
	Pos         int
}

// BoolLit is TRUE or FALSE used as a predicate.
type BoolLit struct {
	Value bool
	Pos   int
}

// Property names a property of the features.
type Property struct {
	Name string
	Pos  int
}

// String is a character literal.
type String struct {
	Value string
	Pos   int
}

// Number is a numeric literal.
type Number struct {
	Value float64
	Pos   int
}

// Bool is TRUE or FALSE as a value.
type Bool struct {
	Value bool
	Pos   int
}

// Date is DATE('YYYY-MM-DD').
type Date struct {
	Value time.Time
	Pos   int
}

// Timestamp is TIMESTAMP('RFC 3339 date-time').
type Timestamp struct {
	Value time.Time
	Pos   int
}

// Geometry is a WKT geometry literal in CRS84.
type Geometry struct {
	Value orb.Geometry
	Pos   int
}

// BBox is BBOX(minx, miny, maxx, maxy) in CRS84; MinX > MaxX crosses the antimeridian.
type BBox struct {
	MinX, MinY, MaxX, MaxY float64
	Pos                    int
}

func (e *Logical) Position() int   { return e.Pos }
func (e *Not) Position() int       { return e.Pos }
func (e *Compare) Position() int   { return e.Pos }
func (e *Like) Position() int      { return e.Pos }
func (e *Between) Position() int   { return e.Pos }
func (e *In) Position() int        { return e.Pos }
func (e *IsNull) Position() int    { return e.Pos }
func (e *Spatial) Position() int   { return e.Pos }
func (e *BoolLit) Position() int   { return e.Pos }
func (e *Property) Position() int  { return e.Pos }
func (e *String) Position() int    { return e.Pos }
func (e *Number) Position() int    { return e.Pos }
func (e *Bool) Position() int      { return e.Pos }
func (e *Date) Position() int      { return e.Pos }
func (e *Timestamp) Position() int { return e.Pos }
func (e *Geometry) Position() int  { return e.Pos }
func (e *BBox) Position() int      { return e.Pos }

// MaxDepth bounds how deeply expressions nest (parentheses, NOT, geometry
// collections), so a hostile filter cannot exhaust the stack.
const MaxDepth = 32

// MaxLength bounds a filter, in characters.
const MaxLength = 4096

// Parse parses a CQL2 text filter.
func Parse(src string) (Expr, error) {
	if n := len([]rune(src)); n > MaxLength {
		return nil, Errorf(MaxLength+1, "the filter is longer than %d characters", MaxLength)
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, Errorf(1, "the filter is empty")
	}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, Errorf(t.pos, "expected AND, OR or the end of the filter, found %s", t.describe())
	}
	return e, nil
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// keyword reports whether the next token is the (case-insensitive) keyword kw.
func (p *parser) keyword(kw string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) keywordAt(offset int, kw string) bool {
	if p.i+offset >= len(p.toks) {
		return false
	}
	t := p.toks[p.i+offset]
	return t.kind == tIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) expect(kind tokKind, what string) (token, error) {
	t := p.peek()
	if t.kind != kind {
		return t, Errorf(t.pos, "expected %s, found %s", what, t.describe())
	}
	return p.next(), nil
}

func (p *parser) deeper(depth int) error {
	if depth >= MaxDepth {
		return Errorf(p.peek().pos, "the filter nests more than %d levels deep", MaxDepth)
	}
	return nil
}

func (p *parser) or(depth int) (Expr, error) {
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	if !p.keyword("OR") {
		return first, nil
	}
	out := &Logical{Op: "OR", Args: []Expr{first}, Pos: p.peek().pos}
	for p.keyword("OR") {
		p.next()
		e, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, e)
	}
	return out, nil
}

func (p *parser) and(depth int) (Expr, error) {
	first, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	if !p.keyword("AND") {
		return first, nil
	}
	out := &Logical{Op: "AND", Args: []Expr{first}, Pos: p.peek().pos}
	for p.keyword("AND") {
		p.next()
		e, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, e)
	}
	return out, nil
}

func (p *parser) not(depth int) (Expr, error) {
	if p.keyword("NOT") {
		if err := p.deeper(depth); err != nil {
			return nil, err
		}
		t := p.next()
		e, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Not{Arg: e, Pos: t.pos}, nil
	}
	return p.primary(depth)
}

// spatialFunctions are the CQL2 spatial predicates; only S_INTERSECTS is implemented.
var spatialFunctions = map[string]bool{"S_INTERSECTS": true, "S_EQUALS": false, "S_DISJOINT": false, "S_TOUCHES": false,
	"S_WITHIN": false, "S_OVERLAPS": false, "S_CROSSES": false, "S_CONTAINS": false}

func (p *parser) primary(depth int) (Expr, error) {
	t := p.peek()
	if t.kind == tLParen {
		if err := p.deeper(depth); err != nil {
			return nil, err
		}
		p.next()
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen, "a closing parenthesis"); err != nil {
			return nil, err
		}
		return e, nil
	}
	if t.kind == tIdent {
		up := strings.ToUpper(t.text)
		if implemented, ok := spatialFunctions[up]; ok {
			if !implemented {
				return nil, Errorf(t.pos, "%s is not supported; the only spatial function is S_INTERSECTS", up)
			}
			return p.spatial(depth)
		}
		if strings.HasPrefix(up, "T_") || strings.HasPrefix(up, "A_") {
			return nil, Errorf(t.pos, "%s is not supported (temporal and array functions are not implemented)", up)
		}
		if (up == "TRUE" || up == "FALSE") && !p.startsComparison(1) {
			p.next()
			return &BoolLit{Value: up == "TRUE", Pos: t.pos}, nil
		}
	}
	return p.predicate(depth)
}

// startsComparison reports whether the token at offset begins the operator
// part of a predicate (so TRUE = x is a comparison, not a literal predicate).
func (p *parser) startsComparison(offset int) bool {
	if p.i+offset >= len(p.toks) {
		return false
	}
	t := p.toks[p.i+offset]
	if t.kind == tOp {
		return true
	}
	for _, kw := range []string{"LIKE", "BETWEEN", "IN", "IS", "NOT"} {
		if p.keywordAt(offset, kw) {
			return true
		}
	}
	return false
}

func (p *parser) predicate(depth int) (Expr, error) {
	left, err := p.scalar(depth)
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tOp {
		p.next()
		right, err := p.scalar(depth)
		if err != nil {
			return nil, err
		}
		return &Compare{Op: t.text, Left: left, Right: right, Pos: t.pos}, nil
	}
	negated := false
	if p.keyword("NOT") {
		negated = true
		p.next()
		if !p.keyword("LIKE") && !p.keyword("BETWEEN") && !p.keyword("IN") {
			u := p.peek()
			return nil, Errorf(u.pos, "expected LIKE, BETWEEN or IN after NOT, found %s", u.describe())
		}
	}
	op := p.peek()
	switch {
	case p.keyword("LIKE"):
		p.next()
		pat, err := p.scalar(depth)
		if err != nil {
			return nil, err
		}
		return &Like{Not: negated, Value: left, Pattern: pat, Pos: op.pos}, nil
	case p.keyword("BETWEEN"):
		p.next()
		low, err := p.scalar(depth)
		if err != nil {
			return nil, err
		}
		if !p.keyword("AND") {
			u := p.peek()
			return nil, Errorf(u.pos, "expected AND in BETWEEN … AND …, found %s", u.describe())
		}
		p.next()
		high, err := p.scalar(depth)
		if err != nil {
			return nil, err
		}
		return &Between{Not: negated, Value: left, Low: low, High: high, Pos: op.pos}, nil
	case p.keyword("IN"):
		p.next()
		if _, err := p.expect(tLParen, "( after IN"); err != nil {
			return nil, err
		}
		in := &In{Not: negated, Value: left, Pos: op.pos}
		for {
			v, err := p.scalar(depth)
			if err != nil {
				return nil, err
			}
			in.List = append(in.List, v)
			if p.peek().kind == tComma {
				p.next()
				continue
			}
			if _, err := p.expect(tRParen, ", or ) in the IN list"); err != nil {
				return nil, err
			}
			return in, nil
		}
	case p.keyword("IS") && !negated:
		p.next()
		not := false
		if p.keyword("NOT") {
			p.next()
			not = true
		}
		if !p.keyword("NULL") {
			u := p.peek()
			return nil, Errorf(u.pos, "expected NULL after IS, found %s", u.describe())
		}
		p.next()
		return &IsNull{Not: not, Value: left, Pos: op.pos}, nil
	}
	return nil, Errorf(op.pos, "expected a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN or IS NULL), found %s", op.describe())
}

// scalar reads a property name or a literal.
func (p *parser) scalar(depth int) (Scalar, error) {
	t := p.peek()
	switch t.kind {
	case tString:
		p.next()
		return &String{Value: t.text, Pos: t.pos}, nil
	case tNumber:
		p.next()
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, Errorf(t.pos, "%q is not a finite number", clip(t.text))
		}
		return &Number{Value: f, Pos: t.pos}, nil
	case tQuotedIdent:
		p.next()
		return &Property{Name: t.text, Pos: t.pos}, nil
	case tIdent:
		up := strings.ToUpper(t.text)
		switch up {
		case "TRUE", "FALSE":
			p.next()
			return &Bool{Value: up == "TRUE", Pos: t.pos}, nil
		case "DATE", "TIMESTAMP":
			if p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tLParen {
				return p.temporal(up)
			}
		case "BBOX":
			if p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tLParen {
				return p.bbox()
			}
		case "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION":
			return p.geometry(depth)
		case "CASEI", "ACCENTI":
			return nil, Errorf(t.pos, "%s is not supported (case- and accent-insensitive comparison is not implemented)", up)
		case "INTERVAL":
			return nil, Errorf(t.pos, "INTERVAL is not supported (temporal functions are not implemented)")
		case "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL":
			return nil, Errorf(t.pos, "expected a property name or a value, found the keyword %s", up)
		}
		if p.i+1 < len(p.toks) && p.toks[p.i+1].kind == tLParen {
			return nil, Errorf(t.pos, "unknown function %s", clip(t.text))
		}
		p.next()
		return &Property{Name: t.text, Pos: t.pos}, nil
	}
	return nil, Errorf(t.pos, "expected a property name or a value, found %s", t.describe())
}

func (p *parser) temporal(kind string) (Scalar, error) {
	start := p.next()
	p.next() // (
	s, err := p.expect(tString, "a quoted "+strings.ToLower(kind))
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, "a closing parenthesis"); err != nil {
		return nil, err
	}
	if kind == "DATE" {
		d, err := time.Parse(time.DateOnly, s.text)
		if err != nil {
			return nil, Errorf(s.pos, "'%s' is not a date YYYY-MM-DD", clip(s.text))
		}
		return &Date{Value: d, Pos: start.pos}, nil
	}
	ts, err := time.Parse(time.RFC3339Nano, s.text)
	if err != nil {
		return nil, Errorf(s.pos, "'%s' is not an RFC 3339 timestamp such as 2020-01-31T12:00:00Z", clip(s.text))
	}
	return &Timestamp{Value: ts.UTC(), Pos: start.pos}, nil
}

func (p *parser) number() (float64, token, error) {
	t := p.peek()
	if t.kind != tNumber {
		return 0, t, Errorf(t.pos, "expected a number, found %s", t.describe())
	}
	s, err := p.scalar(0)
	if err != nil {
		return 0, t, err
	}
	return s.(*Number).Value, t, nil
}

func (p *parser) bbox() (Scalar, error) {
	start := p.next()
	p.next() // (
	var v []float64
	for {
		f, _, err := p.number()
		if err != nil {
			return nil, err
		}
		v = append(v, f)
		if p.peek().kind == tComma {
			p.next()
			continue
		}
		break
	}
	if _, err := p.expect(tRParen, ", or ) in BBOX"); err != nil {
		return nil, err
	}
	switch len(v) {
	case 4:
	case 6:
		v = []float64{v[0], v[1], v[3], v[4]}
	default:
		return nil, Errorf(start.pos, "BBOX takes 4 numbers (minx, miny, maxx, maxy) or 6 with heights, got %d", len(v))
	}
	b := &BBox{MinX: v[0], MinY: v[1], MaxX: v[2], MaxY: v[3], Pos: start.pos}
	for _, x := range []float64{b.MinX, b.MaxX} {
		if x < -180 || x > 180 {
			return nil, Errorf(start.pos, "BBOX longitude %v is outside [-180, 180]", x)
		}
	}
	for _, y := range []float64{b.MinY, b.MaxY} {
		if y < -90 || y > 90 {
			return nil, Errorf(start.pos, "BBOX latitude %v is outside [-90, 90]", y)
		}
	}
	if b.MinY > b.MaxY {
		return nil, Errorf(start.pos, "BBOX miny %v is greater than maxy %v", b.MinY, b.MaxY)
	}
	return b, nil
}

func (p *parser) spatial(depth int) (Expr, error) {
	fn := p.next()
	if _, err := p.expect(tLParen, "( after "+strings.ToUpper(fn.text)); err != nil {
		return nil, err
	}
	a, err := p.scalar(depth)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tComma, ", between the two geometries"); err != nil {
		return nil, err
	}
	b, err := p.scalar(depth)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, ") after the two geometries"); err != nil {
		return nil, err
	}
	return &Spatial{Op: strings.ToUpper(fn.text), Left: a, Right: b, Pos: fn.pos}, nil
}

// geometry reads a WKT geometry (2D, CRS84).
func (p *parser) geometry(depth int) (Scalar, error) {
	start := p.peek()
	g, err := p.wkt(depth)
	if err != nil {
		return nil, err
	}
	return &Geometry{Value: g, Pos: start.pos}, nil
}

func (p *parser) wkt(depth int) (orb.Geometry, error) {
	if err := p.deeper(depth); err != nil {
		return nil, err
	}
	t := p.next()
	kind := strings.ToUpper(t.text)
	if t.kind != tIdent {
		return nil, Errorf(t.pos, "expected a WKT geometry, found %s", t.describe())
	}
	if p.keyword("Z") || p.keyword("M") || p.keyword("ZM") || p.keyword("EMPTY") {
		u := p.peek()
		return nil, Errorf(u.pos, "%s %s geometries are not supported (2D only, not empty)", kind, strings.ToUpper(u.text))
	}
	if _, err := p.expect(tLParen, "( after "+kind); err != nil {
		return nil, err
	}
	var g orb.Geometry
	var err error
	closed := false // LINESTRING and POLYGON bodies consume their closing parenthesis
	switch kind {
	case "POINT":
		var pt orb.Point
		if pt, err = p.point(); err == nil {
			g = pt
		}
	case "LINESTRING":
		var ls orb.LineString
		if ls, err = p.points(2, false); err == nil {
			g = ls
		}
		closed = true
	case "POLYGON":
		var pg orb.Polygon
		if pg, err = p.polygonBody(); err == nil {
			g = pg
		}
		closed = true
	case "MULTIPOINT":
		var mp orb.MultiPoint
		mp, err = p.multiPoint()
		g = mp
	case "MULTILINESTRING":
		var ml orb.MultiLineString
		for err == nil {
			if _, err = p.expect(tLParen, "( starting a line"); err != nil {
				break
			}
			var ls orb.LineString
			if ls, err = p.points(2, false); err != nil {
				break
			}
			ml = append(ml, ls)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
		g = ml
	case "MULTIPOLYGON":
		var mp orb.MultiPolygon
		for err == nil {
			if _, err = p.expect(tLParen, "( starting a polygon"); err != nil {
				break
			}
			var pg orb.Polygon
			if pg, err = p.polygonBody(); err != nil {
				break
			}
			mp = append(mp, pg)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
		g = mp
	case "GEOMETRYCOLLECTION":
		var gc orb.Collection
		for err == nil {
			var member orb.Geometry
			if member, err = p.wkt(depth + 1); err != nil {
				break
			}
			gc = append(gc, member)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
		g = gc
	default:
		return nil, Errorf(t.pos, "unknown geometry type %s", clip(kind))
	}
	if err != nil {
		return nil, err
	}
	if !closed {
		if _, err := p.expect(tRParen, ") closing the "+kind); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// point reads "x y" (the parenthesis around it is the caller's).
func (p *parser) point() (orb.Point, error) {
	x, xt, err := p.number()
	if err != nil {
		return orb.Point{}, err
	}
	y, _, err := p.number()
	if err != nil {
		return orb.Point{}, err
	}
	if t := p.peek(); t.kind == tNumber {
		return orb.Point{}, Errorf(t.pos, "only 2D coordinates (longitude latitude) are supported")
	}
	if x < -180 || x > 180 || y < -90 || y > 90 {
		return orb.Point{}, Errorf(xt.pos, "coordinate (%v %v) is outside CRS84 longitude [-180, 180], latitude [-90, 90]", x, y)
	}
	return orb.Point{x, y}, nil
}

// points reads "x y, x y, …)" with at least min points, consuming the
// closing parenthesis; ring asks for a closed ring.
func (p *parser) points(min int, ring bool) ([]orb.Point, error) {
	start := p.peek()
	var out []orb.Point
	for {
		pt, err := p.point()
		if err != nil {
			return nil, err
		}
		out = append(out, pt)
		if p.peek().kind == tComma {
			p.next()
			continue
		}
		break
	}
	if _, err := p.expect(tRParen, ", or ) in the coordinate list"); err != nil {
		return nil, err
	}
	if len(out) < min {
		return nil, Errorf(start.pos, "needs at least %d points, has %d", min, len(out))
	}
	if ring && out[0] != out[len(out)-1] {
		return nil, Errorf(start.pos, "a polygon ring must end at its first point")
	}
	return out, nil
}

// polygonBody reads "(ring), (ring))" after the polygon's opening parenthesis.
func (p *parser) polygonBody() (orb.Polygon, error) {
	var pg orb.Polygon
	for {
		if _, err := p.expect(tLParen, "( starting a ring"); err != nil {
			return nil, err
		}
		r, err := p.points(4, true)
		if err != nil {
			return nil, err
		}
		pg = append(pg, orb.Ring(r))
		if p.peek().kind != tComma {
			break
		}
		p.next()
	}
	if _, err := p.expect(tRParen, ", or ) after a ring"); err != nil {
		return nil, err
	}
	return pg, nil
}

// multiPoint reads "(x y), (x y))" or "x y, x y)".
func (p *parser) multiPoint() (orb.MultiPoint, error) {
	var mp orb.MultiPoint
	for {
		wrapped := p.peek().kind == tLParen
		if wrapped {
			p.next()
		}
		pt, err := p.point()
		if err != nil {
			return nil, err
		}
		if wrapped {
			if _, err := p.expect(tRParen, ") after the point"); err != nil {
				return nil, err
			}
		}
		mp = append(mp, pt)
		if p.peek().kind != tComma {
			break
		}
		p.next()
	}
	return mp, nil
}

// Format renders an AST back as CQL2 text (for tests and logs).
func Format(e Expr) string {
	var b strings.Builder
	format(&b, e)
	return b.String()
}

func format(b *strings.Builder, e Expr) {
	switch x := e.(type) {
	case *Logical:
		b.WriteByte('(')
		for i, a := range x.Args {
			if i > 0 {
				b.WriteString(" " + x.Op + " ")
			}
			format(b, a)
		}
		b.WriteByte(')')
	case *Not:
		b.WriteString("NOT ")
		format(b, x.Arg)
	case *Compare:
		format(b, x.Left)
		b.WriteString(" " + x.Op + " ")
		format(b, x.Right)
	case *Like:
		format(b, x.Value)
		b.WriteString(not(x.Not) + " LIKE ")
		format(b, x.Pattern)
	case *Between:
		format(b, x.Value)
		b.WriteString(not(x.Not) + " BETWEEN ")
		format(b, x.Low)
		b.WriteString(" AND ")
		format(b, x.High)
	case *In:
		format(b, x.Value)
		b.WriteString(not(x.Not) + " IN (")
		for i, v := range x.List {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, v)
		}
		b.WriteByte(')')
	case *IsNull:
		format(b, x.Value)
		if x.Not {
			b.WriteString(" IS NOT NULL")
		} else {
			b.WriteString(" IS NULL")
		}
	case *Spatial:
		b.WriteString(x.Op + "(")
		format(b, x.Left)
		b.WriteString(", ")
		format(b, x.Right)
		b.WriteByte(')')
	case *BoolLit:
		fmt.Fprintf(b, "%t", x.Value)
	case *Property:
		b.WriteString(`"` + x.Name + `"`) // the lexer admits no " inside a quoted name
	case *String:
		b.WriteString("'" + strings.ReplaceAll(x.Value, "'", "''") + "'")
	case *Number:
		b.WriteString(strconv.FormatFloat(x.Value, 'g', -1, 64))
	case *Bool:
		fmt.Fprintf(b, "%t", x.Value)
	case *Date:
		b.WriteString("DATE('" + x.Value.Format(time.DateOnly) + "')")
	case *Timestamp:
		b.WriteString("TIMESTAMP('" + x.Value.Format(time.RFC3339Nano) + "')")
	case *BBox:
		fmt.Fprintf(b, "BBOX(%v, %v, %v, %v)", x.MinX, x.MinY, x.MaxX, x.MaxY)
	case *Geometry:
		fmt.Fprintf(b, "%s", wktOf(x.Value))
	}
}

func not(n bool) string {
	if n {
		return " NOT"
	}
	return ""
}

func wktOf(g orb.Geometry) string {
	coords := func(ps []orb.Point) string {
		parts := make([]string, len(ps))
		for i, p := range ps {
			parts[i] = strconv.FormatFloat(p[0], 'g', -1, 64) + " " + strconv.FormatFloat(p[1], 'g', -1, 64)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	poly := func(pg orb.Polygon) string {
		parts := make([]string, len(pg))
		for i, r := range pg {
			parts[i] = coords(r)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	switch v := g.(type) {
	case orb.Point:
		return "POINT" + coords([]orb.Point{v})
	case orb.LineString:
		return "LINESTRING" + coords(v)
	case orb.Polygon:
		return "POLYGON" + poly(v)
	case orb.MultiPoint:
		return "MULTIPOINT" + coords(v)
	case orb.MultiLineString:
		parts := make([]string, len(v))
		for i, l := range v {
			parts[i] = coords(l)
		}
		return "MULTILINESTRING(" + strings.Join(parts, ", ") + ")"
	case orb.MultiPolygon:
		parts := make([]string, len(v))
		for i, pg := range v {
			parts[i] = poly(pg)
		}
		return "MULTIPOLYGON(" + strings.Join(parts, ", ") + ")"
	case orb.Collection:
		parts := make([]string, len(v))
		for i, m := range v {
			parts[i] = wktOf(m)
		}
		return "GEOMETRYCOLLECTION(" + strings.Join(parts, ", ") + ")"
	}
	return "?"
}
