package store

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/scs-diffusion/tracker/cql2"
)

// CQLFilter is a parsed CQL2 filter used as a Condition. Translation
// checks every property against the collection's queryables and every
// operand's type, and binds every literal as a parameter: no text of the
// filter reaches the SQL except through the queryables' own expressions.
type CQLFilter struct{ Expr cql2.Expr }

// SQL translates the filter for a collection.
func (f CQLFilter) SQL(coll Collection, args *Args) (string, error) {
	if _, ok := collections[coll]; !ok {
		return "", fmt.Errorf("cql2: unknown collection %q", coll)
	}
	t := &translator{coll: coll, args: args}
	return t.expr(f.Expr)
}

// CheckFilter reports a filter's errors of meaning (unknown properties,
// operands of the wrong type) as a *cql2.Error, without querying.
func CheckFilter(coll Collection, e cql2.Expr) error {
	_, err := CQLFilter{e}.SQL(coll, &Args{})
	return err
}

type translator struct {
	coll Collection
	args *Args
}

func (t *translator) expr(e cql2.Expr) (string, error) {
	switch x := e.(type) {
	case *cql2.Logical:
		parts := make([]string, 0, len(x.Args))
		for _, a := range x.Args {
			s, err := t.expr(a)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return "(" + strings.Join(parts, " "+x.Op+" ") + ")", nil
	case *cql2.Not:
		s, err := t.expr(x.Arg)
		if err != nil {
			return "", err
		}
		return "(NOT " + s + ")", nil
	case *cql2.BoolLit:
		if x.Value {
			return "TRUE", nil
		}
		return "FALSE", nil
	case *cql2.Compare:
		l, lt, err := t.scalar(x.Left)
		if err != nil {
			return "", err
		}
		r, rt, err := t.scalar(x.Right)
		if err != nil {
			return "", err
		}
		if err := comparable(x.Pos, x.Op, x.Left, lt, x.Right, rt); err != nil {
			return "", err
		}
		if lt == QBoolean && x.Op != "=" && x.Op != "<>" {
			return "", cql2.Errorf(x.Pos, "booleans compare only with = and <>")
		}
		return "(" + l + " " + x.Op + " " + r + ")", nil
	case *cql2.Like:
		v, vt, err := t.scalar(x.Value)
		if err != nil {
			return "", err
		}
		p, pt, err := t.scalar(x.Pattern)
		if err != nil {
			return "", err
		}
		if vt != QString {
			return "", cql2.Errorf(x.Value.Position(), "LIKE needs text, and %s is %s", cqlName(x.Value), article(vt))
		}
		if pt != QString {
			return "", cql2.Errorf(x.Pattern.Position(), "the LIKE pattern must be text, not %s", article(pt))
		}
		return "(" + v + not(x.Not) + " LIKE " + p + ")", nil
	case *cql2.Between:
		v, vt, err := t.scalar(x.Value)
		if err != nil {
			return "", err
		}
		lo, lot, err := t.scalar(x.Low)
		if err != nil {
			return "", err
		}
		hi, hit, err := t.scalar(x.High)
		if err != nil {
			return "", err
		}
		if !ordered(vt) {
			return "", cql2.Errorf(x.Value.Position(), "BETWEEN needs a number, date or timestamp, and %s is %s", cqlName(x.Value), article(vt))
		}
		if err := comparable(x.Pos, "BETWEEN", x.Value, vt, x.Low, lot); err != nil {
			return "", err
		}
		if err := comparable(x.Pos, "BETWEEN", x.Value, vt, x.High, hit); err != nil {
			return "", err
		}
		return "(" + v + not(x.Not) + " BETWEEN " + lo + " AND " + hi + ")", nil
	case *cql2.In:
		v, vt, err := t.scalar(x.Value)
		if err != nil {
			return "", err
		}
		list := make([]string, 0, len(x.List))
		for _, item := range x.List {
			s, st, err := t.scalar(item)
			if err != nil {
				return "", err
			}
			if err := comparable(item.Position(), "IN", x.Value, vt, item, st); err != nil {
				return "", err
			}
			list = append(list, s)
		}
		return "(" + v + not(x.Not) + " IN (" + strings.Join(list, ", ") + "))", nil
	case *cql2.IsNull:
		v, vt, err := t.scalar(x.Value)
		if err != nil {
			return "", err
		}
		if vt == QGeometry {
			return "", cql2.Errorf(x.Pos, "every feature has a geometry; IS NULL does not apply to %s", cqlName(x.Value))
		}
		if x.Not {
			return "(" + v + " IS NOT NULL)", nil
		}
		return "(" + v + " IS NULL)", nil
	case *cql2.Spatial:
		return t.spatial(x)
	}
	return "", cql2.Errorf(e.Position(), "unsupported expression")
}

func not(n bool) string {
	if n {
		return " NOT"
	}
	return ""
}

// scalar returns the SQL of a value and its queryable type.
func (t *translator) scalar(s cql2.Scalar) (string, string, error) {
	switch x := s.(type) {
	case *cql2.Property:
		q, ok := FindQueryable(t.coll, x.Name)
		if !ok {
			names := make([]string, 0, len(collections[t.coll].queryables))
			for _, q := range collections[t.coll].queryables {
				names = append(names, q.Name)
			}
			return "", "", cql2.Errorf(x.Pos, "unknown property %q; the queryables of %s are %s", clipName(x.Name), t.coll, strings.Join(names, ", "))
		}
		return q.sql, q.Type, nil
	case *cql2.String:
		return t.args.Bind(x.Value) + "::text", QString, nil
	case *cql2.Number:
		return t.args.Bind(x.Value) + "::float8", QNumber, nil
	case *cql2.Bool:
		return t.args.Bind(x.Value) + "::boolean", QBoolean, nil
	case *cql2.Date:
		return t.args.Bind(x.Value) + "::date", QDate, nil
	case *cql2.Timestamp:
		return t.args.Bind(x.Value) + "::timestamptz", QTimestamp, nil
	case *cql2.BBox, *cql2.Geometry:
		return "", QGeometry, nil // only inside a spatial function
	}
	return "", "", cql2.Errorf(s.Position(), "unsupported value")
}

func (t *translator) spatial(x *cql2.Spatial) (string, error) {
	prop, lit := x.Left, x.Right
	if _, ok := prop.(*cql2.Property); !ok {
		prop, lit = lit, prop
	}
	p, ok := prop.(*cql2.Property)
	if !ok {
		return "", cql2.Errorf(x.Pos, "%s needs the geometry property and a geometry, not two literals", x.Op)
	}
	col, typ, err := t.scalar(p)
	if err != nil {
		return "", err
	}
	if typ != QGeometry {
		return "", cql2.Errorf(p.Pos, "%s is %s, not a geometry", cqlName(p), article(typ))
	}
	switch g := lit.(type) {
	case *cql2.BBox:
		env := func(minx, maxx float64) string {
			return fmt.Sprintf("ST_Intersects(%s, ST_MakeEnvelope(%s, %s, %s, %s, 4326))", col,
				t.args.Bind(minx), t.args.Bind(g.MinY), t.args.Bind(maxx), t.args.Bind(g.MaxY))
		}
		if g.MinX > g.MaxX { // across the antimeridian: one box on each side
			return "(" + env(g.MinX, 180) + " OR " + env(-180, g.MaxX) + ")", nil
		}
		return env(g.MinX, g.MaxX), nil
	case *cql2.Geometry:
		b, err := wkb.Marshal(orb.Clone(g.Value))
		if err != nil {
			return "", cql2.Errorf(g.Pos, "the geometry cannot be encoded: %v", err)
		}
		// ST_MakeValid: a self-intersecting polygon from a client must not make GEOS fail the query.
		return fmt.Sprintf("ST_Intersects(%s, ST_MakeValid(ST_GeomFromWKB(%s, 4326)))", col, t.args.Bind(b)), nil
	case *cql2.Property:
		return "", cql2.Errorf(g.Pos, "%s compares the geometry with a literal geometry, not with another property", x.Op)
	}
	return "", cql2.Errorf(lit.Position(), "%s needs a BBOX(…) or a WKT geometry", x.Op)
}

// ordered types allow <, >, BETWEEN.
func ordered(typ string) bool {
	return typ == QNumber || typ == QInteger || typ == QDate || typ == QTimestamp || typ == QString
}

// comparable checks that two operands may be compared.
func comparable(pos int, op string, a cql2.Scalar, at string, b cql2.Scalar, bt string) error {
	norm := func(t string) string {
		if t == QInteger {
			return QNumber
		}
		return t
	}
	if at == QGeometry || bt == QGeometry {
		return cql2.Errorf(pos, "geometries are compared with S_INTERSECTS, not with %s", op)
	}
	if norm(at) == norm(bt) {
		return nil
	}
	hint := ""
	switch {
	case at == QDate || bt == QDate:
		hint = "; write a date as DATE('2019-01-31')"
	case at == QTimestamp || bt == QTimestamp:
		hint = "; write a timestamp as TIMESTAMP('2019-01-31T00:00:00Z')"
	case at == QString || bt == QString:
		hint = "; quote text with single quotes"
	}
	return cql2.Errorf(pos, "%s is %s and %s is %s: they cannot be compared%s", cqlName(a), article(at), cqlName(b), article(bt), hint)
}

func cqlName(s cql2.Scalar) string {
	if p, ok := s.(*cql2.Property); ok {
		return clipName(p.Name)
	}
	return "the value"
}

func clipName(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func article(typ string) string {
	switch typ {
	case QString:
		return "text"
	case QInteger, QNumber:
		return "a number"
	case QDate:
		return "a date"
	case QTimestamp:
		return "a timestamp"
	case QBoolean:
		return "a boolean"
	case QGeometry:
		return "a geometry"
	}
	return typ
}
