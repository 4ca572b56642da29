/**
 * ONNX serialisation: the subset of onnx.proto this project reads and writes, encoded with protobufjs.
 *
 * Public API
 *   encodeModel(model: OnnxModel): Uint8Array        ModelProto bytes (IR 8 / opset 17 by convention)
 *   decodeModel(bytes: Uint8Array): OnnxModel        throws OnnxFormatError on bytes that are not a ModelProto
 *   appendMetadata(bytes, entries): Uint8Array       adds metadata_props without re-encoding the rest
 *   tensorFromArray / tensorToArray                   TensorProto <-> typed arrays (raw_data, little-endian)
 *   DataType                                          TensorProto.DataType numbers
 *
 * Field names are onnx.proto's own (snake_case) — protobufjs must keep them, otherwise `opset_import`
 * silently becomes `opsetImport`, is never written, and ORT reports "Missing opset". Messages are decoded
 * with int64s as JS numbers (all sizes we meet are far below 2^53).
 */
import protobuf from 'protobufjs';

/** TensorProto.DataType. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
} as const;

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

export interface OnnxTensor {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  data_location?: number;
  external_data?: OnnxStringEntry[];
  doc_string?: string;
}

export interface OnnxDim {
  dim_value?: number;
  dim_param?: string;
}

export interface OnnxType {
  tensor_type?: { elem_type?: number; shape?: { dim?: OnnxDim[] } };
  sequence_type?: unknown;
  map_type?: unknown;
  optional_type?: unknown;
  sparse_tensor_type?: unknown;
}

export interface OnnxValueInfo {
  name?: string;
  type?: OnnxType;
  doc_string?: string;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
  doc_string?: string;
}

export interface OnnxGraph {
  node?: OnnxNode[];
  name?: string;
  initializer?: OnnxTensor[];
  doc_string?: string;
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  value_info?: OnnxValueInfo[];
}

export interface OnnxStringEntry {
  key?: string;
  value?: string;
}

export interface OnnxOpset {
  domain?: string;
  version?: number;
}

export interface OnnxModel {
  ir_version?: number;
  opset_import?: OnnxOpset[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: OnnxGraph;
  metadata_props?: OnnxStringEntry[];
}

/** Bytes that are not a (readable) ONNX ModelProto. */
export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
}

// Field numbers follow onnx/onnx.proto (proto2). Fields this project never touches are left out;
// protobufjs skips unknown fields when decoding.
const descriptor = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1, options: { packed: false } },
            data_type: { type: 'int32', id: 2 },
            float_data: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int32_data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
            string_data: { rule: 'repeated', type: 'bytes', id: 6 },
            int64_data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
            double_data: { rule: 'repeated', type: 'double', id: 10, options: { packed: true } },
            uint64_data: { rule: 'repeated', type: 'uint64', id: 11, options: { packed: true } },
            doc_string: { type: 'string', id: 12 },
            external_data: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
            data_location: { type: 'int32', id: 14 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: {
                dim_value: { type: 'int64', id: 1 },
                dim_param: { type: 'string', id: 2 },
                denotation: { type: 'string', id: 3 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type'] } },
          fields: {
            tensor_type: { type: 'Tensor', id: 1 },
            sequence_type: { type: 'Opaque', id: 4 },
            map_type: { type: 'Opaque', id: 5 },
            denotation: { type: 'string', id: 6 },
            sparse_tensor_type: { type: 'Opaque', id: 8 },
            optional_type: { type: 'Opaque', id: 9 },
          },
          nested: {
            Tensor: {
              fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
            },
            // Non-tensor types are only detected (to reject them), never inspected.
            Opaque: { fields: {} },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            doc_string: { type: 'string', id: 3 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            floats: { rule: 'repeated', type: 'float', id: 7, options: { packed: false } },
            ints: { rule: 'repeated', type: 'int64', id: 8, options: { packed: false } },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            tensors: { rule: 'repeated', type: 'TensorProto', id: 10 },
            graphs: { rule: 'repeated', type: 'GraphProto', id: 11 },
            doc_string: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
            ref_attr_name: { type: 'string', id: 21 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            doc_string: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
const ModelProto = root.lookupType('onnx.ModelProto');
const StringStringEntryProto = root.lookupType('onnx.StringStringEntryProto');

// bytes stay Uint8Array (protobufjs's default copies the present value); int64s become numbers.
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, defaults: false, arrays: true };

export function encodeModel(model: OnnxModel): Uint8Array {
  const msg = ModelProto.fromObject(model as Record<string, unknown>);
  return ModelProto.encode(msg).finish();
}

export function decodeModel(bytes: Uint8Array): OnnxModel {
  let msg: protobuf.Message;
  try {
    msg = ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxFormatError(`not an ONNX model: the bytes are not a ModelProto (${(e as Error).message})`);
  }
  const obj = ModelProto.toObject(msg, TO_OBJECT) as OnnxModel;
  if (!obj.graph || obj.ir_version === undefined) {
    throw new OnnxFormatError('not an ONNX model: no graph or no ir_version found in the bytes');
  }
  return obj;
}

/**
 * Appends metadata_props entries to an encoded ModelProto. A repeated field may be split anywhere in a
 * protobuf message, so concatenating `field 14` records keeps every other byte of the model intact —
 * also fields this project's proto subset does not know (useful for imported, externally built models).
 */
export function appendMetadata(bytes: Uint8Array, entries: Record<string, string>): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [key, value] of Object.entries(entries)) {
    w.uint32((14 << 3) | 2).fork();
    StringStringEntryProto.encode(StringStringEntryProto.fromObject({ key, value }), w);
    w.ldelim();
  }
  const tail = w.finish();
  const out = new Uint8Array(bytes.length + tail.length);
  out.set(bytes, 0);
  out.set(tail, bytes.length);
  return out;
}

/** metadata_props as a plain record (later entries win, matching how appended entries override). */
export function metadataOf(model: OnnxModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of model.metadata_props ?? []) if (e.key !== undefined) out[e.key] = e.value ?? '';
  return out;
}

export type TypedArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

/** A TensorProto holding `data` as little-endian raw_data. */
export function tensorFromArray(name: string, dims: readonly number[], data: TypedArray, dataType: number): OnnxTensor {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`tensor ${name}: ${data.length} values for dims [${dims.join(', ')}] (${count} expected)`);
  // Copy: the typed array may be a view into a larger buffer, and the machine is little-endian (x86/ARM).
  const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return { name, dims: [...dims], data_type: dataType, raw_data: raw };
}

/** Reads a float/double/int tensor from raw_data or the typed *_data fields. */
export function tensorToArray(t: OnnxTensor): Float32Array | Float64Array | BigInt64Array | Int32Array {
  const count = (t.dims ?? []).reduce((a, b) => a * b, 1);
  const raw = t.raw_data && t.raw_data.length > 0 ? t.raw_data : undefined;
  const copy = (bytesPer: number) => {
    if (!raw) return undefined;
    if (raw.length !== count * bytesPer) throw new OnnxFormatError(`tensor ${t.name}: raw_data has ${raw.length} bytes, ${count * bytesPer} expected`);
    return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  };
  switch (t.data_type) {
    case DataType.FLOAT: {
      const b = copy(4);
      return b ? new Float32Array(b) : Float32Array.from(t.float_data ?? []);
    }
    case DataType.DOUBLE: {
      const b = copy(8);
      return b ? new Float64Array(b) : Float64Array.from(t.double_data ?? []);
    }
    case DataType.INT64: {
      const b = copy(8);
      return b ? new BigInt64Array(b) : BigInt64Array.from((t.int64_data ?? []).map((x) => BigInt(x)));
    }
    case DataType.INT32: {
      const b = copy(4);
      return b ? new Int32Array(b) : Int32Array.from(t.int32_data ?? []);
    }
    default:
      throw new OnnxFormatError(`tensor ${t.name}: data type ${t.data_type} is not supported here`);
  }
}
