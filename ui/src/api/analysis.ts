import { call } from "./invoke";
import type { AlertList } from "../bindings/AlertList";
import type { ChoroplethLayer } from "../bindings/ChoroplethLayer";
import type { HeatLayer } from "../bindings/HeatLayer";
import type { HotspotLayer } from "../bindings/HotspotLayer";
import type { PetitionQuery } from "../bindings/PetitionQuery";

/** The heat layer of the petitions `query` selects (a PNG over the town), kernel bandwidth in metres. */
export const analysisHeat = (query: PetitionQuery, bandwidthM: number) =>
  call<HeatLayer>("analysis_heat", { query, bandwidthM });

/** Petitions per grid under `measure` with quantile class breaks. */
export const analysisChoropleth = (query: PetitionQuery, measure: ChoroplethMeasure) =>
  call<ChoroplethLayer>("analysis_choropleth", { query, measure });

/** Gi* hot spots per grid (`grid`) or on a lattice (`hex:250`). */
export const analysisHotspots = (query: PetitionQuery, layout: string) =>
  call<HotspotLayer>("analysis_hotspots", { query, layout });

/** This week's spike alerts (or the week holding `day`). */
export const analysisAlerts = (day: string | null = null) => call<AlertList>("analysis_alerts", { day });

export type ChoroplethMeasure = "count" | "per_1000_households" | "per_km2";
