// The Share dialog: the current view's address and an <iframe> snippet for
// /embed, each with a copy button. A native modal <dialog>: the page behind it
// is inert, Escape closes it, and focus returns to the button that opened it.
// Loaded on first use.

import { iframeSnippet } from './cite';
import { h } from './dom';
import type { EmbedChart } from './state';

export interface EmbedOption {
  chart: EmbedChart;
  /** The radio button's label, e.g. "Map". */
  label: string;
  /** The embed's absolute address (/embed?…). */
  src: string;
  /** The iframe's title (read by screen readers on the host page). */
  title: string;
  height: number;
}

export interface ShareData {
  /** The current view's absolute address. */
  url: string;
  embeds: EmbedOption[];
  /** The embed chosen first. */
  selected: EmbedChart;
}

interface Parts {
  dialog: HTMLDialogElement;
  url: HTMLInputElement;
  snippet: HTMLTextAreaElement;
  choices: HTMLElement;
  preview: HTMLAnchorElement;
  status: HTMLElement;
}

let parts: Parts | null = null;
let opener: HTMLElement | null = null;

/** Copies text to the clipboard; falls back to selecting the field and the browser's copy command. */
async function copy(text: string, field: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field.focus();
    field.select();
    return document.execCommand('copy');
  }
}

function build(): Parts {
  const url = h('input', { id: 'share-url', type: 'text', readonly: true, spellcheck: 'false' });
  const snippet = h('textarea', { id: 'share-embed', readonly: true, rows: 4, spellcheck: 'false' });
  const status = h('p', { id: 'share-status', class: 'small', role: 'status' });
  const copyUrl = h('button', { type: 'button', id: 'share-copy-url' }, 'Copy link');
  const copySnippet = h('button', { type: 'button', id: 'share-copy-embed' }, 'Copy HTML');
  const close = h('button', { type: 'button', id: 'share-close', class: 'secondary' }, 'Close');
  const choices = h('div', { class: 'share-choices' });
  const preview = h('a', { id: 'share-preview', target: '_blank', rel: 'noopener' }, 'Open the embed in a new tab');
  const dialog = h('dialog', { id: 'share-dialog', class: 'share-dialog', 'aria-labelledby': 'share-title', 'aria-describedby': 'share-desc' },
    h('h2', { id: 'share-title' }, 'Share this view'),
    h('p', { id: 'share-desc', class: 'muted small' }, 'The link opens this view as you see it: year, recorded date, colours, weights, reference, map position and open panels.'),
    h('label', { for: 'share-url' }, 'Link to this view'),
    h('div', { class: 'copy-row' }, url, copyUrl),
    h('fieldset', { class: 'share-embed' },
      h('legend', {}, 'Embed in a web page'),
      h('p', { class: 'muted small' }, 'Without the app around it, with its legend, date, dataset version, attribution and a link back here. It loads nothing from any other site.'),
      choices,
      h('label', { for: 'share-embed' }, 'HTML to paste into the page'),
      snippet,
      h('div', { class: 'button-row' }, copySnippet, preview)),
    status,
    h('div', { class: 'dialog-actions' }, close),
  );
  const p: Parts = { dialog, url, snippet, choices, preview, status };
  copyUrl.addEventListener('click', async () => {
    p.status.textContent = (await copy(url.value, url)) ? 'Link copied.' : 'Could not copy: select the link and copy it.';
  });
  copySnippet.addEventListener('click', async () => {
    p.status.textContent = (await copy(snippet.value, snippet)) ? 'HTML copied.' : 'Could not copy: select the HTML and copy it.';
  });
  close.addEventListener('click', () => dialog.close());
  // Escape closes a modal dialog by itself ("cancel", then "close"); either way focus goes back.
  dialog.addEventListener('close', () => {
    if (opener?.isConnected) opener.focus();
    opener = null;
  });
  document.body.append(dialog);
  return p;
}

function choose(p: Parts, o: EmbedOption): void {
  p.snippet.value = iframeSnippet(o.src, o.title, o.height);
  p.preview.href = o.src;
  p.status.textContent = '';
}

/** Opens the dialog for `data`; focus starts on the link field and returns to `from` on close. */
export function showShare(data: ShareData, from: HTMLElement): void {
  parts ??= build();
  const p = parts;
  opener = from;
  p.url.value = data.url;
  p.status.textContent = '';
  const radios = data.embeds.map((o) => {
    const id = `share-embed-${o.chart}`;
    const input = h('input', { type: 'radio', name: 'share-embed-kind', id, value: o.chart, checked: o.chart === data.selected });
    input.addEventListener('change', () => input.checked && choose(p, o));
    return h('label', { for: id, class: 'check' }, input, ` ${o.label}`);
  });
  p.choices.replaceChildren(h('div', { role: 'radiogroup', 'aria-label': 'What to embed', class: 'radio-row' }, ...radios));
  choose(p, data.embeds.find((o) => o.chart === data.selected) ?? data.embeds[0]);
  if (!p.dialog.open) p.dialog.showModal();
  p.url.focus();
  p.url.select();
}
