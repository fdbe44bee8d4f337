/**
 * Pure graph algorithms over any nodes: a stable topological order, its cut into levels, and
 * strongly connected components. What the nodes are and what they depend on (references between
 * objects, read from the kinds' schemas) is the caller's: src/api/references.ts.
 */

/** Each node's dependencies (nodes it must come after); a node absent from the map has none. */
export type Dependencies<T> = ReadonlyMap<T, readonly T[]>;

/** A binary min-heap: the topological sort takes the smallest ready node in O(log n). */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(a[parent], a[i]) <= 0) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.compare(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.compare(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Every node after the nodes it depends on (Kahn's algorithm, O((n + e) log n)). Among nodes ready
 * at the same time the smallest by `compare` goes first, so the order is the same on every run.
 * Nodes on a cycle have no valid order: they come last, sorted by `compare`. Self-dependencies and
 * dependencies outside `nodes` are ignored.
 */
export function topologicalOrder<T>(nodes: readonly T[], deps: Dependencies<T>, compare: (a: T, b: T) => number): T[] {
  const members = new Set(nodes);
  const remaining = new Map<T, number>();
  const dependents = new Map<T, T[]>();
  for (const n of nodes) {
    const own = (deps.get(n) ?? []).filter((d) => d !== n && members.has(d));
    remaining.set(n, own.length);
    for (const d of own) {
      const list = dependents.get(d);
      if (list) list.push(n);
      else dependents.set(d, [n]);
    }
  }
  // Ties (equal by `compare`) go in the order they became ready.
  let seq = 0;
  const ready = new Heap<{ node: T; seq: number }>((a, b) => compare(a.node, b.node) || a.seq - b.seq);
  for (const n of nodes) if (remaining.get(n) === 0) ready.push({ node: n, seq: seq++ });
  const order: T[] = [];
  while (ready.size > 0) {
    const next = ready.pop()!.node;
    order.push(next);
    for (const dependent of dependents.get(next) ?? []) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push({ node: dependent, seq: seq++ });
    }
  }
  const placed = new Set(order);
  const stuck = nodes.filter((n) => !placed.has(n));
  return [...order, ...stuck.sort(compare)];
}

/**
 * A topological order cut into levels: each node one level after the deepest node it depends on
 * (a node on a cycle goes after what it depends on that is placed), so the nodes of one level never
 * depend on each other. Levels keep the order of `order`.
 */
export function levelsOf<T>(order: readonly T[], deps: Dependencies<T>): T[][] {
  const level = new Map<T, number>();
  const levels: T[][] = [];
  for (const n of order) {
    const own = (deps.get(n) ?? []).filter((d) => d !== n);
    // A dependency not yet placed (a cycle) puts the node one level after the last placed one.
    const at = own.reduce((m, d) => Math.max(m, level.has(d) ? level.get(d)! + 1 : levels.length), 0);
    level.set(n, at);
    (levels[at] ??= []).push(n);
  }
  return levels.filter((l) => l !== undefined);
}

/** Tarjan's algorithm; recursive, since reference chains are a handful of kinds deep. */
export function stronglyConnected<T>(nodes: readonly T[], deps: Dependencies<T>): T[][] {
  let index = 0;
  const idx = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const out: T[][] = [];
  const visit = (v: T) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of deps.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: T[] = [];
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}

/** A simple cycle through `start` inside one strongly connected component (depth-first search). */
export function walkCycle<T>(start: T, members: ReadonlySet<T>, deps: Dependencies<T>): T[] {
  const stack: T[] = [start];
  const visited = new Set<T>([start]);
  const dfs = (node: T): boolean => {
    for (const next of deps.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) return true;
      if (visited.has(next)) continue;
      visited.add(next);
      stack.push(next);
      if (dfs(next)) return true;
      stack.pop();
    }
    return false;
  };
  dfs(start);
  return stack;
}
