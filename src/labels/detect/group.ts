/**
 * Candidate boxes from a working copy's components, in four stages that each add alternatives (all kept;
 * suppression after scoring picks among them): single components, words, frames, then the holder and the tab
 * around each candidate so far.
 */
import type { Component } from './components.js';
import { countHoles } from './features.js';
import { findHolder } from './holder.js';
import { memberMask } from './patch.js';
import { floodHolder } from './tab.js';
import type { Candidate, Working } from './working.js';

type Bounds = { x0: number; y0: number; x1: number; y1: number };
const size = (c: Bounds) => Math.max(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
const gap = (a: Bounds, b: Bounds) => Math.max(a.x0 - b.x1 - 1, b.x0 - a.x1 - 1, a.y0 - b.y1 - 1, b.y0 - a.y1 - 1, 0);
/** Overlap of two components' boxes over the smaller one's area. */
const overlap = (a: Component, b: Component) => {
  const ix = Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1),
    iy = Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1);
  return (ix * iy) / Math.min((a.x1 - a.x0 + 1) * (a.y1 - a.y0 + 1), (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1));
};

export function boxOf(members: Component[]): Candidate {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  for (const m of members) {
    x0 = Math.min(x0, m.x0);
    y0 = Math.min(y0, m.y0);
    x1 = Math.max(x1, m.x1);
    y1 = Math.max(y1, m.y1);
  }
  return { members, x0, y0, x1, y1 };
}

const uidOf = (m: Component) => m.uid;
const ascending = (a: number, b: number) => a - b;

/** The candidates so far, without repeats: a member set is added once, and so is a box. */
class CandidateList {
  readonly out: Candidate[] = [];
  private readonly seenMembers = new Set<string>();
  private readonly seenBoxes = new Set<string>();
  constructor(private readonly maxSize: number) {}
  push(c: Candidate): boolean {
    const key = `${c.x0},${c.y0},${c.x1},${c.y1}`;
    if (this.seenBoxes.has(key) || size(c) > this.maxSize) return false;
    this.seenBoxes.add(key);
    this.out.push(c);
    return true;
  }
  add(members: Component[]): void {
    const key = members.map(uidOf).sort(ascending).join(',');
    if (this.seenMembers.has(key)) return;
    this.seenMembers.add(key);
    this.push(boxOf(members));
  }
}

/**
 * Word links between near, non-overlapping components of similar size and brightness, across threshold levels
 * (letters on bone and on background show at different levels).
 */
function wordLinks(w: Working, comps: Component[]): number[][] {
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const meanVal = (c: Component) => c.sumVal / c.area;
  const links: number[][] = comps.map(() => []);
  for (let i = 0; i < comps.length; i++) {
    for (let j = i + 1; j < comps.length; j++) {
      const a = comps[i],
        b = comps[j];
      const sa = size(a),
        sb = size(b);
      if (Math.max(sa, sb) > 2 * Math.min(sa, sb)) continue;
      if (gap(a, b) > 0.5 * Math.max(sa, sb)) continue;
      if (Math.abs(meanVal(a) - meanVal(b)) > 0.35 * range) continue;
      if (overlap(a, b) > 0.2) continue;
      links[i].push(j);
      links[j].push(i);
    }
  }
  return links;
}

/** Union-find's root of a, halving the path (module-level: a closure made per call is recompiled at each major GC). */
function find(parent: number[], a: number): number {
  while (parent[a] !== a) a = parent[a] = parent[parent[a]];
  return a;
}

/** Words: every linked pair and chain of three is a candidate, and so is each whole linked cluster of 4 to 12. */
function addWords(list: CandidateList, comps: Component[], links: number[][]): void {
  for (let i = 0; i < comps.length; i++) {
    for (const j of links[i]) {
      if (j > i) list.add([comps[i], comps[j]]);
      for (const k of links[j])
        if (k > i && k !== j && overlap(comps[i], comps[k]) <= 0.2) list.add([comps[i], comps[j], comps[k]]);
    }
  }
  const parent = comps.map((_, i) => i);
  for (let i = 0; i < links.length; i++) for (const j of links[i]) parent[find(parent, i)] = find(parent, j);
  const clusters = new Map<number, Component[]>();
  for (let i = 0; i < comps.length; i++) {
    const r = find(parent, i);
    (clusters.get(r) ?? clusters.set(r, []).get(r)!).push(comps[i]);
  }
  for (const g of clusters.values()) if (g.length > 3 && g.length <= 12) list.add(g);
}

/**
 * Frames: a closed outline (a component with a hole) whose box encloses others of its level takes them in; bent
 * wires and screws can enclose a box without enclosing a hole.
 */
function addFrames(list: CandidateList, w: Working, comps: Component[]): void {
  for (const f of comps) {
    const inside: Component[] = [];
    for (const c of comps)
      if (c !== f && c.labels === f.labels && c.x0 >= f.x0 && c.x1 <= f.x1 && c.y0 >= f.y0 && c.y1 <= f.y1)
        inside.push(c);
    if (inside.length === 0 || inside.length > 6) continue;
    const fm = memberMask(boxOf([f]), w.img.width);
    if (countHoles(fm.mask, fm.bw, fm.bh) > 0) list.add([f, ...inside]);
  }
}

/**
 * Context of each candidate so far (word-linked components left out of it, whether a component encloses it), and
 * the holder and the flooded tab found around it, each a candidate of its own.
 */
function addHolders(list: CandidateList, w: Working, comps: Component[], links: number[][]): void {
  const index = new Map(comps.map((c, i) => [c, i]));
  for (const c of [...list.out]) {
    const members = new Set(c.members);
    const outside = new Set<number>();
    // a neighbour counts when it is not a member's own double from another threshold level
    for (const m of c.members) {
      for (const j of links[index.get(m)!])
        if (!members.has(comps[j]) && c.members.every((o) => overlap(o, comps[j]) <= 0.2)) outside.add(j);
    }
    c.linkOut = outside.size;
    c.enclosed = comps.some(
      (o) => !members.has(o) && o.x0 < c.x0 && o.y0 < c.y0 && o.x1 > c.x1 && o.y1 > c.y1 && size(o) < 2.5 * size(c),
    );
    const holder = c.x1 - c.x0 >= 2 || c.y1 - c.y0 >= 2 ? findHolder(w, c) : null;
    c.holderContrast = holder?.contrast ?? 0;
    c.holderSides = holder?.sides ?? 0;
    if (holder)
      list.push({
        ...holder.box,
        isHolder: true,
        holderContrast: holder.contrast,
        holderSides: holder.sides,
        linkOut: c.linkOut,
        enclosed: c.enclosed,
      });
    const tab = c.members.length <= 2 && size(c) >= 6 ? floodHolder(w, c) : null;
    if (tab)
      list.push({
        ...tab,
        isHolder: true,
        isTab: true,
        holderContrast: c.holderContrast,
        holderSides: 4,
        linkOut: c.linkOut,
        enclosed: c.enclosed,
      });
  }
}

/**
 * Candidate boxes: every plausible single component, word-like clusters of similar-sized components close to one
 * another, every frame with what it encloses, and the holders and tabs around them.
 */
export function groupCandidates(w: Working): Candidate[] {
  const maxSize = Math.max(w.img.width, w.img.height) / 3;
  const comps: Component[] = [];
  for (const l of w.levels) for (const c of l.components) if (size(c) <= maxSize && size(c) >= 3) comps.push(c);
  const list = new CandidateList(maxSize);
  for (const c of comps) list.add([c]);
  const links = wordLinks(w, comps);
  addWords(list, comps, links);
  addFrames(list, w, comps);
  addHolders(list, w, comps, links);
  return list.out;
}
