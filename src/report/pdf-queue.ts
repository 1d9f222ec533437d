/**
 * A bounded queue for PDF rendering. Each PDF launches a headless chromium (~150 MB, a second or two of CPU), so a
 * server renders one at a time with a short line behind it; a request beyond the line is refused at once (the API
 * answers 503 with Retry-After) instead of piling up memory and latency without limit. Each job has a time budget:
 * a render that hangs is abandoned so the line keeps moving.
 */

/** The line is full: the caller should come back later. */
export class PdfQueueFullError extends Error {
  constructor(
    readonly running: number,
    readonly waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `PDF export is busy: ${running} PDF rendering and ${waiting} waiting, the most this server queues; retry in about ${retryAfterSeconds} s, or use format=html or md, which need no rendering`,
    );
  }
}

/** A render took longer than its budget and was abandoned. */
export class PdfTimeoutError extends Error {}

export interface PdfQueueOptions {
  /** Renders at once (default 1). */
  running?: number;
  /** Renders allowed to wait behind them (default 2); one more is refused. */
  waiting?: number;
  /** Time budget per render, from when it starts (default 60 s). */
  timeoutMs?: number;
}

/** What one render gets: `signal` aborts when the time budget is spent, so the renderer can close its browser. */
export type PdfRender = (signal: AbortSignal) => Promise<Buffer>;

export class PdfQueue {
  readonly maxRunning: number;
  readonly maxWaiting: number;
  readonly timeoutMs: number;
  private active = 0;
  private line: Array<() => void> = [];

  constructor(opts: PdfQueueOptions = {}) {
    this.maxRunning = opts.running ?? 1;
    this.maxWaiting = opts.waiting ?? 2;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.line.length;
  }

  /** Run `render` when a slot is free; refuse at once (PdfQueueFullError) when the line is full. */
  async run(render: PdfRender): Promise<Buffer> {
    if (this.active >= this.maxRunning) {
      if (this.line.length >= this.maxWaiting) {
        // A whole line's worth of renders is the honest wait; a few seconds each on a small machine.
        throw new PdfQueueFullError(this.active, this.line.length, Math.max(5, Math.ceil(((this.maxWaiting + 1) * Math.min(this.timeoutMs, 10_000)) / 1000)));
      }
      await new Promise<void>((r) => this.line.push(r));
    } else this.active++;
    // The slot is ours (a finishing job hands it over without decrementing).
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new PdfTimeoutError(
            `PDF rendering took longer than its ${this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`} budget and was stopped; format=html gives the same briefing without rendering`,
          ),
        );
        ac.abort(); // after the rejection above, so the timeout (not the renderer's own abort error) is the answer
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([render(ac.signal), budget]);
    } finally {
      clearTimeout(timer);
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    }
  }
}
