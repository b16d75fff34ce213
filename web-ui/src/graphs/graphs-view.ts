// The graphs tab: a run's model graph (TF GraphDef, MetaGraphDef or Keras model config) laid
// out with elkjs. Name scopes ('/' in node names) start collapsed and open on click; search
// opens the scopes of the matching nodes and highlights them; the raw graph can be downloaded.

import { get, fetchBlob, query } from '../api/client';
import type { BlobSeries, Run } from '../api/types';
import type { View, ViewContext } from '../app/context';
import { h, notice, download } from '../ui/dom';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { parseGraphDef, parseMetaGraphDef, parseKerasConfig, inputNode, type GraphNode } from './graph-model';

const SOURCES = [
  { plugin: 'graphs', label: 'op graph (GraphDef)', parse: (b: Uint8Array) => parseGraphDef(b), ext: 'pb' },
  { plugin: 'graph_meta_graph', label: 'meta graph', parse: (b: Uint8Array) => parseMetaGraphDef(b), ext: 'pb' },
  { plugin: 'graph_keras_model', label: 'Keras model', parse: (b: Uint8Array) => parseKerasConfig(new TextDecoder().decode(b)), ext: 'json' },
] as const;

const SVG = 'http://www.w3.org/2000/svg';
const MAX_VISIBLE = 1500;

interface Choice { run: Run; source: (typeof SOURCES)[number]; tag: string }

export class GraphsView implements View {
  readonly element: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly search: HTMLInputElement;
  private readonly info: HTMLElement;
  private readonly canvas: HTMLElement;
  private choices: Choice[] = [];
  private nodes: GraphNode[] = [];
  private raw: Uint8Array | null = null;
  private expanded = new Set<string>();
  private matches = new Set<string>();
  private scopes = new Map<string, number>(); // scope path → nodes inside
  private key = '';
  private renderToken = 0;

  constructor() {
    this.picker = h('select', { 'aria-label': 'graph to show' });
    this.picker.addEventListener('change', () => void this.open(this.choices[Number(this.picker.value)]));
    this.search = h('input', { type: 'search', placeholder: 'search nodes', 'aria-label': 'search graph nodes by name' });
    this.search.addEventListener('change', () => this.onSearch());
    const raw = h('button', { type: 'button', class: 'small' }, 'Download raw');
    raw.addEventListener('click', () => {
      const choice = this.choices[Number(this.picker.value)];
      if (this.raw && choice) download(`${choice.run.path.replace(/\W+/g, '_')}-${choice.tag.replace(/\W+/g, '_')}.${choice.source.ext}`, new Blob([this.raw as BlobPart]));
    });
    const collapse = h('button', { type: 'button', class: 'small' }, 'Collapse all');
    collapse.addEventListener('click', () => {
      this.expanded.clear();
      void this.render();
    });
    this.info = h('span', { class: 'muted small', role: 'status' });
    this.canvas = h('div', { class: 'graph-canvas' });
    this.element = h('section', { class: 'view view-graphs', 'aria-label': 'graphs' },
      h('div', { class: 'toolbar' }, this.picker, this.search, collapse, raw, this.info), this.canvas);
  }

  update(ctx: ViewContext): void {
    const selected = new Set(ctx.selected.map((r) => r.id));
    const choices: Choice[] = [];
    for (const source of SOURCES) {
      for (const [tag, ids] of Object.entries(ctx.tags[source.plugin] ?? {})) {
        for (const run of ctx.selected) if (ids.includes(run.id) && selected.has(run.id)) choices.push({ run, source, tag });
      }
    }
    const key = choices.map((c) => `${c.run.id}:${c.source.plugin}:${c.tag}`).join('|');
    if (key === this.key) return;
    this.key = key;
    this.choices = choices;
    this.picker.replaceChildren(...choices.map((c, i) => h('option', { value: i }, `${c.run.path} — ${c.source.label}${c.tag.startsWith('__') ? '' : ` (${c.tag})`}`)));
    if (!choices.length) {
      this.canvas.replaceChildren(notice('No graphs in the selected runs.'));
      return;
    }
    void this.open(choices[0]);
  }

  refresh(): void {}

  destroy(): void {}

  private async open(choice: Choice | undefined): Promise<void> {
    if (!choice) return;
    this.canvas.replaceChildren(notice('loading graph…', 'info'));
    try {
      const series = await get<BlobSeries>(`/runs/${choice.run.id}/blobs${query({ tag: choice.tag, maxPoints: 1 })}`);
      const last = series.points[series.points.length - 1];
      const blob = last?.blobs[0];
      if (!blob) {
        this.canvas.replaceChildren(notice('This graph has no data.'));
        return;
      }
      this.raw = new Uint8Array(await (await fetchBlob(blob.url)).arrayBuffer());
      this.nodes = choice.source.parse(this.raw);
      this.scopes = new Map();
      for (const n of this.nodes) {
        const parts = n.name.split('/');
        for (let i = 1; i < parts.length; i++) {
          const scope = parts.slice(0, i).join('/');
          this.scopes.set(scope, (this.scopes.get(scope) ?? 0) + 1);
        }
      }
      this.expanded = new Set();
      this.matches = new Set();
      // Small graphs open fully; big ones start at their top-level scopes.
      if (this.nodes.length <= 60) this.scopes.forEach((_, s) => this.expanded.add(s));
      await this.render();
    } catch (e) {
      this.canvas.replaceChildren(notice(`Cannot read this graph: ${(e as Error).message}`, 'error'));
    }
  }

  private onSearch(): void {
    const needle = this.search.value.trim().toLowerCase();
    this.matches = new Set(needle ? this.nodes.filter((n) => n.name.toLowerCase().includes(needle)).slice(0, 200).map((n) => n.name) : []);
    for (const name of this.matches) {
      const parts = name.split('/');
      for (let i = 1; i < parts.length; i++) this.expanded.add(parts.slice(0, i).join('/'));
    }
    void this.render().then(() => this.canvas.querySelector('.graph-node.match')?.scrollIntoView({ block: 'center', inline: 'center' }));
  }

  /** The visible item standing for a node: the node itself, or its outermost collapsed scope. */
  private visible(name: string): string {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const scope = parts.slice(0, i).join('/');
      if (!this.expanded.has(scope)) return scope;
    }
    return name;
  }

  private async render(): Promise<void> {
    const token = ++this.renderToken;
    const byName = new Map(this.nodes.map((n) => [n.name, n]));
    const items = new Set(this.nodes.map((n) => this.visible(n.name)));
    if (items.size > MAX_VISIBLE) {
      this.canvas.replaceChildren(notice(`${items.size} nodes are open: collapse some scopes (or search) to draw the graph.`));
      return;
    }
    const edges = new Set<string>();
    for (const n of this.nodes) {
      const to = this.visible(n.name);
      for (const input of n.inputs) {
        const source = inputNode(input);
        if (!byName.has(source)) continue;
        const from = this.visible(source);
        if (from !== to) edges.add(`${from}\u0000${to}`);
      }
    }
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    const elk = new ELK();
    const graph: ElkNode = {
      id: 'root',
      layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.spacing.nodeNode': '24', 'elk.layered.spacing.nodeNodeBetweenLayers': '36' },
      children: [...items].map((id) => {
        const isScope = this.scopes.has(id) && !byName.has(id);
        const label = isScope ? `${id.split('/').pop()} (${this.scopes.get(id)})` : `${id.split('/').pop()} · ${byName.get(id)?.op ?? ''}`;
        return { id, width: Math.min(260, Math.max(70, label.length * 7 + 16)), height: 30, labels: [{ text: label }] };
      }),
      edges: [...edges].map((e, i) => {
        const [from, to] = e.split('\u0000');
        return { id: `e${i}`, sources: [from], targets: [to] };
      }),
    };
    const layout = await elk.layout(graph);
    if (token !== this.renderToken) return;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', String(layout.width ?? 0));
    svg.setAttribute('height', String(layout.height ?? 0));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `model graph with ${items.size} visible nodes`);
    const defs = document.createElementNS(SVG, 'defs');
    defs.innerHTML = '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="currentColor"/></marker>';
    svg.append(defs);
    for (const edge of layout.edges ?? []) {
      for (const section of (edge as { sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[] }).sections ?? []) {
        const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
        const path = document.createElementNS(SVG, 'path');
        path.setAttribute('d', points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' '));
        path.setAttribute('class', 'graph-edge');
        path.setAttribute('marker-end', 'url(#arrow)');
        svg.append(path);
      }
    }
    for (const child of layout.children ?? []) {
      const id = child.id;
      const isScope = this.scopes.has(id) && !byName.has(id);
      const g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', `graph-node${isScope ? ' scope' : ''}${this.matches.has(id) ? ' match' : ''}`);
      g.setAttribute('transform', `translate(${child.x},${child.y})`);
      g.dataset.name = id;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('width', String(child.width));
      rect.setAttribute('height', String(child.height));
      rect.setAttribute('rx', isScope ? '10' : '4');
      const text = document.createElementNS(SVG, 'text');
      text.setAttribute('x', '8');
      text.setAttribute('y', '19');
      text.textContent = child.labels?.[0]?.text ?? id;
      const title = document.createElementNS(SVG, 'title');
      const node = byName.get(id);
      title.textContent = node ? `${node.name}\nop: ${node.op}${node.device ? `\ndevice: ${node.device}` : ''}\ninputs: ${node.inputs.join(', ') || '–'}` : `${id}: ${this.scopes.get(id)} nodes (click to open)`;
      g.append(title, rect, text);
      if (isScope || id.includes('/')) {
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'button');
        const toggle = () => {
          if (isScope) this.expanded.add(id);
          else this.expanded.delete(id.slice(0, id.lastIndexOf('/')));
          void this.render();
        };
        g.addEventListener('click', toggle);
        g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
      }
      svg.append(g);
    }
    this.canvas.replaceChildren(svg);
    this.canvas.dataset.nodes = String(items.size);
    this.info.textContent = `${this.nodes.length} nodes · ${items.size} shown · click a scope to open it, a node to close its scope`;
  }
}
