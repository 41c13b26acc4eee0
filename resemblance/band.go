package resemblance

import "math"

// BandNotAssessed is the band of a country with no assessment at all.
const BandNotAssessed = "not_assessed"

// Band names a range of the index: Min <= index < Max, except that the
// last band also holds Max (100).
type Band struct {
	Code  string
	Label string
	Min   float64
	Max   float64
}

// bandTable is the source of Bands and BandOf, kept unexported so that a
// caller changing Bands cannot change BandOf.
var bandTable = [...]Band{
	{Code: "none", Label: "None", Min: 0, Max: 10},
	{Code: "isolated", Label: "Isolated", Min: 10, Max: 30},
	{Code: "emerging", Label: "Emerging", Min: 30, Max: 55},
	{Code: "substantial", Label: "Substantial", Min: 55, Max: 80},
	{Code: "comparable", Label: "Comparable", Min: 80, Max: 100},
}

// Bands lists the bands in ascending order: none [0,10), isolated [10,30),
// emerging [30,55), substantial [55,80), comparable [80,100].
var Bands = append([]Band(nil), bandTable[:]...)

// BandOf returns the code of the band holding index. Values below 0 fall in
// the first band, values above 100 in the last; NaN gives BandNotAssessed.
func BandOf(index float64) string {
	if math.IsNaN(index) {
		return BandNotAssessed
	}
	for _, b := range bandTable[:len(bandTable)-1] {
		if index < b.Max {
			return b.Code
		}
	}
	return bandTable[len(bandTable)-1].Code
}
