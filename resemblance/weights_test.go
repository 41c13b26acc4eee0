package resemblance_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scs-diffusion/tracker/resemblance"
)

const allPillarsZero = "identity:0,integration:0,rating:0,sanctions:0,surveillance:0,governance:0"

func TestParseWeights(t *testing.T) {
	t.Parallel()
	type pw = map[string]float64
	tests := []struct {
		in         string
		want       resemblance.Weights
		wantString string
	}{
		{in: "", want: resemblance.Weights{}, wantString: ""},
		{in: "identity:2", want: resemblance.Weights{Pillar: pw{"identity": 2}}, wantString: "identity:2"},
		{
			in:         "identity:2,sanctions:1,rating.private_score:0.5",
			want:       resemblance.Weights{Pillar: pw{"identity": 2, "sanctions": 1}, Capability: pw{"rating.private_score": 0.5}},
			wantString: "identity:2,rating.private_score:0.5,sanctions:1",
		},
		{
			in:         "rating.private_score:3,rating:1",
			want:       resemblance.Weights{Pillar: pw{"rating": 1}, Capability: pw{"rating.private_score": 3}},
			wantString: "rating:1,rating.private_score:3",
		},
		{
			in:         " identity : 2 , sanctions.blacklist:0.50 ",
			want:       resemblance.Weights{Pillar: pw{"identity": 2}, Capability: pw{"sanctions.blacklist": 0.5}},
			wantString: "identity:2,sanctions.blacklist:0.5",
		},
		{in: "rating:1e6", want: resemblance.Weights{Pillar: pw{"rating": 1e6}}, wantString: "rating:1e06"},
		{in: "rating:0.0000001", want: resemblance.Weights{Pillar: pw{"rating": 1e-7}}, wantString: "rating:1e-07"},
		{in: "rating:0.1", want: resemblance.Weights{Pillar: pw{"rating": 0.1}}, wantString: "rating:0.1"},
		{in: "identity:0", want: resemblance.Weights{Pillar: pw{"identity": 0}}, wantString: "identity:0"},
		{in: "identity:-0", want: resemblance.Weights{Pillar: pw{"identity": 0}}, wantString: "identity:0"},
		{in: "surveillance:+1.5", want: resemblance.Weights{Pillar: pw{"surveillance": 1.5}}, wantString: "surveillance:1.5"},
		{
			in: allPillarsZero + ",rating.private_score:1",
			want: resemblance.Weights{
				Pillar:     pw{"identity": 0, "integration": 0, "rating": 0, "sanctions": 0, "surveillance": 0, "governance": 0},
				Capability: pw{"rating.private_score": 1},
			},
			wantString: "governance:0,identity:0,integration:0,rating:0,rating.private_score:1,sanctions:0,surveillance:0",
		},
	}
	for _, tt := range tests {
		got, err := resemblance.ParseWeights(tt.in, fixture())
		if err != nil {
			t.Errorf("ParseWeights(%q) error: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseWeights(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
		if s := got.String(); s != tt.wantString {
			t.Errorf("ParseWeights(%q).String() = %q, want %q", tt.in, s, tt.wantString)
		}
		if d := got.IsDefault(); d != (tt.in == "") {
			t.Errorf("ParseWeights(%q).IsDefault() = %v, want %v", tt.in, d, tt.in == "")
		}
		again, err := resemblance.ParseWeights(got.String(), fixture())
		if err != nil || !cmp.Equal(again, got) {
			t.Errorf("ParseWeights(%q) = %v, %v, want round trip to %v", got.String(), again, err, got)
		}
	}
}

func TestParseWeightsErrors(t *testing.T) {
	t.Parallel()
	tooMany := strings.Repeat("identity:1,", 64) + "identity:1"
	tests := []struct {
		in   string
		want resemblance.WeightsError
	}{
		{"identity:1,,sanctions:1", resemblance.WeightsError{Key: "", Reason: "empty item"}},
		{"identity:1,", resemblance.WeightsError{Key: "", Reason: "empty item"}},
		{",identity:1", resemblance.WeightsError{Key: "", Reason: "empty item"}},
		{" ", resemblance.WeightsError{Key: "", Reason: "empty item"}},
		{"identity", resemblance.WeightsError{Key: "identity", Reason: "missing colon"}},
		{"identity=2", resemblance.WeightsError{Key: "identity=2", Reason: "missing colon"}},
		{"china:1", resemblance.WeightsError{Key: "china", Reason: "unknown key"}},
		{"Identity:1", resemblance.WeightsError{Key: "Identity", Reason: "unknown key"}},
		{"sanctions.nope:1", resemblance.WeightsError{Key: "sanctions.nope", Reason: "unknown key"}},
		{":1", resemblance.WeightsError{Key: "", Reason: "unknown key"}},
		{strings.Repeat("x", 100) + ":1", resemblance.WeightsError{Key: strings.Repeat("x", 64) + "…", Reason: "unknown key"}},
		{"identity:abc", resemblance.WeightsError{Key: "identity", Reason: "not a number"}},
		{"identity:", resemblance.WeightsError{Key: "identity", Reason: "not a number"}},
		{"identity:1:2", resemblance.WeightsError{Key: "identity", Reason: "not a number"}},
		{"identity:1 2", resemblance.WeightsError{Key: "identity", Reason: "not a number"}},
		{"identity:NaN", resemblance.WeightsError{Key: "identity", Reason: "not finite"}},
		{"identity:Inf", resemblance.WeightsError{Key: "identity", Reason: "not finite"}},
		{"identity:-Inf", resemblance.WeightsError{Key: "identity", Reason: "not finite"}},
		{"identity:1e400", resemblance.WeightsError{Key: "identity", Reason: "not finite"}},
		{"identity:-1", resemblance.WeightsError{Key: "identity", Reason: "negative"}},
		{"rating.private_score:-0.5", resemblance.WeightsError{Key: "rating.private_score", Reason: "negative"}},
		{"identity:1,identity:2", resemblance.WeightsError{Key: "identity", Reason: "duplicate key"}},
		{"rating.private_score:1, rating.private_score :1", resemblance.WeightsError{Key: "rating.private_score", Reason: "duplicate key"}},
		{tooMany, resemblance.WeightsError{Key: "", Reason: "more than 64 items"}},
		{allPillarsZero, resemblance.WeightsError{Key: "", Reason: "all weights zero"}},
		{allPillarsZero + ",rating.private_score:0", resemblance.WeightsError{Key: "", Reason: "all weights zero"}},
	}
	for _, tt := range tests {
		got, err := resemblance.ParseWeights(tt.in, fixture())
		var we *resemblance.WeightsError
		if !errors.As(err, &we) {
			t.Errorf("ParseWeights(%q) = %v, %v, want *WeightsError %+v", tt.in, got, err, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, *we); diff != "" {
			t.Errorf("ParseWeights(%q) error mismatch (-want +got):\n%s", tt.in, diff)
		}
		if !got.IsDefault() {
			t.Errorf("ParseWeights(%q) returned weights %v with its error, want zero Weights", tt.in, got)
		}
	}
}

func TestWeightsErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  resemblance.WeightsError
		want string
	}{
		{resemblance.WeightsError{Key: "china", Reason: "unknown key"}, `weights: "china": unknown key`},
		{resemblance.WeightsError{Reason: "all weights zero"}, "weights: all weights zero"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestWeightsIsDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		w    resemblance.Weights
		want bool
	}{
		{resemblance.Weights{}, true},
		{resemblance.Weights{Pillar: map[string]float64{}, Capability: map[string]float64{}}, true},
		{resemblance.Weights{Pillar: map[string]float64{"identity": 1}}, false},
		{resemblance.Weights{Capability: map[string]float64{"sanctions.blacklist": 0}}, false},
	}
	for _, tt := range tests {
		if got := tt.w.IsDefault(); got != tt.want {
			t.Errorf("%#v.IsDefault() = %v, want %v", tt.w, got, tt.want)
		}
		if got := tt.w.String() == ""; got != tt.want {
			t.Errorf("%#v.String() = %q, want empty only for default", tt.w, tt.w.String())
		}
	}
}

func FuzzParseWeights(f *testing.F) {
	for _, s := range []string{
		"", "identity:2,sanctions:1,rating.private_score:0.5", " identity : 2 ", "identity:1e-320",
		"identity:1,,", "identity", "identity:NaN", "identity:-1", "identity:1,identity:1",
		allPillarsZero, allPillarsZero + ",sanctions.blacklist:1e308", "rating:0x1p-3", "governance:1_0",
	} {
		f.Add(s)
	}
	tax := fixture()
	ref := chinaLike()
	f.Fuzz(func(t *testing.T, s string) {
		w, err := resemblance.ParseWeights(s, tax)
		if err != nil {
			var we *resemblance.WeightsError
			if !errors.As(err, &we) {
				t.Fatalf("ParseWeights(%q) error %T %v, want *WeightsError", s, err, err)
			}
			return
		}
		canon := w.String()
		again, err := resemblance.ParseWeights(canon, tax)
		if err != nil {
			t.Fatalf("ParseWeights(%q) (String of %q) error: %v", canon, s, err)
		}
		if diff := cmp.Diff(w, again); diff != "" {
			t.Fatalf("round trip of %q via %q mismatch (-first +second):\n%s", s, canon, diff)
		}
		if again.String() != canon {
			t.Fatalf("String() not stable: %q then %q", canon, again.String())
		}
		got := resemblance.NewScorer(tax, ref, w).Score(ref)
		if got.Index != 100 || got.Coverage != 1 {
			t.Fatalf("weights %q: Score(reference) = %v, %v, want 100, 1", s, got.Index, got.Coverage)
		}
	})
}
