/** Colours of the analysis layers: sequential classes for the choropleth, diverging classes for hot spots. */

import { HOTSPOT_CLASS, type HotspotClassCode } from "../bindings/vocabulary";

/** Five classes, light to dark (ColorBrewer YlOrRd 5), readable over the map's dark background. */
export const CHOROPLETH_COLOURS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];

/** The colours GIS users know for the hot-spot classes (hot red, cold blue). */
const HOTSPOT_COLOUR: Record<HotspotClassCode, string> = {
  hot99: "#d62f27",
  hot95: "#ed7551",
  hot90: "#fab984",
  not_significant: "#7d8a99",
  cold90: "#c0ccbe",
  cold95: "#849eba",
  cold99: "#4575b5",
};

/** Hot-spot classes in legend order: codes and labels from the generated vocabulary, with their colours. */
export const HOTSPOT_CLASSES: { code: HotspotClassCode; label: string; colour: string }[] = HOTSPOT_CLASS.map((c) => ({
  ...c,
  colour: HOTSPOT_COLOUR[c.code],
}));

/** The colour of a hot-spot class. */
export const hotspotColour = (code: string) => HOTSPOT_CLASSES.find((c) => c.code === code)?.colour ?? "#7d8a99";

/** The class (0-based) of `value` under ascending upper bounds `breaks` (as the backend's `class_of`). */
export function classOf(value: number, breaks: number[]): number {
  const i = breaks.findIndex((b) => value <= b);
  return i < 0 ? Math.max(breaks.length - 1, 0) : i;
}

/** The colour of `value`: the class's colour, spread over the five so that fewer classes still run light → dark. */
export function choroplethColour(value: number, breaks: number[]): string {
  if (breaks.length <= 1) return CHOROPLETH_COLOURS[0];
  const k = classOf(value, breaks);
  return CHOROPLETH_COLOURS[Math.round((k * (CHOROPLETH_COLOURS.length - 1)) / (breaks.length - 1))];
}

/** Legend rows for `breaks`: the range each colour covers, e.g. `0.0 – 2.5`. */
export function choroplethLegend(breaks: number[], digits: number): { colour: string; range: string }[] {
  return breaks.map((b, k) => ({
    colour: choroplethColour(b, breaks),
    range: `${k === 0 ? "0" : `>${breaks[k - 1].toFixed(digits)}`} – ${b.toFixed(digits)}`,
  }));
}

/** An analysis colour for one grid, and what its tooltip adds. */
export interface GridTint {
  fill: string;
  note: string;
}

/** A lattice cell of the hot-spot layer. */
export interface AnalysisCell {
  id: string;
  outline: [number, number][];
  fill: string;
  className: string;
  note: string;
}
