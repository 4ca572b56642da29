/**
 * NumPy `.npy` arrays and `.npz` archives (an uncompressed zip of .npy files), written without
 * dependencies so a dataset export loads with `numpy.load` anywhere.
 */

export type NpyDtype = '<f4' | '<f8' | '<i8' | '<i4' | '|b1' | '<U';

export interface NpyArray {
  dtype: '<f4' | '<f8' | '<i4' | '<i8' | '|b1';
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
}

/** A fixed-width unicode string array (numpy dtype <U{n}). */
export interface NpyStrings {
  dtype: '<U';
  shape: [number];
  strings: string[];
}

function header(descr: string, shape: number[]): Buffer {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = 10 + h.length + 1;
  h += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const buf = Buffer.alloc(10 + h.length);
  buf.write('\x93NUMPY', 0, 'latin1');
  buf[6] = 1;
  buf[7] = 0;
  buf.writeUInt16LE(h.length, 8);
  buf.write(h, 10, 'latin1');
  return buf;
}

export function encodeNpy(a: NpyArray | NpyStrings): Buffer {
  if (a.dtype === '<U') {
    const width = Math.max(1, ...a.strings.map((s) => [...s].length));
    const body = Buffer.alloc(a.strings.length * width * 4);
    a.strings.forEach((s, i) => {
      [...s].forEach((ch, j) => body.writeUInt32LE(ch.codePointAt(0)!, (i * width + j) * 4));
    });
    return Buffer.concat([header(`<U${width}`, a.shape), body]);
  }
  const expected = a.shape.reduce((x, y) => x * y, 1);
  if (a.data.length !== expected) throw new Error(`npy: shape ${JSON.stringify(a.shape)} needs ${expected} values, got ${a.data.length}`);
  const body = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return Buffer.concat([header(a.dtype, a.shape), body]);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** 1980-01-01 00:00 in MS-DOS format (the earliest zip date): fixed, so the same data gives the same bytes. */
const DOS_DATE = (1 << 5) | 1;
const ZIP32_LIMIT = 0xffffffff;

/** A stored (uncompressed) zip archive; archives of 4 GiB or more would need ZIP64 and are refused. */
export function zipStore(files: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  if (files.length > 0xffff) throw new Error(`zip: ${files.length} files; at most 65535 without ZIP64`);
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    if (offset + 30 + name.length + f.data.length >= ZIP32_LIMIT) throw new Error('zip: archive would reach 4 GiB; ZIP64 is not supported');
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, f.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0, 8);
    c.writeUInt16LE(0, 10);
    c.writeUInt16LE(0, 12); // time
    c.writeUInt16LE(DOS_DATE, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(f.data.length, 20);
    c.writeUInt32LE(f.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + f.data.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBuf, end]);
}

export function encodeNpz(arrays: Record<string, NpyArray | NpyStrings>): Buffer {
  return zipStore(Object.entries(arrays).map(([name, a]) => ({ name: `${name}.npy`, data: encodeNpy(a) })));
}
