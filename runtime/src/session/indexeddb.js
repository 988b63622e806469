// IndexedDB of the current document's origin: capture every database (schema, records, key
// generators) as JSON, restore such a capture, or delete every database. Called as (op, arg)
// by indexed_db.rs.
// Values are encoded with their types (structured-clone types: NaN, -0, BigInt, Date, RegExp,
// Map, Set, ArrayBuffer, typed arrays, Blob, File, boxed primitives, errors, extractable
// CryptoKeys, shared and cyclic references); what cannot be carried is reported by database,
// store and key. No step waits longer than `arg.limit_ms` on a transaction the app holds.
async (op, arg) => {
  class Uncarriable extends Error {}
  class Blocked extends Error {}
  const limit = (promise, database) => Promise.race([promise, new Promise((_, reject) =>
    setTimeout(() => reject(new Blocked(database)), arg.limit_ms))]);
  const done = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const finished = (tx) => new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
  const b64 = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;
  const num = (n) => Number.isNaN(n) ? 'NaN' : Object.is(n, -0) ? '-0' : Number.isFinite(n) ? n : String(n);
  const unnum = (n) => typeof n === 'number' ? n : Number(n);

  const encode = async (v, refs) => {
    switch (typeof v) {
      case 'undefined': return ['u'];
      case 'boolean': return ['b', v];
      case 'string': return ['s', v];
      case 'number': return ['n', num(v)];
      case 'bigint': return ['I', v.toString()];
      case 'symbol': case 'function': throw new Uncarriable(`a ${typeof v}`);
    }
    if (v === null) return ['z'];
    if (refs.has(v)) return ['ref', refs.get(v)];
    const id = refs.size;
    refs.set(v, id);
    const tag = Object.prototype.toString.call(v).slice(8, -1);
    const entries = async (pairs) => {
      const out = [];
      for (const [k, x] of pairs) out.push([k, await encode(x, refs)]);
      return out;
    };
    switch (tag) {
      case 'Object': return ['o', id, await entries(Object.entries(v))];
      case 'Array': return ['a', id, v.length, await entries(Object.keys(v).map((k) => [k, v[k]]))];
      case 'Date': return ['d', id, num(v.getTime())];
      case 'RegExp': return ['r', id, v.source, v.flags];
      case 'Boolean': return ['B', id, v.valueOf()];
      case 'Number': return ['N', id, num(v.valueOf())];
      case 'String': return ['S', id, v.valueOf()];
      case 'BigInt': return ['BI', id, v.valueOf().toString()];
      case 'ArrayBuffer': return ['ab', id, b64(v)];
      case 'Map': {
        const out = [];
        for (const [k, x] of v) out.push([await encode(k, refs), await encode(x, refs)]);
        return ['m', id, out];
      }
      case 'Set': {
        const out = [];
        for (const x of v) out.push(await encode(x, refs));
        return ['set', id, out];
      }
      case 'File': return ['file', id, v.name, v.type, v.lastModified, b64(await v.arrayBuffer())];
      case 'Blob': return ['blob', id, v.type, b64(await v.arrayBuffer())];
      case 'Error': return ['e', id, v.name, v.message];
      case 'CryptoKey': {
        if (!v.extractable) throw new Uncarriable('a CryptoKey that is not extractable');
        return ['ck', id, await crypto.subtle.exportKey('jwk', v), await encode(v.algorithm, new Map()), v.usages];
      }
    }
    if (ArrayBuffer.isView(v)) {
      return ['view', id, tag, b64(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))];
    }
    throw new Uncarriable(`a ${tag}`);
  };

  const decode = async (e, refs) => {
    const keep = (id, value) => { refs.set(id, value); return value; };
    switch (e[0]) {
      case 'u': return undefined;
      case 'b': case 's': return e[1];
      case 'n': return unnum(e[1]);
      case 'I': return BigInt(e[1]);
      case 'z': return null;
      case 'ref': return refs.get(e[1]);
      case 'o': {
        const o = keep(e[1], {});
        for (const [k, x] of e[2]) o[k] = await decode(x, refs);
        return o;
      }
      case 'a': {
        const a = keep(e[1], new Array(e[2]));
        for (const [k, x] of e[3]) a[k] = await decode(x, refs);
        return a;
      }
      case 'd': return keep(e[1], new Date(unnum(e[2])));
      case 'r': return keep(e[1], new RegExp(e[2], e[3]));
      case 'B': return keep(e[1], new Boolean(e[2]));
      case 'N': return keep(e[1], new Number(unnum(e[2])));
      case 'S': return keep(e[1], new String(e[2]));
      case 'BI': return keep(e[1], Object(BigInt(e[2])));
      case 'ab': return keep(e[1], unb64(e[2]));
      case 'm': {
        const m = keep(e[1], new Map());
        for (const [k, x] of e[2]) m.set(await decode(k, refs), await decode(x, refs));
        return m;
      }
      case 'set': {
        const s = keep(e[1], new Set());
        for (const x of e[2]) s.add(await decode(x, refs));
        return s;
      }
      case 'file': return keep(e[1], new File([unb64(e[5])], e[2], { type: e[3], lastModified: e[4] }));
      case 'blob': return keep(e[1], new Blob([unb64(e[3])], { type: e[2] }));
      case 'e': {
        const Kind = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }[e[2]] ?? Error;
        const error = keep(e[1], new Kind(e[3]));
        if (error.name !== e[2]) error.name = e[2];
        return error;
      }
      case 'ck': {
        const algorithm = await decode(e[3], new Map());
        return keep(e[1], await crypto.subtle.importKey('jwk', e[2], algorithm, true, e[4]));
      }
      case 'view': {
        const buffer = unb64(e[3]);
        return keep(e[1], e[2] === 'DataView' ? new DataView(buffer) : new globalThis[e[2]](buffer));
      }
    }
    throw new Error(`unknown encoded value ${JSON.stringify(e[0])}`);
  };

  const showKey = (key) => {
    try {
      const s = key instanceof ArrayBuffer ? `<${key.byteLength} bytes>` : JSON.stringify(key instanceof Date ? key.toISOString() : key);
      return s.length > 40 ? s.slice(0, 39) + '…' : s;
    } catch (_) { return String(key); }
  };
  const open = (name, version, upgrade) => new Promise((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    request.onupgradeneeded = () => upgrade && upgrade(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const setPath = (value, path, key) => {
    const parts = path.split('.');
    let at = value;
    for (const p of parts.slice(0, -1)) at = at[p] ??= {};
    at[parts[parts.length - 1]] = key;
    return value;
  };

  try {
    if (op === 'capture') {
      const databases = [];
      const warnings = [];
      for (const { name } of await indexedDB.databases()) {
        const db = await limit(open(name), name);
        try {
          const stores = [];
          for (const storeName of Array.from(db.objectStoreNames)) {
            const read = db.transaction(storeName, 'readonly').objectStore(storeName);
            // The schema before the first await: the transaction ends once its reads are done.
            const schema = {
              name: storeName, keyPath: read.keyPath, autoIncrement: read.autoIncrement,
              indexes: [...read.indexNames].map((i) => {
                const index = read.index(i);
                return { name: i, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
              }),
            };
            const [keys, values] = await limit(Promise.all([done(read.getAllKeys()), done(read.getAll())]), name);
            const records = [];
            for (let i = 0; i < keys.length; i++) {
              try {
                records.push([await encode(keys[i], new Map()), await encode(values[i], new Map())]);
              } catch (e) {
                if (!(e instanceof Uncarriable)) throw e;
                warnings.push(`IndexedDB database "${name}", store "${storeName}", key ${showKey(keys[i])}: ${e.message} cannot be carried; the record is left out`);
              }
            }
            // The key generator's next number: add a record and abort (which rolls it back).
            let next = null;
            if (schema.autoIncrement) {
              const tx = db.transaction(storeName, 'readwrite');
              const probe = tx.objectStore(storeName);
              next = await limit(new Promise((resolve) => {
                const r = schema.keyPath === null ? probe.add(0) : probe.add({});
                r.onsuccess = () => { const key = r.result; tx.abort(); resolve(key); };
                r.onerror = (event) => { event.preventDefault(); resolve(null); };
              }), name);
            }
            stores.push({ ...schema, next, records });
          }
          databases.push({ name, version: db.version, stores });
        } finally {
          db.close();
        }
      }
      return { databases, warnings };
    }
    if (op === 'restore') {
      for (const d of arg.databases) {
        // Values first: decoding may be asynchronous (keys), and a transaction must not
        // wait on anything but its own requests.
        const stores = [];
        for (const s of d.stores) {
          const records = [];
          for (const [k, v] of s.records) records.push([await decode(k, new Map()), await decode(v, new Map())]);
          stores.push([s, records]);
        }
        const db = await limit(open(d.name, d.version, (db) => {
          for (const s of d.stores) {
            if (db.objectStoreNames.contains(s.name)) continue;
            const store = db.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
            for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
          }
        }), d.name);
        try {
          if (stores.length) {
            const tx = db.transaction(stores.map(([s]) => s.name), 'readwrite');
            for (const [s, records] of stores) {
              const store = tx.objectStore(s.name);
              for (const [k, v] of records) s.keyPath === null ? store.put(v, k) : store.put(v);
              // An explicit key of next - 1 moves the generator to next; the placeholder goes.
              if (s.autoIncrement && typeof s.next === 'number' && s.next > 1) {
                const key = s.next - 1;
                const present = store.count(key);
                present.onsuccess = () => {
                  if (present.result > 0) return;
                  if (s.keyPath === null) store.put(0, key); else store.put(setPath({}, s.keyPath, key));
                  store.delete(key);
                };
              }
            }
            await limit(finished(tx), d.name);
          }
        } finally {
          db.close();
        }
      }
      return { restored: arg.databases.length };
    }
    if (op === 'clear') {
      for (const { name } of await indexedDB.databases()) {
        await limit(done(indexedDB.deleteDatabase(name)), name);
      }
      return { cleared: true };
    }
    throw new Error(`unknown operation ${op}`);
  } catch (e) {
    if (e instanceof Blocked) return { blocked: e.message };
    return { error: `${e.name}: ${e.message}` };
  }
}
