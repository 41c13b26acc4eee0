// Package cql2 parses CQL2 text filters (OGC 21-065r2): Basic CQL2
// (comparisons, AND, OR, NOT, IS NULL), the advanced comparison operators
// (LIKE, BETWEEN, IN) and S_INTERSECTS with a BBOX or a WKT geometry. It
// produces an AST and knows nothing of SQL or of which properties exist;
// every error carries the 1-based character position where it was found.
package cql2

import (
	"fmt"
	"strings"
	"unicode"
)

// Error is a syntax (or, from a translator, a meaning) error at a position.
type Error struct {
	Pos int // 1-based character (rune) position in the filter; len+1 is its end
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("at character %d: %s", e.Pos, e.Msg) }

// Errorf makes an Error; translators use it for errors of meaning.
func Errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tQuotedIdent
	tString
	tNumber
	tOp // = <> < > <= >=
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string // identifiers as written, strings unquoted, operators
	pos  int    // 1-based rune position
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tString:
		return fmt.Sprintf("the string '%s'", clip(t.text))
	case tQuotedIdent:
		return fmt.Sprintf("%q", clip(t.text))
	default:
		return fmt.Sprintf("%q", clip(t.text))
	}
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// lex splits the filter into tokens.
func lex(src string) ([]token, error) {
	rs := []rune(src)
	var out []token
	for i := 0; i < len(rs); {
		r := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			out = append(out, token{tLParen, "(", pos})
			i++
		case r == ')':
			out = append(out, token{tRParen, ")", pos})
			i++
		case r == ',':
			out = append(out, token{tComma, ",", pos})
			i++
		case r == '=':
			out = append(out, token{tOp, "=", pos})
			i++
		case r == '<':
			if i+1 < len(rs) && (rs[i+1] == '>' || rs[i+1] == '=') {
				out = append(out, token{tOp, string(rs[i : i+2]), pos})
				i += 2
			} else {
				out = append(out, token{tOp, "<", pos})
				i++
			}
		case r == '>':
			if i+1 < len(rs) && rs[i+1] == '=' {
				out = append(out, token{tOp, ">=", pos})
				i += 2
			} else {
				out = append(out, token{tOp, ">", pos})
				i++
			}
		case r == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(rs) {
					return nil, Errorf(pos, "the string that starts here is not closed with '")
				}
				if rs[j] == '\'' {
					if j+1 < len(rs) && rs[j+1] == '\'' { // '' is a quote inside a string
						b.WriteRune('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteRune(rs[j])
				j++
			}
			out = append(out, token{tString, b.String(), pos})
			i = j + 1
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if j >= len(rs) {
				return nil, Errorf(pos, "the quoted property name that starts here is not closed with \"")
			}
			if j == i+1 {
				return nil, Errorf(pos, "empty property name")
			}
			out = append(out, token{tQuotedIdent, string(rs[i+1 : j]), pos})
			i = j + 1
		case r == '-' || r == '+' || r == '.' || (r >= '0' && r <= '9'):
			j := i
			if rs[j] == '-' || rs[j] == '+' {
				j++
			}
			digits := 0
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
				digits++
			}
			if j < len(rs) && rs[j] == '.' {
				j++
				for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
					j++
					digits++
				}
			}
			if digits == 0 {
				return nil, Errorf(pos, "%q is not a number", string(r))
			}
			if j < len(rs) && (rs[j] == 'e' || rs[j] == 'E') {
				k := j + 1
				if k < len(rs) && (rs[k] == '-' || rs[k] == '+') {
					k++
				}
				exp := 0
				for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' {
					k++
					exp++
				}
				if exp == 0 {
					return nil, Errorf(pos, "%q is not a number (exponent without digits)", string(rs[i:k]))
				}
				j = k
			}
			if j < len(rs) && isIdentPart(rs[j]) {
				return nil, Errorf(pos, "%q is not a number", clip(string(rs[i:j+1])))
			}
			out = append(out, token{tNumber, string(rs[i:j]), pos})
			i = j
		case isIdentStart(r):
			j := i + 1
			for j < len(rs) && isIdentPart(rs[j]) {
				j++
			}
			out = append(out, token{tIdent, string(rs[i:j]), pos})
			i = j
		default:
			return nil, Errorf(pos, "unexpected character %q", string(r))
		}
	}
	out = append(out, token{tEOF, "", len(rs) + 1})
	return out, nil
}

func isIdentStart(r rune) bool { return unicode.IsLetter(r) || r == '_' }

func isIdentPart(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == ':' || r == '.'
}
