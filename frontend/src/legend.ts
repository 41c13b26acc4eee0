// The map legend: classes of the current colour mode plus "Not assessed".

import { NOT_ASSESSED, legendFor, modeLabel } from './colours';
import { fill, h } from './dom';
import type { Band, Taxonomy } from './types';

export function renderLegend(el: HTMLElement, mode: string, bands: Band[], tax: Taxonomy | null, asOf: string, sites: boolean): void {
  const items = legendFor(mode, bands).map((it) =>
    h('li', {},
      h('span', { class: `swatch${it.cls === NOT_ASSESSED ? ' swatch-na' : ''}`, style: `background:${it.colour}`, 'aria-hidden': 'true' }),
      it.label));
  fill(el,
    h('h2', { class: 'legend-title' }, modeLabel(mode, tax)),
    h('p', { class: 'muted small' }, `As of ${asOf}`),
    h('ul', { class: 'legend-items' }, ...items),
    sites
      ? h('ul', { class: 'legend-items sites-legend', 'aria-label': 'Sites' },
          h('li', {}, h('span', { class: 'dot site-chn', 'aria-hidden': 'true' }), 'Site, Chinese vendor'),
          h('li', {}, h('span', { class: 'dot site-other', 'aria-hidden': 'true' }), 'Site, other vendor'))
      : null,
  );
}
