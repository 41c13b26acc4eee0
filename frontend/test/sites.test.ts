import { describe, expect, it } from 'vitest';
import { siteProvenance } from '../src/sites';

describe('site provenance in the popup', () => {
  it('says nothing of a shipped site', () => {
    expect(siteProvenance({ provenance: 'dataset', report_id: null, organisation: null })).toBeNull();
    expect(siteProvenance({})).toBeNull(); // an older API without the fields
  });

  it('names the report and its organisation', () => {
    const s = siteProvenance({ provenance: 'report', report_id: 12, organisation: 'Open Evidence Lab' });
    expect(s).toContain('#12');
    expect(s).toContain('by Open Evidence Lab');
  });

  it('keeps an unnamed organisation unnamed', () => {
    const s = siteProvenance({ provenance: 'report', report_id: 7, organisation: null });
    expect(s).toContain('#7');
    expect(s).toContain('stays unnamed');
  });
});
