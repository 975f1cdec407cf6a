import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";

import { ApiError } from "../api/invoke";
import { emptyQuery, petitionsList } from "../api/petitions";
import type { PetitionQuery } from "../bindings/PetitionQuery";
import type { PetitionView } from "../bindings/PetitionView";
import { OPEN_STATUSES } from "../bindings/vocabulary";

/** At most this many open petitions are marked on the map (the heat layer shows any number). */
export const MAP_MARKER_LIMIT = 5000;

/** The queue (with its filters) and the open petitions the map marks; both re-read when the database changes. */
export const usePetitionsStore = defineStore("petitions", () => {
  const query = ref<PetitionQuery>(emptyQuery());
  const items = shallowRef<PetitionView[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  /** Open petitions with a location, for the map (in the map's display coordinate system). */
  const onMap = shallowRef<PetitionView[]>([]);
  /** Open petitions in all (the map marks at most MAP_MARKER_LIMIT of them). */
  const openTotal = ref(0);
  let mapCrs = "wgs84";
  /** Counts the live refreshes: whatever is computed from the petitions (the analysis layers) watches it. */
  const revision = ref(0);

  async function load() {
    loading.value = true;
    try {
      const page = await petitionsList(query.value);
      items.value = page.items;
      total.value = page.total;
      error.value = null;
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError("ui.unknown", String(e));
    } finally {
      loading.value = false;
    }
  }

  async function loadMap(crs: string = mapCrs) {
    mapCrs = crs;
    try {
      // The most urgent first: when there are more than the map marks, the ones left out are the least urgent.
      const page = await petitionsList({
        ...emptyQuery(),
        statuses: [...OPEN_STATUSES],
        by_deadline: true,
        limit: MAP_MARKER_LIMIT,
        display_crs: crs,
      });
      onMap.value = page.items.filter((p) => p.location);
      openTotal.value = page.total;
    } catch {
      // The queue shows the error; the map keeps what it had.
    }
  }

  function reset() {
    query.value = emptyQuery();
  }

  function clear() {
    items.value = [];
    onMap.value = [];
    openTotal.value = 0;
    total.value = 0;
  }

  return { query, items, total, loading, error, onMap, openTotal, revision, load, loadMap, reset, clear };
});
