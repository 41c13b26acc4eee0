import { describe, expect, it } from 'vitest';
import { citationLine, iframeSnippet, pictureFilename, todayUTC } from '../src/cite';

describe('citation line', () => {
  it('uses the words of the CSV exports, with the recorded date when set', () => {
    const base = { what: 'resemblance index', datasetVersion: '2026.11.0', asOf: '2019-12-31', recorded: null, retrieved: '2026-12-01' };
    expect(citationLine(base)).toBe('SCS Diffusion Tracker (resemblance index), dataset version 2026.11.0, as of 2019-12-31, retrieved 2026-12-01.');
    expect(citationLine({ ...base, recorded: '2026-06-30' })).toBe(
      'SCS Diffusion Tracker (resemblance index), dataset version 2026.11.0, as of 2019-12-31, as recorded on 2026-06-30, retrieved 2026-12-01.');
  });
});

describe('picture file names', () => {
  it('are lower case, safe and say what and when', () => {
    expect(pictureFilename('map', 'index', '2019-12-31', null)).toBe('scs-tracker-map-index-2019-12-31.png');
    expect(pictureFilename('map', 'sanctions.blacklist', '2019-12-31', '2026-06-30')).toBe('scs-tracker-map-sanctions.blacklist-2019-12-31-recorded-2026-06-30.png');
    expect(pictureFilename('chart', 'Pillar scores: Côte d’Ivoire / "X"', '2026-12-01', null)).toBe('scs-tracker-chart-pillar-scores-cote-d-ivoire-x-2026-12-01.png');
  });
});

describe('iframe snippet', () => {
  it('escapes the address and title for HTML attributes', () => {
    const html = iframeSnippet('https://tracker.example/embed?year=2020&colour=sanctions', 'Sanctions "&" <disclosure>', 520.4);
    expect(html).toBe('<iframe src="https://tracker.example/embed?year=2020&amp;colour=sanctions" title="Sanctions &quot;&amp;&quot; &lt;disclosure&gt;" width="100%" height="520" style="border:0" loading="lazy"></iframe>');
  });
});

describe('todayUTC', () => {
  it('is the UTC day', () => {
    expect(todayUTC(new Date('2026-12-01T23:59:59-05:00'))).toBe('2026-12-02');
  });
});
