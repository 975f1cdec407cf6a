
/** Coordinate systems a base map may use (the grids are converted for display, never in storage). */
export type DisplayCrs = "wgs84" | "gcj02";

export { townMap, gridDetail } from "../bindings/api";
