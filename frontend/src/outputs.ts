// What leaves the app: PNG pictures of the map and of each chart, and the
// Share dialog (link and embed). The picture and dialog code is loaded on
// first use, so none of it weighs on the first coloured map.

import { app, bands, countryName } from './app';
import { ATTRIBUTION, citationLine, pictureFilename, todayUTC } from './cite';
import { modeKind, modeLabel } from './colours';
import { dateLine, legendEntries } from './legend';
import { mapController, showMapStatus } from './mapview';
import type { EmbedOption } from './share';
import { embedQuery, encodeWeights } from './state';

/** The picture's footer: dataset version and dates, the citation line, the attribution and the view's address. */
function footer(what: string, asOfShown?: string, withWeights = true): string[] {
  const idx = app.index;
  const version = idx?.dataset_version ?? 'unknown';
  const asOf = asOfShown ?? idx?.as_of ?? todayUTC();
  return [
    `Dataset version ${version} · ${dateLine(asOf, app.state.recorded)}${withWeights && encodeWeights(app.state.weights) ? ` · weights ${encodeWeights(app.state.weights)}` : ''}`,
    `Cite as: ${citationLine({ what, datasetVersion: version, asOf, recorded: app.state.recorded, retrieved: todayUTC() })}`,
    ATTRIBUTION,
    location.href,
  ];
}

/** Downloads the current map view as a PNG with its title, legend, date, dataset version and citation. */
export async function downloadMap(): Promise<void> {
  const ctl = mapController();
  if (!ctl || !app.index) return;
  try {
    const [pic] = await Promise.all([import('./picture'), ctl.idle()]);
    const canvas = ctl.map.getCanvas();
    const scale = canvas.clientWidth ? canvas.width / canvas.clientWidth : window.devicePixelRatio || 1;
    const mode = app.state.mode;
    const what = modeKind(mode) === 'index' ? 'resemblance index' : modeLabel(mode, app.taxonomy).toLowerCase();
    const picture = pic.compose(canvas, {
      title: `${modeLabel(mode, app.taxonomy)} (reference: ${countryName(app.index.reference)})`,
      subtitle: `${dateLine(app.index.as_of, app.state.recorded)}. Hatched grey: not assessed. Striped: thin evidence (coverage below 50 %).`,
      footer: footer(what),
    }, legendEntries(mode, bands(), app.state.sites, app.state.flows.on), scale);
    pic.save(await pic.toPng(picture), pictureFilename('map', mode, app.index.as_of, app.state.recorded));
  } catch (e) {
    showMapStatus(`The picture could not be made: ${(e as Error).message}`, true, () => showMapStatus(null));
  }
}

/** What a chart picture cites and the date it answers for (default: the resemblance index, at the map's date). */
export interface ChartCitation {
  what?: string;
  asOf?: string;
}

/** Downloads a chart (a Chart.js canvas, legend included) as a PNG with its title, dates, dataset version and citation. */
export function downloadChart(canvas: HTMLCanvasElement, title: string, subtitle: string, cite: ChartCitation = {}): void {
  void import('./picture').then(async (pic) => {
    const scale = canvas.clientWidth ? canvas.width / canvas.clientWidth : window.devicePixelRatio || 1;
    const asOf = cite.asOf ?? app.index?.as_of ?? todayUTC();
    const picture = pic.compose(canvas, { title, subtitle: `${subtitle} ${dateLine(asOf, app.state.recorded)}.`, footer: footer(cite.what ?? 'resemblance index', asOf, cite.what === undefined) }, [], scale);
    pic.save(await pic.toPng(picture), pictureFilename('chart', title.split(':')[0], asOf, app.state.recorded));
  });
}

/** The embeds the current view offers: the map, and the two compare charts when 2 or more countries are compared. */
function embedOptions(): EmbedOption[] {
  const src = (q: string) => `${location.origin}/embed${q ? `?${q}` : ''}`;
  const s = app.state;
  const ref = countryName(s.reference);
  const names = s.compare.map(countryName).join(', ');
  const out: EmbedOption[] = [
    { chart: 'map', label: 'Map', src: src(embedQuery(s, 'map')), title: `SCS Diffusion Tracker: ${modeLabel(s.mode, app.taxonomy)}, resemblance to ${ref}`, height: 520 },
  ];
  if (s.compare.length >= 2) {
    out.push(
      { chart: 'line', label: 'Index over time (compared countries)', src: src(embedQuery(s, 'line')), title: `SCS Diffusion Tracker: resemblance index over time, ${names}`, height: 440 },
      { chart: 'radar', label: 'Pillar scores (compared countries)', src: src(embedQuery(s, 'radar')), title: `SCS Diffusion Tracker: pillar scores, ${names}`, height: 560 },
    );
  }
  return out;
}

/** Opens the Share dialog for the current view. */
export async function openShare(from: HTMLElement): Promise<void> {
  const { showShare } = await import('./share');
  const embeds = embedOptions();
  const selected = app.state.view === 'compare' && embeds.length > 1 ? 'line' : 'map';
  showShare({ url: location.href, embeds, selected }, from);
}
