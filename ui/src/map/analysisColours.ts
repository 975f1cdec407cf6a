/** Colours of the analysis layers: sequential classes for the choropleth, diverging classes for hot spots. */

/** Five classes, light to dark (ColorBrewer YlOrRd 5), readable over the map's dark background. */
export const CHOROPLETH_COLOURS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];

/** Hot-spot classes in legend order, with the colours GIS users know (hot red, cold blue). */
export const HOTSPOT_CLASSES: { code: string; label: string; colour: string }[] = [
  { code: "hot99", label: "热点 99%", colour: "#d62f27" },
  { code: "hot95", label: "热点 95%", colour: "#ed7551" },
  { code: "hot90", label: "热点 90%", colour: "#fab984" },
  { code: "not_significant", label: "不显著", colour: "#7d8a99" },
  { code: "cold90", label: "冷点 90%", colour: "#c0ccbe" },
  { code: "cold95", label: "冷点 95%", colour: "#849eba" },
  { code: "cold99", label: "冷点 99%", colour: "#4575b5" },
];

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
