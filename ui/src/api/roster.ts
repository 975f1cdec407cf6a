import * as api from "../bindings/api";
import { toBase64 } from "./invoke";

export {
  rosterSearch,
  rosterList,
  personCard,
  rosterCoverage,
  household,
  revealResidentField,
  rosterExport,
  residentsExport,
  listTemplate,
} from "../bindings/api";

/** Imports a roster (`residents`: a residents' list) from a file's bytes, or only checks it (`dryRun`). */
export const listImport = (
  kind: "roster" | "residents",
  fileName: string,
  bytes: Uint8Array,
  dryRun: boolean,
  skipInvalid: boolean,
) => {
  const file = { file_name: fileName, bytes: toBase64(bytes) };
  return kind === "roster"
    ? api.rosterImport(file, dryRun, skipInvalid)
    : api.residentsImport(file, dryRun, skipInvalid);
};
