// Charts (Chart.js, loaded on first use): the pillar radar and the index-over-time line.

import type { Chart, ChartConfiguration } from 'chart.js';
import { REFERENCE_COLOUR, SERIES_COLOURS } from './colours';
import { seriesYears } from './shape';
import type { CompareResponse } from './types';

let loader: Promise<typeof import('./chartjs')> | null = null;

function chartJs(): Promise<typeof import('./chartjs')> {
  loader ??= import('./chartjs');
  return loader;
}

export interface Series {
  label: string;
  colour: string;
  data: (number | null)[];
  dashed?: boolean;
  fill?: boolean;
}

const charts = new WeakMap<HTMLCanvasElement, Chart>();

/** Draws a Chart.js chart on `canvas`, replacing the one drawn there before. */
export async function draw(canvas: HTMLCanvasElement, config: ChartConfiguration): Promise<void> {
  const { Chart } = await chartJs();
  charts.get(canvas)?.destroy();
  if (!canvas.isConnected) return;
  charts.set(canvas, new Chart(canvas, config));
}

export function alpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/** A 0–100 radar of pillar scores; the first series should be the reference, drawn behind. */
export function radar(canvas: HTMLCanvasElement, labels: string[], series: Series[]): Promise<void> {
  return draw(canvas, {
    type: 'radar',
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.data,
        borderColor: s.colour,
        backgroundColor: alpha(s.colour, s.fill ? 0.18 : 0.04),
        borderDash: s.dashed ? [5, 4] : [],
        borderWidth: 2,
        pointRadius: 2.5,
        pointBackgroundColor: s.colour,
        fill: true,
        spanGaps: true,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: true,
      scales: {
        r: {
          min: 0,
          max: 100,
          ticks: { stepSize: 25, backdropColor: 'transparent', font: { size: 10 } },
          pointLabels: { font: { size: 11 } },
        },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    },
  });
}

/** A line chart of the index by year (0–100). */
export function lines(canvas: HTMLCanvasElement, years: number[], series: Series[]): Promise<void> {
  return draw(canvas, {
    type: 'line',
    data: {
      labels: years.map(String),
      datasets: series.map((s) => ({
        label: s.label,
        data: s.data,
        borderColor: s.colour,
        backgroundColor: s.colour,
        borderDash: s.dashed ? [5, 4] : [],
        borderWidth: 2,
        pointRadius: 1.5,
        spanGaps: false,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { min: 0, max: 100, title: { display: true, text: 'Resemblance index' } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    },
  });
}

/** A radar label for a pillar: its code, capitalised ("surveillance" → "Surveillance"). */
export function shortPillar(code: string): string {
  return code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
}

/** The compare view's radar: the compared countries' pillar scores, the reference (100 on every counted pillar) behind. */
export function compareRadar(canvas: HTMLCanvasElement, resp: CompareResponse, refName: string): Promise<void> {
  const pillars = resp.countries[0]?.pillars ?? [];
  const refScores = pillars.map((_, j) => (resp.countries.some((c) => c.pillars[j]?.score != null) ? 100 : null));
  return radar(canvas, pillars.map((p) => shortPillar(p.code)), [
    { label: `${refName} (reference)`, colour: REFERENCE_COLOUR, data: refScores, dashed: true },
    // A pillar with nothing assessed has no score to draw (not a score of 0).
    ...resp.countries.map((c, i) => ({ label: c.name, colour: SERIES_COLOURS[i], data: c.pillars.map((p) => (c.assessed && p.coverage > 0 ? p.score : null)) })),
  ]);
}

/** The compare view's line chart: each compared country's index by year (gaps where not assessed). */
export function compareLine(canvas: HTMLCanvasElement, resp: CompareResponse): Promise<void> {
  const years = seriesYears(resp);
  return lines(canvas, years, resp.countries.map((c, i) => ({
    label: c.name,
    colour: SERIES_COLOURS[i],
    data: years.map((y) => {
      const pt = c.series.find((s) => s.year === y);
      return pt && pt.assessed ? pt.index : null;
    }),
  })));
}
