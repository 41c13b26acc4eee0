// What every view of the portal shares with the shell (main.ts) without
// importing it: who is logged in, navigation, and a hook that keeps a view's
// work when the session ends.

import type { Me } from './types';

export interface Portal {
  me: Me | null;
  /** Set when the session ended mid-work: shown on the login form. */
  expired: string | null;
  go(hash: string): void;
  render(): void;
}

let beforeLeave: (() => void) | null = null;

/** The view currently shown may keep its work before the login replaces it. */
export function onLeave(fn: (() => void) | null): void {
  beforeLeave = fn;
}

/** Runs the keeper of the view shown, if it set one (the shell, when the session ends). */
export function leave(): void {
  beforeLeave?.();
}
