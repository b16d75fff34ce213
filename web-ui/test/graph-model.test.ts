import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGraphDef, parseKerasConfig, inputNode } from '../src/graphs/graph-model';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) { out.push((n & 0x7f) | 0x80); n >>>= 7; }
  out.push(n);
  return out;
}
function str(field: number, s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...varint(field * 8 + 2), ...varint(b.length), ...b];
}
function msg(field: number, body: number[]): number[] {
  return [...varint(field * 8 + 2), ...varint(body.length), ...body];
}

test('a GraphDef with two nodes reads back names, ops and inputs; unknown fields are skipped', () => {
  const a = [...str(1, 'dense/MatMul'), ...str(2, 'MatMul'), ...str(3, 'input:0'), ...str(3, '^init'), 0x28, 0x01];
  const b = [...str(1, 'input'), ...str(2, 'Placeholder')];
  const versions = msg(4, [0x08, 0x1b]);
  const nodes = parseGraphDef(new Uint8Array([...msg(1, a), ...msg(1, b), ...versions]));
  assert.deepEqual(nodes.map((n) => [n.name, n.op, n.inputs]), [
    ['dense/MatMul', 'MatMul', ['input:0', '^init']],
    ['input', 'Placeholder', []],
  ]);
  assert.equal(inputNode('^init'), 'init');
  assert.equal(inputNode('input:0'), 'input');
});

test('a truncated GraphDef is an error, not a silently shorter graph', () => {
  const bytes = new Uint8Array(msg(1, str(1, 'abc'))).subarray(0, 4);
  assert.throws(() => parseGraphDef(bytes));
});

test('a Keras 3 functional config links layers through keras_history', () => {
  const config = {
    class_name: 'Functional',
    config: {
      name: 'm',
      layers: [
        { class_name: 'InputLayer', config: { name: 'in' }, inbound_nodes: [] },
        { class_name: 'Dense', config: { name: 'd1' }, inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: ['in', 0, 0] } }] }] },
      ],
    },
  };
  const nodes = parseKerasConfig(JSON.stringify(config));
  assert.deepEqual(nodes.map((n) => [n.name, n.op, n.inputs]), [['in', 'InputLayer', []], ['d1', 'Dense', ['in']]]);
});

test('a Keras 2 Sequential config chains its layers in order', () => {
  const config = { class_name: 'Sequential', config: { name: 's', layers: [
    { class_name: 'Dense', config: { name: 'a' } }, { class_name: 'Dense', config: { name: 'b' } },
  ] } };
  assert.deepEqual(parseKerasConfig(JSON.stringify(config)).map((n) => n.inputs), [[], ['a']]);
});
