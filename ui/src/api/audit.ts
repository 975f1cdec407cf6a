export { auditList, auditVerify } from "../bindings/api";
/** Saves the filtered log as xlsx in the download folder; resolves to the file's path. */
export { auditExport } from "../bindings/api";
