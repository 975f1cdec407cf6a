import type { MapGrid } from "../bindings/MapGrid";

/**
 * Grids matching a query by code or name, best first: exact code, code prefix, then names containing every
 * character group of the query (so a 2-character query like 南关 finds 南关社区第3网格).
 */
export function searchGrids(grids: MapGrid[], query: string, limit = 10): MapGrid[] {
  const q = query.trim().toUpperCase();
  if (!q) return [];
  const score = (g: MapGrid): number => {
    const code = g.code.toUpperCase();
    if (code === q) return 0;
    if (code.startsWith(q)) return 1;
    if (g.name.toUpperCase() === q) return 2;
    if (g.name.toUpperCase().includes(q)) return 3;
    if (code.includes(q) || g.community.includes(query.trim())) return 4;
    return -1;
  };
  return grids
    .map((g) => ({ g, s: score(g) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s || a.g.code.localeCompare(b.g.code))
    .slice(0, limit)
    .map((x) => x.g);
}
