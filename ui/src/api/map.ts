import { call } from "./invoke";
import type { TownMap } from "../bindings/TownMap";
import type { GridDetail } from "../bindings/GridDetail";

/** Coordinate systems a base map may use (the grids are converted for display, never in storage). */
export type DisplayCrs = "wgs84" | "gcj02";

export const townMap = (crs: DisplayCrs) => call<TownMap>("town_map", { crs });
export const gridDetail = (code: string) => call<GridDetail>("grid_detail", { code });
