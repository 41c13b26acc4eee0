package ingest

// The YAML shapes of data/taxonomy.yaml and data/dataset/*.yaml, as
// documented in docs/dataset-format.md.

type taxonomyFile struct {
	Version string        `yaml:"version"`
	Scale   []scaleEntry  `yaml:"scale"`
	Pillars []pillarEntry `yaml:"pillars"`
}

type scaleEntry struct {
	Level    int    `yaml:"level"`
	Name     string `yaml:"name"`
	Criteria string `yaml:"criteria"`
}

type pillarEntry struct {
	Code         string            `yaml:"code"`
	Name         string            `yaml:"name"`
	Description  string            `yaml:"description"`
	Capabilities []capabilityEntry `yaml:"capabilities"`
}

type capabilityEntry struct {
	Code         string `yaml:"code"`
	Name         string `yaml:"name"`
	Definition   string `yaml:"definition"`
	Level4Marker string `yaml:"level4_marker"`
}

type datasetFile struct {
	Recorded         recordedTime            `yaml:"recorded"`
	Sources          map[string]sourceEntry  `yaml:"sources"`
	Countries        map[string]countryEntry `yaml:"countries"`
	ConstraintEvents []eventEntry            `yaml:"constraint_events"`
}

type sourceEntry struct {
	Publisher  string      `yaml:"publisher"`
	Title      string      `yaml:"title"`
	Author     string      `yaml:"author"`
	Published  partialDate `yaml:"published"`
	URL        string      `yaml:"url"`
	ArchiveURL string      `yaml:"archive_url"`
	Accessed   partialDate `yaml:"accessed"`
	Primary    bool        `yaml:"primary"`
}

type countryEntry struct {
	Notes []struct {
		Text    string   `yaml:"text"`
		Sources []string `yaml:"sources"`
	} `yaml:"notes"`
	Assessments []assessmentEntry `yaml:"assessments"`
	Sites       []siteEntry       `yaml:"sites"`
}

type assessmentEntry struct {
	Capability     string       `yaml:"capability"`
	Level          *int         `yaml:"level"`
	From           partialDate  `yaml:"from"`
	To             partialDate  `yaml:"to"`
	Confidence     string       `yaml:"confidence"`
	LevelJudgement bool         `yaml:"level_judgement"`
	Recorded       recordedTime `yaml:"recorded"`
	FromNote       string       `yaml:"from_note"`
	Summary        string       `yaml:"summary"`
	Sources        []string     `yaml:"sources"`
	Superseded     recordedTime `yaml:"superseded"`
	Correction     string       `yaml:"correction"`
}

type siteEntry struct {
	Name          string      `yaml:"name"`
	Capability    string      `yaml:"capability"`
	Status        string      `yaml:"status"`
	Point         []float64   `yaml:"point"`
	Precision     string      `yaml:"precision"`
	Vendor        string      `yaml:"vendor"`
	VendorCountry string      `yaml:"vendor_country"`
	Financier     string      `yaml:"financier"`
	From          partialDate `yaml:"from"`
	To            partialDate `yaml:"to"`
	Confidence    string      `yaml:"confidence"`
	Sources       []string    `yaml:"sources"`
}

type eventEntry struct {
	Countries   []string    `yaml:"countries"`
	Date        partialDate `yaml:"date"`
	Kind        string      `yaml:"kind"`
	Title       string      `yaml:"title"`
	Description string      `yaml:"description"`
	Sources     []string    `yaml:"sources"`
	Ends        string      `yaml:"ends"`
}
