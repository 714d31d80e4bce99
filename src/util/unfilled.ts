/**
 * Typed arrays for code that writes every element before anything reads one. A zero-filled array of several MB
 * costs page faults and zeroing on every image (about 7 ms for a 2,048 x 2,500 Float32Array here); memory from
 * Buffer.allocUnsafeSlow is neither zeroed nor, once freed memory is reused, faulted in again.
 */
export function unfilledFloat32(length: number): Float32Array {
  return new Float32Array(Buffer.allocUnsafeSlow(length * 4).buffer, 0, length);
}

export function unfilledUint16(length: number): Uint16Array {
  return new Uint16Array(Buffer.allocUnsafeSlow(length * 2).buffer, 0, length);
}
