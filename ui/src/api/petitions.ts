import { call } from "./invoke";
import type { CategoryInput } from "../bindings/CategoryInput";
import type { ImportReport } from "../bindings/ImportReport";
import type { SlaRow } from "../bindings/SlaRow";
import type { NewPetition } from "../bindings/NewPetition";
import type { PetitionPage } from "../bindings/PetitionPage";
import type { PetitionQuery } from "../bindings/PetitionQuery";
import type { PetitionView } from "../bindings/PetitionView";
import type { Step } from "../bindings/Step";
import type { TimelineEntry } from "../bindings/TimelineEntry";

export const petitionsList = (query: PetitionQuery) => call<PetitionPage>("petitions_list", { query });
export const petitionCreate = (petition: NewPetition) => call<PetitionView>("petition_create", { petition });
export const petitionTimeline = (id: string) => call<TimelineEntry[]>("petition_timeline", { id });
/** One workflow step on the petition as read at `version`; a stale version fails with `store.conflict`. */
export const petitionAct = (id: string, version: number, step: Step, note: string) =>
  call<PetitionView>("petition_act", { id, version, step, note });

/** Places the petition in another grid, with a reason (recorded in its timeline and the audit log). */
export const petitionRegrid = (id: string, version: number, gridCode: string, reason: string) =>
  call<PetitionView>("petition_regrid", { id, version, gridCode, reason });

/** Imports petitions from a file's bytes, or only checks them (`dryRun`). */
export const petitionsImport = (fileName: string, bytes: number[], dryRun: boolean) =>
  call<ImportReport>("petitions_import", { fileName, bytes, dryRun });

/** Saves the filtered list (all pages) as xlsx in the download folder; resolves to the file's path. */
/** Reporters' names and phones are masked unless a reason is given (which needs the reveal permission). */
export const petitionsExport = (query: PetitionQuery, revealReason: string | null = null) =>
  call<string>("petitions_export", { query, revealReason });

/** The handling time limits per category and level. */
export const slaList = () => call<SlaRow[]>("sla_list");
/** Sets one limit in working days (`null`: back to the default); administrator. */
export const slaSet = (category: string, level: string, workingDays: number | null) =>
  call<SlaRow[]>("sla_set", { category, level, workingDays });

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

/** The town's petition categories, retired ones included (`active` false). */
export const categoriesList = () => call<CategoryInput[]>("categories_list");
/** Adds or changes a category (administrator); the code never changes. Returns the list. */
export const categorySave = (category: CategoryInput) => call<CategoryInput[]>("category_save", { category });
