import * as api from "../bindings/api";

export {
  petitionsList,
  petitionCreate,
  petitionTimeline,
  petitionAct,
  petitionRegrid,
  slaList,
  slaSet,
  categoriesList,
  categorySave,
} from "../bindings/api";
import type { PetitionQuery } from "../bindings/PetitionQuery";
import { toBase64 } from "./invoke";

/** Imports petitions from a file's bytes, or only checks them (`dryRun`). */
export const petitionsImport = (fileName: string, bytes: Uint8Array, dryRun: boolean) =>
  api.petitionsImport({ file_name: fileName, bytes: toBase64(bytes) }, dryRun);


/** Saves the filtered list (all pages) as xlsx in the download folder; resolves to the file's path. */
/** Reporters' names and phones are masked unless a reason is given (which needs the reveal permission). */
export const petitionsExport = (query: PetitionQuery, revealReason: string | null = null) =>
  api.petitionsExport(query, revealReason);

/** A query with every filter empty. */
export function emptyQuery(): PetitionQuery {
  return {
    statuses: [],
    categories: [],
    channels: [],
    levels: [],
    grid_code: null,
    community_code: null,
    overdue_only: false,
    by_deadline: false,
    received_from: null,
    received_to: null,
    offset: 0,
    limit: 200,
    display_crs: null,
  };
}

