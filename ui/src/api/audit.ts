import { call } from "./invoke";
import type { AuditQuery } from "../bindings/AuditQuery";
import type { AuditRow } from "../bindings/AuditRow";
import type { AuditVerification } from "../bindings/AuditVerification";

export const auditList = (query: AuditQuery) => call<AuditRow[]>("audit_list", { query });
export const auditVerify = () => call<AuditVerification>("audit_verify");
