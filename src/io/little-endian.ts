// 32-bit little-endian integers in byte buffers, by plain indexing. Buffer's own readUInt32LE
// and writeInt32LE check their arguments and were not inlined here: ~16 ns a call against ~2-3
// (micro-benchmark, Node 24), and the key sets and the episode index make a few dozen such calls
// per record. No checks: callers read and write inside entries whose bytes they reserved.

/** Writes the low 32 bits of `n` (signed or unsigned, the same bytes) at `o`. */
export function write32(b: Uint8Array, o: number, n: number): void {
  b[o] = n;
  b[o + 1] = n >>> 8;
  b[o + 2] = n >>> 16;
  b[o + 3] = n >>> 24;
}

export function readU32(b: Uint8Array, o: number): number {
  return (
    ((b[o] as number) |
      ((b[o + 1] as number) << 8) |
      ((b[o + 2] as number) << 16) |
      ((b[o + 3] as number) << 24)) >>>
    0
  );
}

export function readI32(b: Uint8Array, o: number): number {
  return (
    (b[o] as number) |
    ((b[o + 1] as number) << 8) |
    ((b[o + 2] as number) << 16) |
    ((b[o + 3] as number) << 24)
  );
}
