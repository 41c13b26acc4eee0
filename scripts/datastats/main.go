// Command datastats prints the dataset figures of data/README.md from a
// running tracker: countries and assessments, the share of claims with two
// or more sources, capabilities assessed per country, countries assessed
// per UN M.49 region, and the ten highest indexes with their coverage.
//
//	go run ./scripts/datastats -base http://127.0.0.1:8080 [-compare http://127.0.0.1:8081]
//
// With -compare (a server holding an earlier dataset) the top ten is shown
// before and after.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"sort"
)

type assessment struct {
	Country    string            `json:"country"`
	Capability string            `json:"capability"`
	Level      int               `json:"level"`
	Sources    []json.RawMessage `json:"sources"`
}

type indexCountry struct {
	ISO3     string   `json:"iso3"`
	Name     string   `json:"name"`
	Region   string   `json:"region"`
	Assessed bool     `json:"assessed"`
	Index    *float64 `json:"index"`
	Coverage float64  `json:"coverage"`
}

func get(u string, v any) {
	res, err := http.Get(u)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		log.Fatalf("%s: %d", u, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		log.Fatal(err)
	}
}

func assessments(base string) []assessment {
	var all []assessment
	next := "/api/v1/assessments?limit=500"
	for next != "" {
		var page struct {
			Assessments []assessment `json:"assessments"`
			Next        *string      `json:"next"`
		}
		get(base+next, &page)
		all = append(all, page.Assessments...)
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	return all
}

func index(base string) []indexCountry {
	var idx struct {
		Countries []indexCountry `json:"countries"`
	}
	get(base+"/api/v1/index", &idx)
	return idx.Countries
}

func top(countries []indexCountry) []indexCountry {
	var out []indexCountry
	for _, c := range countries {
		if c.Index != nil && c.ISO3 != "CHN" {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return *out[i].Index > *out[j].Index })
	return out[:min(10, len(out))]
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the tracker with the dataset to describe")
	compare := flag.String("compare", "", "a tracker with the earlier dataset, for the before/after top ten")
	flag.Parse()
	rows := assessments(*base)
	countries := index(*base)
	perCountry := map[string]map[string]bool{}
	above, twoPlus := 0, 0
	for _, a := range rows {
		if perCountry[a.Country] == nil {
			perCountry[a.Country] = map[string]bool{}
		}
		perCountry[a.Country][a.Capability] = true
		if a.Level > 0 {
			above++
			if len(a.Sources) >= 2 {
				twoPlus++
			}
		}
	}
	var caps []int
	for iso, cs := range perCountry {
		if iso != "CHN" {
			caps = append(caps, len(cs))
		}
	}
	sort.Ints(caps)
	mean := 0.0
	for _, n := range caps {
		mean += float64(n)
	}
	mean /= float64(len(caps))
	fmt.Printf("- countries assessed: %d (China and %d others)\n", len(perCountry), len(perCountry)-1)
	fmt.Printf("- current assessment rows: %d; above level 0: %d, of which %d (%.0f %%) cite two or more sources\n",
		len(rows), above, twoPlus, 100*float64(twoPlus)/float64(above))
	fmt.Printf("- capabilities assessed per country outside China: mean %.1f, median %d, range %d–%d (of 24)\n",
		mean, caps[len(caps)/2], caps[0], caps[len(caps)-1])
	fmt.Println()
	regions := map[string][2]int{}
	for _, c := range countries {
		r := regions[c.Region]
		r[1]++
		if perCountry[c.ISO3] != nil {
			r[0]++
		}
		regions[c.Region] = r
	}
	var names []string
	for r := range regions {
		names = append(names, r)
	}
	sort.Strings(names)
	fmt.Println("| UN M.49 region | countries assessed | countries and territories |")
	fmt.Println("|---|---:|---:|")
	for _, r := range names {
		fmt.Printf("| %s | %d | %d |\n", r, regions[r][0], regions[r][1])
	}
	fmt.Println()
	after := top(countries)
	if *compare == "" {
		fmt.Println("| rank | country | index | coverage |")
		fmt.Println("|---:|---|---:|---:|")
		for i, c := range after {
			fmt.Printf("| %d | %s | %.1f | %.0f %% |\n", i+1, c.Name, *c.Index, 100*c.Coverage)
		}
		return
	}
	before := top(index(*compare))
	fmt.Println("| rank | before: country | index | coverage | after: country | index | coverage |")
	fmt.Println("|---:|---|---:|---:|---|---:|---:|")
	for i := range max(len(before), len(after)) {
		cell := func(list []indexCountry) string {
			if i >= len(list) {
				return " | | "
			}
			return fmt.Sprintf("%s | %.1f | %.0f %%", list[i].Name, *list[i].Index, 100*list[i].Coverage)
		}
		fmt.Printf("| %d | %s | %s |\n", i+1, cell(before), cell(after))
	}
}
