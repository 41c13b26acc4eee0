// The history timeline: one lane per capability, coloured by level over the
// years, with constraint events marked and corrections (superseded rows) listed.

import { LEVEL_LABELS, colourOf } from './colours';
import { h } from './dom';
import { historyLanes, yearFraction } from './shape';
import { sourceList } from './sources';
import type { ConstraintEvent, HistoryAssessment } from './types';

function pct(v: number, start: number, end: number): string {
  return `${(((v - start) / (end - start)) * 100).toFixed(2)}%`;
}

function axis(start: number, end: number): HTMLElement {
  const span = end - start;
  const step = span > 12 ? 5 : span > 5 ? 2 : 1;
  const ticks: HTMLElement[] = [];
  for (let y = Math.ceil(start / step) * step; y < end; y += step) {
    ticks.push(h('span', { class: 'tick', style: `left:${pct(y, start, end)}` }, String(y)));
  }
  return h('div', { class: 'lane axis', 'aria-hidden': 'true' }, h('span', { class: 'lane-label' }, ''), h('div', { class: 'lane-bar' }, ...ticks));
}

/** Builds the timeline from /history rows; `end` is exclusive (fractional years). */
export function timeline(
  rows: HistoryAssessment[],
  events: ConstraintEvent[],
  start: number,
  end: number,
  current: number,
  names: Map<string, string>,
): HTMLElement {
  const lanes = historyLanes(rows, start, end);
  if (!lanes.length) return h('p', { class: 'muted' }, 'No assessments recorded.');
  const marker = h('div', { class: 'now-marker', style: `left:${pct(Math.min(current + 1, end), start, end)}`, title: `Shown: ${current}` });
  const laneEls = lanes.map((lane) => {
    const label = names.get(lane.capability) ?? lane.capability;
    const segs = lane.segments.map((s) => {
      const text = `${label}: level ${s.level} (${LEVEL_LABELS[s.level] ?? ''}) from ${s.from.toFixed(1)} to ${s.to.toFixed(1)}`;
      return h('span', {
        class: 'seg',
        style: `left:${pct(s.from, start, end)};width:${pct(s.to - s.from + start, start, end)};background:${colourOf(s.level)}`,
        title: text,
      }, h('span', { class: 'visually-hidden' }, text));
    });
    return h('div', { class: 'lane', role: 'listitem' }, h('span', { class: 'lane-label', title: label }, label), h('div', { class: 'lane-bar' }, ...segs));
  });
  const eventMarks = events.map((ev) =>
    h('span', { class: 'event-mark', style: `left:${pct(yearFraction(ev.date), start, end)}`, title: `${ev.date}: ${ev.title}` }));
  const superseded = lanes.flatMap((l) => l.superseded);
  return h('div', { class: 'timeline' },
    h('div', { class: 'lanes', role: 'list', 'aria-label': 'Level of each capability over time' },
      axis(start, end), ...laneEls,
      h('div', { class: 'lane events-lane', 'aria-hidden': 'true' }, h('span', { class: 'lane-label' }, events.length ? 'Constraint events' : ''), h('div', { class: 'lane-bar' }, ...eventMarks)),
      h('div', { class: 'overlay-bar', 'aria-hidden': 'true' }, marker)),
    h('details', { class: 'records' },
      h('summary', {}, `All ${rows.length} records${superseded.length ? `, ${superseded.length} superseded by corrections` : ''}`),
      h('ol', {}, ...rows.map((a) => record(a, names)))),
  );
}

function record(a: HistoryAssessment, names: Map<string, string>): HTMLElement {
  const reason = typeof a.correction_reason === 'string' && a.correction_reason.trim() ? a.correction_reason.trim() : null;
  return h('li', { class: a.superseded_by ? 'superseded' : '' },
    h('p', {},
      h('strong', {}, names.get(a.capability) ?? a.capability),
      a.retracted ? ': withdrawn' : `: level ${a.level}, ${a.valid_from} – ${a.valid_to ?? 'present'}, confidence ${a.confidence}`,
      a.superseded_by ? h('em', {}, ' (superseded)') : null,
      a.level_judgement === true ? h('span', { class: 'badge' }, 'level judgement') : null),
    h('p', { class: 'muted small' }, `Recorded ${a.recorded_at.slice(0, 10)}${a.provenance ? ` · ${a.provenance}` : ''}${a.supersedes ? ' · corrects an earlier record' : ''}`),
    reason ? h('p', { class: 'small' }, `Reason for the correction: ${reason}`) : null,
    a.summary ? h('p', { class: 'small' }, a.summary) : null,
    sourceList(a.sources));
}
