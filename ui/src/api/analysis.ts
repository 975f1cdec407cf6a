import * as api from "../bindings/api";

export { analysisHeat, analysisChoropleth, analysisHotspots } from "../bindings/api";

/** This week's spike alerts (or the week holding `day`). */
export const analysisAlerts = (day: string | null = null) => api.analysisAlerts(day);

export type ChoroplethMeasure = "count" | "per_1000_households" | "per_km2";
