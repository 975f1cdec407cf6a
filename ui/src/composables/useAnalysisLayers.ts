import { computed } from "vue";

import { choroplethColour, hotspotColour, type AnalysisCell, type GridTint } from "../map/analysisColours";
import { useAnalysisStore } from "../stores/analysis";

/**
 * What the map draws for the analysis view in use: the heat image, grid tints (choropleth, hot spots by grid)
 * or lattice cells (hot spots on hexagons), each with the tooltip note it adds; null where the view draws none.
 */
export function useAnalysisLayers() {
  const analysis = useAnalysisStore();

  /** The heat image to show (heat view only). */
  const heat = computed(() => {
    const h = analysis.view === "heat" ? analysis.heat : null;
    return h ? { image: h.image, bounds: h.bounds as [number, number, number, number], opacity: analysis.opacity } : null;
  });

  /** Grid colours of the choropleth or of the hot spots by grid. */
  const tints = computed<Record<string, GridTint> | null>(() => {
    if (analysis.view === "choropleth" && analysis.choropleth) {
      const c = analysis.choropleth;
      const value = (r: (typeof c.rows)[number]) =>
        c.measure === "count" ? r.count : c.measure === "per_km2" ? r.per_km2 : r.per_1000_households;
      const digits = c.measure === "count" ? 0 : 1;
      return Object.fromEntries(
        c.rows.map((r) => {
          const v = value(r);
          return [r.grid_code, v === null
            ? { fill: "#3a4656", note: "无住户数据" }
            : { fill: choroplethColour(v, c.breaks), note: `${v.toFixed(digits)} ${c.unit}（${r.count} 件）` }];
        }),
      );
    }
    if (analysis.view === "hotspots" && analysis.hotspots && !analysis.hotspots.layout.startsWith("hex")) {
      return Object.fromEntries(
        analysis.hotspots.cells.map((c) => [c.id, { fill: hotspotColour(c.confidence), note: `${c.label} · z = ${c.z.toFixed(2)} · ${c.count} 件` }]),
      );
    }
    return null;
  });

  /** The hot-spot lattice's cells (hexagons only). */
  const cells = computed<AnalysisCell[] | null>(() => {
    const h = analysis.view === "hotspots" ? analysis.hotspots : null;
    if (!h || !h.layout.startsWith("hex")) return null;
    return h.cells.map((c) => ({
      id: c.id,
      outline: (c.outline ?? []) as [number, number][],
      fill: hotspotColour(c.confidence),
      className: `hotspot-cell hotspot-${c.confidence}`,
      note: `${c.label} · z = ${c.z.toFixed(2)} · ${c.count} 件`,
    }));
  });

  return { heat, tints, cells };
}
