// The time slider (years from the first assessment to the current year) and
// its play button. The current year is shown as "today".

export class TimeBar {
  private start = 2005;
  private end = new Date().getFullYear();
  private playing = false;

  constructor(
    private readonly slider: HTMLInputElement,
    private readonly play: HTMLButtonElement,
    private readonly label: HTMLElement,
    private readonly onYear: (year: number | null) => Promise<void>,
    private readonly stepMs = 700,
  ) {
    slider.addEventListener('input', () => {
      this.stop();
      void this.onYear(this.toYear(Number(slider.value)));
      this.showLabel();
    });
    play.addEventListener('click', () => (this.playing ? this.stop() : void this.run()));
  }

  private toYear(v: number): number | null {
    return v >= this.end ? null : v;
  }

  setRange(start: number, end: number): void {
    this.start = start;
    this.end = end;
    this.slider.min = String(start);
    this.slider.max = String(end);
    this.slider.disabled = false;
    this.play.disabled = start >= end;
    this.showLabel();
  }

  /** Shows a year without firing a change (null = today). */
  setYear(year: number | null): void {
    this.slider.value = String(year ?? this.end);
    this.showLabel();
  }

  private showLabel(): void {
    const v = Number(this.slider.value);
    const text = v >= this.end ? `${this.end} (today)` : String(v);
    this.label.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
  }

  stop(): void {
    this.playing = false;
    this.play.setAttribute('aria-pressed', 'false');
    this.play.textContent = '▶ Play';
  }

  private async run(): Promise<void> {
    this.playing = true;
    this.play.setAttribute('aria-pressed', 'true');
    this.play.textContent = '❚❚ Pause';
    let y = Number(this.slider.value);
    if (y >= this.end) y = this.start - 1;
    while (this.playing && y < this.end) {
      y++;
      this.setYear(y);
      const t0 = performance.now();
      await this.onYear(this.toYear(y));
      const wait = this.stepMs - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.stop();
  }
}
