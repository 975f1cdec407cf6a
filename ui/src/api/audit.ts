import { call } from "./invoke";
import type { AuditQuery } from "../bindings/AuditQuery";
import type { AuditRow } from "../bindings/AuditRow";
import type { AuditVerification } from "../bindings/AuditVerification";

export const auditList = (query: AuditQuery) => call<AuditRow[]>("audit_list", { query });
export const auditVerify = () => call<AuditVerification>("audit_verify");
/** Saves the filtered log as xlsx in the download folder; resolves to the file's path. */
export const auditExport = (query: AuditQuery) => call<string>("audit_export", { query });
