// The timeline: a flame chart per lane (thread, stream) drawn on a canvas. The wheel zooms around
// the pointer, dragging pans, a double click shows the whole trace; each new view asks the server
// for that window at the canvas' width (it merges events shorter than a pixel), so any trace length
// costs the same.

import { h, debounce } from '../ui/dom';
import { KIND_COLORS, formatDuration, type TimelineAnswer } from './profile-types';

const LABEL = 180;
const ROW = 16;
const LANE_GAP = 6;

/** The window after zooming by `factor` (< 1: in) around `at` (a time inside [start, end]), kept in [0, span]. */
export function zoomWindow(start: number, end: number, at: number, factor: number, span: number): [number, number] {
  const width = Math.min(span, Math.max(1000, (end - start) * factor));
  let s = at - (at - start) * (width / (end - start));
  s = Math.max(0, Math.min(s, span - width));
  return [s, s + width];
}

/** The window moved by `delta` ns, kept in [0, span]. */
export function panWindow(start: number, end: number, delta: number, span: number): [number, number] {
  const width = end - start;
  const s = Math.max(0, Math.min(start + delta, span - width));
  return [s, s + width];
}

export class TimelineView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private readonly status: HTMLElement;
  private data: TimelineAnswer | null = null;
  private span = 1;
  private start = 0;
  private end = 1;
  private laneTop: number[] = [];
  private dragging: { x: number; start: number; end: number } | null = null;
  private seq = 0;
  private readonly requestSoon = debounce(() => void this.request(), 120);

  constructor(private readonly fetchWindow: (start: number, end: number, width: number) => Promise<TimelineAnswer>) {
    this.canvas = h('canvas', { class: 'timeline-canvas', 'aria-label': 'timeline' });
    this.tip = h('div', { class: 'timeline-tip', hidden: true });
    this.status = h('div', { class: 'muted small timeline-status' });
    this.element = h('div', { class: 'timeline' },
      h('div', { class: 'muted small' }, 'wheel: zoom · drag: pan · double click: whole trace'),
      h('div', { class: 'timeline-box' }, this.canvas, this.tip), this.status);
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.canvas.addEventListener('mousedown', (e) => { this.dragging = { x: e.offsetX, start: this.start, end: this.end }; });
    window.addEventListener('mouseup', () => { this.dragging = null; });
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; });
    this.canvas.addEventListener('dblclick', () => this.show(0, this.span));
  }

  /** Shows a trace from its whole span. */
  async load(span: number): Promise<void> {
    this.span = Math.max(1, span);
    this.data = null;
    await this.show(0, this.span);
  }

  /** The window shown, in ns from the trace's start. */
  get window(): [number, number] {
    return [this.start, this.end];
  }

  show(start: number, end: number): Promise<void> {
    this.start = start;
    this.end = end;
    this.draw();
    return this.request();
  }

  private plotWidth(): number {
    return Math.max(100, (this.canvas.clientWidth || 900) - LABEL);
  }

  private async request(): Promise<void> {
    const seq = ++this.seq;
    const [s, e] = [Math.floor(this.start), Math.ceil(this.end)];
    this.status.textContent = 'loading…';
    try {
      const data = await this.fetchWindow(s, e, this.plotWidth());
      if (seq !== this.seq) return;
      this.data = data;
      this.canvas.dataset.events = String(data.events.length);
      this.canvas.dataset.window = `${s}-${e}`;
      this.status.textContent = `${data.events.length.toLocaleString()} bars · ${formatDuration(e - s)} shown · `
        + `one pixel ${formatDuration(data.resolutionNs)}${data.truncated ? ' · truncated: zoom in' : ''}`;
      this.draw();
    } catch (err) {
      if (seq === this.seq) this.status.textContent = (err as Error).message;
    }
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const at = this.timeAt(e.offsetX);
    const [s, end] = zoomWindow(this.start, this.end, at, e.deltaY > 0 ? 1.25 : 0.8, this.span);
    this.start = s;
    this.end = end;
    this.draw();
    this.requestSoon();
  }

  private onMove(e: MouseEvent): void {
    if (this.dragging) {
      const perPx = (this.dragging.end - this.dragging.start) / this.plotWidth();
      const [s, end] = panWindow(this.dragging.start, this.dragging.end, (this.dragging.x - e.offsetX) * perPx, this.span);
      this.start = s;
      this.end = end;
      this.draw();
      this.requestSoon();
      return;
    }
    const hit = this.hit(e.offsetX, e.offsetY);
    if (!hit || !this.data) {
      this.tip.hidden = true;
      return;
    }
    const name = this.data.names[hit[3]];
    this.tip.hidden = false;
    this.tip.textContent = `${hit[5] > 1 ? `${hit[5]} events, longest: ` : ''}${name?.name ?? '?'}`
      + `${name?.type ? ` (${name.type})` : ''} · ${formatDuration(hit[2])}`;
    this.tip.style.left = `${Math.min(e.offsetX + 12, this.canvas.clientWidth - 260)}px`;
    this.tip.style.top = `${e.offsetY + 14}px`;
  }

  private timeAt(x: number): number {
    return this.start + Math.max(0, x - LABEL) / this.plotWidth() * (this.end - this.start);
  }

  private hit(x: number, y: number): TimelineAnswer['events'][number] | null {
    if (!this.data || x < LABEL) return null;
    const t = this.timeAt(x);
    const slack = (this.end - this.start) / this.plotWidth() * 2;
    for (const ev of this.data.events) {
      const top = (this.laneTop[ev[0]] ?? -1000) + ev[4] * ROW;
      if (y >= top && y < top + ROW - 1 && t >= ev[1] - slack && t <= ev[1] + ev[2] + slack) return ev;
    }
    return null;
  }

  private draw(): void {
    const data = this.data;
    const depth = new Map<number, number>();
    for (const ev of data?.events ?? []) depth.set(ev[0], Math.max(depth.get(ev[0]) ?? 0, ev[4] + 1));
    const lanes = (data?.lanes ?? []).filter((l) => depth.has(l.index));
    this.laneTop = [];
    let y = 4;
    for (const lane of lanes) {
      this.laneTop[lane.index] = y + 14;
      y += 14 + (depth.get(lane.index) ?? 1) * ROW + LANE_GAP;
    }
    const width = this.canvas.clientWidth || 900;
    const height = Math.max(80, y);
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = width * ratio;
    this.canvas.height = height * ratio;
    this.canvas.style.height = `${height}px`;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, height);
    const styles = getComputedStyle(this.canvas);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = styles.color;
    if (!data) {
      g.fillText('loading the timeline…', LABEL, 30);
      return;
    }
    const plot = this.plotWidth();
    const scale = plot / (this.end - this.start);
    for (const lane of lanes) {
      g.fillStyle = styles.color;
      g.fillText(lane.name.length > 28 ? `…${lane.name.slice(-27)}` : lane.name, 4, this.laneTop[lane.index]! + 10);
    }
    g.save();
    g.beginPath();
    g.rect(LABEL, 0, plot, height);
    g.clip();
    for (const ev of data.events) {
      const x = LABEL + (ev[1] - this.start) * scale;
      const w = Math.max(1, ev[2] * scale);
      if (x + w < LABEL || x > LABEL + plot) continue;
      const top = this.laneTop[ev[0]]! + ev[4] * ROW;
      const name = data.names[ev[3]];
      g.fillStyle = KIND_COLORS[name?.kind ?? 'other'] ?? '#999';
      g.globalAlpha = ev[5] > 1 ? 0.55 : 1;
      g.fillRect(x, top, w, ROW - 2);
      if (w > 40 && name) {
        g.globalAlpha = 1;
        g.fillStyle = '#fff';
        g.fillText(name.name.slice(0, Math.floor(w / 6)), Math.max(x, LABEL) + 2, top + 11);
      }
    }
    g.restore();
    g.globalAlpha = 1;
  }
}
