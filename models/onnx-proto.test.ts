import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph';
import { type OnnxTensor, appendMetadata, DataType, decodeModel, encodeModel, metadataOf, OnnxFormatError, tensorFromArray, tensorToArray } from './onnx-proto';
import { createSession, ort } from './ort';

const values = (t: OnnxTensor) => Array.from(tensorToArray(t) as ArrayLike<number | bigint>);

describe('ONNX protobuf encoding', () => {
  it('round-trips a model, keeping onnx.proto field names (opset_import, ir_version, raw_data)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['batch', 3]);
    const w = b.initializer('w', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    b.output(b.gemm(x, w, null, { transB: true, alpha: 0.5 }), 'y');
    const bytes = b.encode({ metadata: { a: '1', b: 'two' } });
    const m = decodeModel(bytes);
    expect(m.ir_version).toBe(8);
    expect(m.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(m.graph!.input![0]!.type!.tensor_type!.shape!.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 3 }]);
    const gemm = m.graph!.node!.find((n) => n.op_type === 'Gemm')!;
    expect(gemm.attribute!.find((a) => a.name === 'alpha')!.f).toBeCloseTo(0.5);
    expect(gemm.attribute!.find((a) => a.name === 'transB')!.i).toBe(1);
    expect(values(m.graph!.initializer!.find((t) => t.name === 'w')!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metadataOf(m)).toEqual({ a: '1', b: 'two' });
    // Re-encoding the decoded object gives the same bytes.
    expect(Buffer.from(encodeModel(m)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('the encoded model runs in onnxruntime', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', ['batch', 2]);
    b.output(b.relu(b.sub(x, b.const([1, -1]))), 'y');
    const s = await createSession(b.encode());
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([0, 0, 3, -3]), [2, 2]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([0, 1, 2, 0]);
  });

  it('appendMetadata adds entries (later ones win) without touching the original bytes', () => {
    const b = new GraphBuilder();
    b.output(b.neg(b.input('x', [1])), 'y');
    const bytes = b.encode({ metadata: { k: 'old' } });
    const out = appendMetadata(bytes, { k: 'new', extra: 'é ✓' });
    expect(Buffer.from(out.subarray(0, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
    expect(metadataOf(decodeModel(out))).toEqual({ k: 'new', extra: 'é ✓' });
  });

  it('typed data fields and raw data', () => {
    const t = tensorFromArray('t', [2], Float64Array.from([1.5, -2]), DataType.DOUBLE);
    expect(values(t)).toEqual([1.5, -2]);
    expect(values({ name: 'f', dims: [3], data_type: DataType.FLOAT, float_data: [1, 2, 3] })).toEqual([1, 2, 3]);
    expect(values({ name: 'i', dims: [2], data_type: DataType.INT64, int64_data: [7, -1] })).toEqual([7n, -1n]);
    expect(() => tensorToArray({ name: 'bad', dims: [3], data_type: DataType.FLOAT, raw_data: new Uint8Array(5) })).toThrow(/raw_data has 5 bytes, 12 expected/);
    expect(() => tensorFromArray('x', [2, 2], new Float32Array(3), DataType.FLOAT)).toThrow(/3 values for dims \[2, 2\]/);
  });

  it('rejects bytes that are not a ModelProto', () => {
    expect(() => decodeModel(new TextEncoder().encode('hello, world: definitely not protobuf'))).toThrow(OnnxFormatError);
    expect(() => decodeModel(new Uint8Array(0))).toThrow(/not an ONNX model/);
  });
});
