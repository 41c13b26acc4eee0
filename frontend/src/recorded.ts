// The recorded-time control: "the tracker as it stood on …" (recorded_as_of),
// beside the year slider, which stays about valid time. Empty means now.

export class RecordedControl {
  private first: string | null = null;
  private today: string | null = null;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly now: HTMLButtonElement,
    private readonly note: HTMLElement,
    private readonly hint: HTMLElement,
    onChange: (recorded: string | null) => void,
  ) {
    // "change" fires once a full date has been entered or picked (not on every keystroke).
    input.addEventListener('change', () => onChange(input.value || null));
    now.addEventListener('click', () => {
      input.value = '';
      onChange(null);
      input.focus();
    });
  }

  /** The first day the tracker recorded anything (the reference's first recording) and today. */
  setBounds(first: string | null, today: string | null): void {
    this.first = first;
    this.today = today;
    if (first) this.input.min = first;
    else this.input.removeAttribute('min');
    if (today) this.input.max = today;
    else this.input.removeAttribute('max');
    this.input.disabled = false;
    this.describe();
  }

  get bounds(): { first: string | null; today: string | null } {
    return { first: this.first, today: this.today };
  }

  /** Shows a value without firing a change (null = now). */
  setValue(recorded: string | null): void {
    this.input.value = recorded ?? '';
    this.now.disabled = recorded === null;
    this.describe();
  }

  /** Says what was changed from the link or the input (null hides the note). */
  showNote(text: string | null): void {
    this.note.hidden = !text;
    this.note.textContent = text ?? '';
  }

  private describe(): void {
    const range = this.first ? `The tracker has records from ${this.first}${this.today ? ` to ${this.today}` : ''}. ` : '';
    this.hint.textContent = `${range}Leave empty for the tracker as it stands now. The year slider is about when things were true; this date is about when the tracker recorded them.`;
  }
}
