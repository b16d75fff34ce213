// Model graphs reduced to what the view draws: named nodes (op, inputs), from a TensorFlow
// GraphDef (binary protobuf, read with a minimal wire-format reader: only the fields shown are
// decoded) or a Keras model config (JSON). Name scopes come from '/' in node names.

export interface GraphNode {
  name: string;
  op: string;
  inputs: string[];
  device?: string;
}

/** Protobuf wire format: varints, length-delimited fields; everything else is skipped. */
class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array, private readonly end = bytes.length) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }

  /** Returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.end) throw new Error('field runs past the end of the message');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytesField();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

const utf8 = new TextDecoder();

function nodeDef(bytes: Uint8Array): GraphNode {
  const r = new Reader(bytes);
  const node: GraphNode = { name: '', op: '', inputs: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (wire === 2 && field === 1) node.name = utf8.decode(r.bytesField());
    else if (wire === 2 && field === 2) node.op = utf8.decode(r.bytesField());
    else if (wire === 2 && field === 3) node.inputs.push(utf8.decode(r.bytesField()));
    else if (wire === 2 && field === 4) node.device = utf8.decode(r.bytesField()) || undefined;
    else r.skip(wire);
  }
  return node;
}

/** GraphDef: `repeated NodeDef node = 1`. */
export function parseGraphDef(bytes: Uint8Array): GraphNode[] {
  const r = new Reader(bytes);
  const nodes: GraphNode[] = [];
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) nodes.push(nodeDef(r.bytesField()));
    else r.skip(wire);
  }
  return nodes;
}

/** MetaGraphDef: `GraphDef graph_def = 2`. */
export function parseMetaGraphDef(bytes: Uint8Array): GraphNode[] {
  const r = new Reader(bytes);
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 2 && wire === 2) return parseGraphDef(r.bytesField());
    r.skip(wire);
  }
  return [];
}

/** An input name without its output index or control marker ("^a", "a:1" → "a"). */
export function inputNode(input: string): string {
  return input.replace(/^\^/, '').replace(/:\d+$/, '');
}

interface KerasLayer {
  class_name?: string;
  name?: string;
  config?: { name?: string; layers?: KerasLayer[] } & Record<string, unknown>;
  inbound_nodes?: unknown;
}

/** Layer names a Keras inbound_nodes value refers to (Keras 2 nested lists and Keras 3 keras_history). */
function inboundNames(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    if (typeof value[0] === 'string' && typeof value[1] === 'number' && typeof value[2] === 'number') out.push(value[0]);
    else value.forEach((v) => inboundNames(v, out));
  } else if (value && typeof value === 'object') {
    const history = (value as Record<string, unknown>).keras_history;
    if (Array.isArray(history) && typeof history[0] === 'string') out.push(history[0]);
    else Object.values(value).forEach((v) => inboundNames(v, out));
  }
  return out;
}

/** A Keras model config (model.to_json()): layers become nodes, nested models become name scopes. */
export function parseKerasConfig(json: string): GraphNode[] {
  const model = JSON.parse(json) as KerasLayer;
  const nodes: GraphNode[] = [];
  const walk = (layer: KerasLayer, scope: string) => {
    const layers = layer.config?.layers ?? [];
    const sequential = layer.class_name === 'Sequential';
    let previous: string | null = null;
    for (const child of layers) {
      const name = child.config?.name ?? child.name ?? `layer${nodes.length}`;
      const full = scope ? `${scope}/${name}` : name;
      const explicit = inboundNames(child.inbound_nodes).map((n) => (scope ? `${scope}/${n}` : n));
      const inputs = explicit.length ? explicit : sequential && previous ? [previous] : [];
      if (child.config?.layers) {
        walk(child, full);
        // The nested model's first layer takes the outer inputs.
        const first = nodes.find((n) => n.name.startsWith(`${full}/`));
        if (first) first.inputs.push(...inputs);
        const last = [...nodes].reverse().find((n) => n.name.startsWith(`${full}/`));
        previous = last?.name ?? previous;
      } else {
        nodes.push({ name: full, op: child.class_name ?? 'Layer', inputs });
        previous = full;
      }
    }
  };
  walk(model, '');
  return nodes;
}
