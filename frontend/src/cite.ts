// How a picture or an embed describes itself: the citation line (the same
// words as the CSV exports' "Cite as:" line) and file names. Pure.

export interface CiteInfo {
  /** What is cited, e.g. "resemblance index". */
  what: string;
  datasetVersion: string;
  asOf: string;
  /** The recorded date (recorded_as_of), or null for now. */
  recorded: string | null;
  /** The day the picture was made (YYYY-MM-DD). */
  retrieved: string;
}

/** "SCS Diffusion Tracker (resemblance index), dataset version 2026.11.0, as of 2019-12-31, retrieved 2026-12-01." */
export function citationLine(c: CiteInfo): string {
  const recorded = c.recorded ? `, as recorded on ${c.recorded}` : '';
  return `SCS Diffusion Tracker (${c.what}), dataset version ${c.datasetVersion}, as of ${c.asOf}${recorded}, retrieved ${c.retrieved}.`;
}

/** The attribution every picture and embed carries. */
export const ATTRIBUTION = 'Data: SCS Diffusion Tracker, CC BY 4.0. Boundaries: Natural Earth.';

/** A file name such as "scs-tracker-map-index-2019-12-31.png" (letters, digits, dots and dashes only). */
export function pictureFilename(kind: string, detail: string, asOf: string, recorded: string | null): string {
  const parts = ['scs-tracker', kind, detail, asOf, recorded ? `recorded-${recorded}` : ''];
  const ascii = parts.filter(Boolean).join('-').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return `${ascii.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '')}.png`;
}

/** Today's date in UTC (YYYY-MM-DD). */
export function todayUTC(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Escapes a value for a double-quoted HTML attribute. */
function attr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The HTML a site pastes to embed a view: an <iframe> of /embed, full width, with a title for screen readers. */
export function iframeSnippet(src: string, title: string, height: number): string {
  return `<iframe src="${attr(src)}" title="${attr(title)}" width="100%" height="${Math.round(height)}" style="border:0" loading="lazy"></iframe>`;
}
