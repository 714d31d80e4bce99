/**
 * A restricted Python unpickler (protocols 2-5) for PyTorch checkpoints: it builds only the few objects a
 * state_dict holds (dicts, lists, tuples, numbers, strings, OrderedDict, tensors rebuilt through
 * torch._utils._rebuild_tensor_v2) and refuses every other global, so a file cannot run code here.
 * Opcodes as in CPython's Lib/pickletools.py.
 */

/** A storage named by a persistent id; `load` turns it into a tensor's backing data. */
export interface StorageRef {
  kind: 'storage';
  dtype: string;
  key: string;
  numel?: number;
}
/** What _rebuild_tensor_v2 gives: a view of a storage. */
export interface TensorRef {
  kind: 'tensor';
  storage: StorageRef;
  offset: number;
  shape: number[];
  stride: number[];
}

type Value = unknown;
const MARK = Symbol('mark');

/** The storage classes PyTorch pickles, by dtype name. */
export const STORAGE_DTYPES: Record<string, string> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

class Global {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get path(): string {
    return `${this.module}.${this.name}`;
  }
}

function callGlobal(fn: Value, args: Value, source: string): Value {
  if (!(fn instanceof Global) || !Array.isArray(args)) throw new Error(`${source}: REDUCE of a non-callable`);
  switch (fn.path) {
    case 'collections.OrderedDict':
      return new Map<string, Value>();
    case 'torch._utils._rebuild_tensor_v2': {
      const [storage, offset, shape, stride] = args as [StorageRef, number, number[], number[]];
      if ((storage as StorageRef)?.kind !== 'storage') throw new Error(`${source}: a tensor without a storage`);
      return {
        kind: 'tensor',
        storage,
        offset: Number(offset),
        shape: (shape as number[]).map(Number),
        stride: (stride as number[]).map(Number),
      } satisfies TensorRef;
    }
    case 'torch._utils._rebuild_parameter':
      return args[0]; // (tensor, requires_grad, backward_hooks): a Parameter is its tensor here
    default:
      throw new Error(`${source}: the checkpoint calls ${fn.path}, which a weights file has no need of (refused)`);
  }
}

/**
 * Unpickles `data` from `pos`; `persistent` resolves persistent ids (PyTorch's storages). Returns the object and
 * the position after STOP (legacy checkpoints hold several pickles in a row).
 */
export function unpickle(
  data: Uint8Array,
  source: string,
  persistent: (pid: Value) => Value,
  pos = 0,
): { value: Value; end: number } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const text = new TextDecoder('utf-8');
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const popMark = (): Value[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw new Error(`${source}: pickle MARK missing`);
    const items = stack.slice(i + 1);
    stack.length = i;
    return items;
  };
  const setItems = (target: Value, items: Value[]) => {
    for (let i = 0; i < items.length; i += 2) {
      if (target instanceof Map) target.set(items[i] as string, items[i + 1]);
      else (target as Record<string, Value>)[String(items[i])] = items[i + 1];
    }
  };
  const line = () => {
    const end = data.indexOf(0x0a, pos);
    const s = text.decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const bytes = (n: number) => {
    const b = data.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  for (;;) {
    if (pos >= data.length) throw new Error(`${source}: the pickle ends without STOP`);
    const op = data[pos++];
    switch (op) {
      case 0x80:
        pos++;
        break; // PROTO
      case 0x95:
        pos += 8;
        break; // FRAME
      case 0x2e:
        return { value: stack.pop(), end: pos }; // STOP
      case 0x28:
        stack.push(MARK);
        break; // MARK
      case 0x7d:
        stack.push(new Map<string, Value>());
        break; // EMPTY_DICT
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x29:
        stack.push([]);
        break; // EMPTY_TUPLE
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x4b:
        stack.push(data[pos++]);
        break; // BININT1
      case 0x4d:
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break; // BININT2
      case 0x4a:
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break; // BININT
      case 0x8a: {
        // LONG1
        const n = data[pos++];
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(data[pos + i]);
        if (n > 0 && data[pos + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        pos += n;
        stack.push(Number(v));
        break;
      }
      case 0x47:
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break; // BINFLOAT
      case 0x58: {
        const n = view.getUint32(pos, true);
        pos += 4;
        stack.push(text.decode(bytes(n)));
        break;
      } // BINUNICODE
      case 0x8c: {
        const n = data[pos++];
        stack.push(text.decode(bytes(n)));
        break;
      } // SHORT_BINUNICODE
      case 0x55: {
        const n = data[pos++];
        stack.push(text.decode(bytes(n)));
        break;
      } // SHORT_BINSTRING
      case 0x54: {
        const n = view.getUint32(pos, true);
        pos += 4;
        stack.push(text.decode(bytes(n)));
        break;
      } // BINSTRING
      case 0x43: {
        const n = data[pos++];
        stack.push(bytes(n));
        break;
      } // SHORT_BINBYTES
      case 0x42: {
        const n = view.getUint32(pos, true);
        pos += 4;
        stack.push(bytes(n));
        break;
      } // BINBYTES
      case 0x71:
        memo.set(data[pos++], stack[stack.length - 1]);
        break; // BINPUT
      case 0x72:
        memo.set(view.getUint32(pos, true), stack[stack.length - 1]);
        pos += 4;
        break; // LONG_BINPUT
      case 0x94:
        memo.set(memo.size, stack[stack.length - 1]);
        break; // MEMOIZE
      case 0x68:
        stack.push(memo.get(data[pos++]));
        break; // BINGET
      case 0x6a:
        stack.push(memo.get(view.getUint32(pos, true)));
        pos += 4;
        break; // LONG_BINGET
      case 0x63: {
        const module = line();
        stack.push(new Global(module, line()));
        break;
      } // GLOBAL
      case 0x93: {
        const name = stack.pop() as string;
        stack.push(new Global(stack.pop() as string, name));
        break;
      } // STACK_GLOBAL
      case 0x74:
        stack.push(popMark());
        break; // TUPLE
      case 0x85:
        stack.push([stack.pop()]);
        break; // TUPLE1
      case 0x86: {
        const b = stack.pop();
        stack.push([stack.pop(), b]);
        break;
      } // TUPLE2
      case 0x87: {
        const c = stack.pop(),
          b = stack.pop();
        stack.push([stack.pop(), b, c]);
        break;
      } // TUPLE3
      case 0x61: {
        const v = stack.pop();
        (stack[stack.length - 1] as Value[]).push(v);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        (stack[stack.length - 1] as Value[]).push(...items);
        break;
      } // APPENDS
      case 0x73: {
        const v = stack.pop(),
          k = stack.pop();
        setItems(stack[stack.length - 1], [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popMark();
        setItems(stack[stack.length - 1], items);
        break;
      } // SETITEMS
      case 0x52: {
        const args = stack.pop();
        stack.push(callGlobal(stack.pop(), args, source));
        break;
      } // REDUCE
      case 0x62:
        stack.pop();
        break; // BUILD: object state (a state_dict's _metadata): not needed
      case 0x51:
        stack.push(persistent(stack.pop()));
        break; // BINPERSID
      default:
        throw new Error(
          `${source}: unsupported pickle opcode 0x${op.toString(16)} at byte ${pos - 1} (not a PyTorch state_dict?)`,
        );
    }
  }
}

/** A persistent id ('storage', <FloatStorage>, key, location, numel) as a StorageRef. */
export function storageRef(pid: Value, source: string): StorageRef {
  const [tag, type, key, , numel] = pid as [string, Global, string, string, number];
  const dtype = type instanceof Global ? STORAGE_DTYPES[type.name] : undefined;
  if (tag !== 'storage' || !dtype)
    throw new Error(
      `${source}: unsupported persistent id ${JSON.stringify(String(tag))} / ${String((type as Global)?.path)}`,
    );
  return { kind: 'storage', dtype, key: String(key), numel: numel === undefined ? undefined : Number(numel) };
}
