// The Diffusion view's charts (Chart.js, through charts.ts): adoption curves,
// Moran's I over time with its significance, neighbour exposure against the
// baseline, and the yearly share of sites with a Chinese vendor.

import type { TooltipItem } from 'chart.js';
import { alpha, draw } from './charts';
import { REFERENCE_COLOUR, SITE_CHN } from './colours';
import type { CurvesResponse, ExposureResponse, FlowsResponse, MoranResponse } from './types';

/** Okabe–Ito colours (colour-blind safe), one per series. */
export const DIFFUSION_COLOURS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

/** Moran's I is called significant at this pseudo p-value. */
export const SIGNIFICANCE = 0.05;

const percent = (v: number | string): string => `${Math.round(Number(v) * 100)} %`;
const pct1 = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)} %`);

const legend = { position: 'bottom' as const, labels: { boxWidth: 12 } };

/** Share of assessed countries that had adopted, one line per series. */
export function curvesChart(canvas: HTMLCanvasElement, resp: CurvesResponse): Promise<void> {
  const years = resp.series[0]?.points.map((p) => p.year) ?? [];
  return draw(canvas, {
    type: 'line',
    data: {
      labels: years.map(String),
      datasets: resp.series.map((s, i) => ({
        label: s.kind === 'pillar' ? `${s.name} (pillar, ${s.min_capabilities}+)` : s.name,
        data: s.points.map((p) => p.share),
        borderColor: DIFFUSION_COLOURS[i % DIFFUSION_COLOURS.length],
        backgroundColor: DIFFUSION_COLOURS[i % DIFFUSION_COLOURS.length],
        borderWidth: 2,
        pointRadius: 1.5,
        spanGaps: false,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { min: 0, max: 1, ticks: { callback: percent }, title: { display: true, text: 'Had adopted (share of assessed)' } } },
      plugins: {
        legend,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'line'>) => {
              const p = resp.series[item.datasetIndex].points[item.dataIndex];
              return `${item.dataset.label}: ${p.adopted} of ${p.assessed} (${pct1(p.share)}); ${p.at_or_above} at or above on ${p.date}`;
            },
          },
        },
      },
    },
  });
}

/** Moran's I by year, its expected value under no clustering, and filled points where p < 0.05. */
export function moranChart(canvas: HTMLCanvasElement, resp: MoranResponse): Promise<void> {
  const years = resp.years;
  const significant = years.map((y) => y.defined && y.p_value !== null && y.p_value < SIGNIFICANCE);
  return draw(canvas, {
    type: 'line',
    data: {
      labels: years.map((y) => String(y.year)),
      datasets: [
        {
          label: "Moran's I",
          data: years.map((y) => y.i),
          borderColor: '#0072B2',
          backgroundColor: significant.map((s) => (s ? '#0072B2' : '#ffffff')),
          pointBorderColor: '#0072B2',
          pointRadius: significant.map((s) => (s ? 5 : 3.5)),
          pointBorderWidth: 1.5,
          borderWidth: 2,
          spanGaps: false,
        },
        {
          label: 'Expected with no clustering, E[I] = −1/(n−1)',
          data: years.map((y) => y.expected),
          borderColor: REFERENCE_COLOUR,
          backgroundColor: REFERENCE_COLOUR,
          borderDash: [5, 4],
          borderWidth: 1.5,
          pointRadius: 0,
          spanGaps: false,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { suggestedMin: -0.5, suggestedMax: 0.5, title: { display: true, text: "Moran's I" } } },
      plugins: {
        legend,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'line'>) => {
              const y = years[item.dataIndex];
              if (!y.defined) return `${y.year}: not defined (${y.reason ?? ''})`;
              return item.datasetIndex === 0
                ? `I ${y.i}, p ${y.p_value}${significant[item.dataIndex] ? ' (significant)' : ''}, ${y.n} countries`
                : `E[I] ${y.expected}`;
            },
          },
        },
      },
    },
  });
}

/** A date as a decimal year (2019-07-01 → 2019.5), for the exposure chart's axis. */
export function decimalYear(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const start = Date.UTC(y, 0, 1);
  return y + (Date.UTC(y, m - 1, d) - start) / (Date.UTC(y + 1, 0, 1) - start);
}

/** Each adopter's exposure on its adoption date (points) against the baseline on the same dates (line). */
export function exposureChart(canvas: HTMLCanvasElement, resp: ExposureResponse): Promise<void> {
  const counted = resp.countries.filter((c) => c.exposure !== null);
  return draw(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'Adopters: share of assessed land neighbours that had adopted before',
          data: counted.map((c) => ({ x: decimalYear(c.adopted), y: c.exposure as number })),
          borderColor: '#D55E00',
          backgroundColor: alpha('#D55E00', 0.6),
          pointRadius: 4,
        },
        {
          label: 'Baseline: mean exposure of assessed countries that day',
          data: counted.map((c) => ({ x: decimalYear(c.adopted), y: c.baseline })),
          borderColor: REFERENCE_COLOUR,
          backgroundColor: REFERENCE_COLOUR,
          borderDash: [5, 4],
          showLine: true,
          pointRadius: 0,
          borderWidth: 1.5,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', ticks: { callback: (v: number | string) => String(Math.floor(Number(v))), stepSize: 1 }, title: { display: true, text: 'Adoption date' } },
        y: { min: 0, max: 1, ticks: { callback: percent }, title: { display: true, text: 'Neighbour exposure' } },
      },
      plugins: {
        legend,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'scatter'>) => {
              const c = counted[item.dataIndex];
              return item.datasetIndex === 0
                ? `${c.name} (${c.adopted}): ${c.adopted_before.length} of ${c.neighbours.length} neighbours before it`
                : `Baseline on ${c.adopted}: ${pct1(c.baseline)}`;
            },
          },
        },
      },
    },
  });
}

/** The share of sites with a vendor based in China among the sites started by each year. */
export function shareChart(canvas: HTMLCanvasElement, resp: FlowsResponse): Promise<void> {
  const years = resp.share.years;
  return draw(canvas, {
    type: 'line',
    data: {
      labels: years.map((y) => String(y.year)),
      datasets: [
        { label: 'Of all dated sites', data: years.map((y) => y.share), borderColor: SITE_CHN, backgroundColor: SITE_CHN, borderWidth: 2, pointRadius: 1.5 },
        { label: 'Of sites with a known vendor country', data: years.map((y) => y.share_of_known), borderColor: SITE_CHN, backgroundColor: SITE_CHN, borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { min: 0, max: 1, ticks: { callback: percent }, title: { display: true, text: `Share of sites with a vendor based in ${resp.share.vendor_country}` } } },
      plugins: {
        legend,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'line'>) => {
              const y = years[item.dataIndex];
              return item.datasetIndex === 0 ? `${y.vendor} of ${y.sites} sites (${pct1(y.share)})` : `${y.vendor} of ${y.vendor_known} with a known vendor (${pct1(y.share_of_known)})`;
            },
          },
        },
      },
    },
  });
}
