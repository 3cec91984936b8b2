// Typed arrays for work done one partition at a time, kept from one partition to the next.
// A typed array's memory lives outside V8's heap and goes back only when the array object is
// collected: a fresh set per partition (256 of them, each judged in a few milliseconds) let
// freed-but-uncollected memory pile up, ~60 MB at 3M episodes, before V8 ran a collection.

type Typed = Int32Array | Uint32Array | Uint8Array | Float64Array;

export class PartitionArrays {
  readonly #kept = new Map<string, Typed>();

  #take<T extends Typed>(name: string, n: number, make: (length: number) => T, fill: number): T {
    let a = this.#kept.get(name) as T | undefined;
    if (a === undefined || a.length < n) {
      a = make(Math.ceil(n * 1.25) + 16);
      this.#kept.set(name, a);
    }
    a.fill(fill, 0, n);
    return a;
  }

  /** An array named `name` of at least `n` elements, the first `n` set to `fill`. */
  int32(name: string, n: number, fill = 0): Int32Array {
    return this.#take(name, n, (length) => new Int32Array(length), fill);
  }

  uint32(name: string, n: number): Uint32Array {
    return this.#take(name, n, (length) => new Uint32Array(length), 0);
  }

  uint8(name: string, n: number): Uint8Array {
    return this.#take(name, n, (length) => new Uint8Array(length), 0);
  }

  float64(name: string, n: number): Float64Array {
    return this.#take(name, n, (length) => new Float64Array(length), 0);
  }
}
