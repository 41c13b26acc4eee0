package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/resemblance"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// The hand-written /index encoder gives the same JSON value as encoding/json
// gives for indexResponseOf (the type the CSV export uses too), on the shipped
// data, for several dates, weights and references.
func TestIndexJSONMatchesTheSchemaType(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoaded(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	model := readmodel.New(readmodel.Config{Read: db.Store, Revisions: db.Store.WatchRevision(ctx, log), Log: log})
	sn, err := model.Snapshot(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		asOf, reference, weights string
	}{
		{today().Format(time.DateOnly), "CHN", ""},
		{"2015-06-30", "CHN", ""},
		{"2020-01-01", "CHN", "identity:2,sanctions.blacklist:0.5"},
		{today().Format(time.DateOnly), "RUS", "surveillance:0"},
	} {
		asOf, _ := time.Parse(time.DateOnly, tt.asOf)
		w, err := resemblance.ParseWeights(tt.weights, sn.ResemblanceTaxonomy())
		if err != nil {
			t.Fatal(err)
		}
		p := indexParams{timeParams: timeParams{asOf: asOf}, weights: w, reference: tt.reference}
		sc, err := sn.Score(asOf, tt.reference, w)
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.Unmarshal(appendIndexJSON(nil, sn, sc, p), &got); err != nil {
			t.Fatalf("%+v: the hand-written JSON does not parse: %v", tt, err)
		}
		b, _ := json.Marshal(indexResponseOf(sn, sc, p))
		_ = json.Unmarshal(b, &want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%+v: hand-written /index JSON differs (-encoding/json +hand-written):\n%s", tt, d)
		}
	}
	if got := string(appendJSONString(nil, "Côte d'Ivoire <\"x\">")); got != `"Côte d'Ivoire \u003c\"x\"\u003e"` {
		t.Errorf("appendJSONString escapes as %s", got)
	}
}
