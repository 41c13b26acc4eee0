package resemblance

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// maxWeightItems caps the number of items ParseWeights accepts.
const maxWeightItems = 64

// maxErrorKey caps how much of a bad key a WeightsError echoes back.
const maxErrorKey = 64

// Reasons carried by WeightsError.
const (
	reasonEmptyItem    = "empty item"
	reasonMissingColon = "missing colon"
	reasonUnknownKey   = "unknown key"
	reasonDuplicateKey = "duplicate key"
	reasonNotNumber    = "not a number"
	reasonNotFinite    = "not finite"
	reasonNegative     = "negative"
	reasonTooMany      = "more than 64 items"
	reasonAllZero      = "all weights zero"
)

// Weights are user weights per pillar and per capability; both maps are
// optional and keyed by code. A pillar weight (default 1) is split evenly
// among the pillar's capabilities; a capability weight replaces that share
// with an absolute value. The zero Weights are the default weights.
type Weights struct {
	Pillar     map[string]float64
	Capability map[string]float64
}

// WeightsError reports why ParseWeights refused its input. Key is the
// offending key (or item, for "missing colon"), empty when the error is
// about the whole string. Reason is one of: "empty item", "missing colon",
// "unknown key", "duplicate key", "not a number", "not finite",
// "negative", "more than 64 items", "all weights zero".
type WeightsError struct {
	Key    string
	Reason string
}

// Error implements error.
func (e *WeightsError) Error() string {
	if e.Key == "" {
		return "weights: " + e.Reason
	}
	return fmt.Sprintf("weights: %q: %s", e.Key, e.Reason)
}

// ParseWeights parses the URL syntax "identity:2,sanctions:1,rating.private_score:0.5",
// whose keys are pillar or capability codes of t and whose values are
// finite, non-negative numbers. Spaces around items, keys and values are
// ignored. The empty string gives the default weights. Errors are of type
// *WeightsError.
func ParseWeights(s string, t Taxonomy) (Weights, error) {
	if s == "" {
		return Weights{}, nil
	}
	if strings.Count(s, ",") >= maxWeightItems {
		return Weights{}, &WeightsError{Reason: reasonTooMany}
	}
	var w Weights
	for item := range strings.SplitSeq(s, ",") {
		if err := w.add(item, t); err != nil {
			return Weights{}, err
		}
	}
	var total float64
	for _, v := range w.effective(t, nil) {
		total += v
	}
	if total == 0 {
		return Weights{}, &WeightsError{Reason: reasonAllZero}
	}
	return w, nil
}

// add parses one "key:value" item into w.
func (w *Weights) add(item string, t Taxonomy) error {
	item = strings.TrimSpace(item)
	if item == "" {
		return &WeightsError{Reason: reasonEmptyItem}
	}
	key, val, ok := strings.Cut(item, ":")
	if !ok {
		return weightsError(item, reasonMissingColon)
	}
	key = strings.TrimSpace(key)
	m, err := w.mapFor(key, t)
	if err != nil {
		return err
	}
	v, err := parseWeight(key, strings.TrimSpace(val))
	if err != nil {
		return err
	}
	(*m)[key] = v
	return nil
}

// mapFor returns the map a key belongs in, allocating it on first use, or
// an error when the key is unknown or already set.
func (w *Weights) mapFor(key string, t Taxonomy) (*map[string]float64, error) {
	m := &w.Capability
	if _, ok := t.pillarIndex(key); ok {
		m = &w.Pillar
	} else if _, ok := t.IndexOf(key); !ok {
		return nil, weightsError(key, reasonUnknownKey)
	}
	if _, dup := (*m)[key]; dup {
		return nil, weightsError(key, reasonDuplicateKey)
	}
	if *m == nil {
		*m = make(map[string]float64)
	}
	return m, nil
}

// parseWeight parses one weight value; key is only used in errors.
func parseWeight(key, val string) (float64, error) {
	v, err := strconv.ParseFloat(val, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, weightsError(key, reasonNotFinite)
	case err != nil:
		return 0, weightsError(key, reasonNotNumber)
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, weightsError(key, reasonNotFinite)
	case v < 0:
		return 0, weightsError(key, reasonNegative)
	}
	return v + 0, nil // + 0 turns -0 into 0
}

// weightsError builds a WeightsError, clipping a long key.
func weightsError(key, reason string) *WeightsError {
	if len(key) > maxErrorKey {
		key = strings.ToValidUTF8(key[:maxErrorKey], "") + "…"
	}
	return &WeightsError{Key: key, Reason: reason}
}

// IsDefault reports whether w sets no weight at all.
func (w Weights) IsDefault() bool {
	return len(w.Pillar) == 0 && len(w.Capability) == 0
}

// String returns the canonical form of w, for cache keys and links: items
// sorted by key, values in the shortest form that parses back to the same
// float64 (with no "+", so the result is safe in a query string). It
// returns "" for the default weights. ParseWeights(w.String(), t) gives
// back w.
func (w Weights) String() string {
	if w.IsDefault() {
		return ""
	}
	all := make(map[string]float64, len(w.Pillar)+len(w.Capability))
	maps.Copy(all, w.Pillar)
	maps.Copy(all, w.Capability)
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(all)) {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		f := strconv.FormatFloat(all[k], 'g', -1, 64)
		b.WriteString(k + ":" + strings.Replace(f, "e+", "e", 1))
	}
	return b.String()
}

// effective returns the effective weight of every capability of t, indexed
// like t.Codes(): the capability weight when set, otherwise the pillar
// weight (default 1) divided by the number of the pillar's capabilities
// that count (counted[i], the reference has them), so every pillar weighs
// the same whatever the reference lacks. Capabilities that do not count get
// 0. Negative or non-finite values, which ParseWeights never returns, count
// as 0. A nil counted counts every capability.
func (w Weights) effective(t Taxonomy, counted []bool) []float64 {
	out := make([]float64, 0, t.size())
	i := 0
	for _, p := range t.Pillars {
		share := 1.0
		if v, ok := w.Pillar[p.Code]; ok {
			share = usable(v)
		}
		n := 0
		for k := range p.Capabilities {
			if counted == nil || counted[i+k] {
				n++
			}
		}
		if n > 0 {
			share /= float64(n)
		}
		for _, c := range p.Capabilities {
			switch v, ok := w.Capability[c]; {
			case counted != nil && !counted[i]:
				out = append(out, 0)
			case ok:
				out = append(out, usable(v))
			default:
				out = append(out, share)
			}
			i++
		}
	}
	return out
}

// usable returns v when it is a finite non-negative weight, else 0.
func usable(v float64) float64 {
	if v > 0 && !math.IsInf(v, 1) {
		return v
	}
	return 0
}
