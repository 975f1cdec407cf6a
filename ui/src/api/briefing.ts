export { briefing, briefingPdf, briefingXlsx } from "../bindings/api";
