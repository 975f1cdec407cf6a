import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";

import { ApiError } from "../api/invoke";
import { gridDetail, townMap, type DisplayCrs } from "../api/map";
import { settingsGet } from "../api/settings";
import type { Basemap } from "../bindings/Basemap";
import type { GridDetail } from "../bindings/GridDetail";
import type { TownMap } from "../bindings/TownMap";

/** The town map, the optional base map, and the selected grid. */
export const useMapStore = defineStore("map", () => {
  const town = shallowRef<TownMap | null>(null);
  const basemap = ref<Basemap | null>(null);
  const selected = ref<GridDetail | null>(null);
  const loadError = ref<ApiError | null>(null);

  let loading: Promise<void> | null = null;

  /** Forgets everything (on sign-out: the next user may see another part of the town). */
  function clear() {
    town.value = null;
    selected.value = null;
    loadError.value = null;
    loading = null;
  }

  /** Loads the map once per sign-in. */
  function ensureLoaded(): Promise<void> {
    loading ??= load();
    return loading;
  }

  /** (Re)loads the settings and the map, e.g. after the base map or the database changed. */
  async function load() {
    try {
      const settings = await settingsGet();
      basemap.value = settings.basemap;
      const crs = (settings.basemap?.crs ?? "wgs84") as DisplayCrs;
      town.value = await townMap(crs);
      loadError.value = null;
    } catch (e) {
      loadError.value = e instanceof ApiError ? e : new ApiError("ui.unknown", String(e));
    }
  }

  async function select(code: string | null) {
    selected.value = code ? await gridDetail(code) : null;
  }

  return { town, basemap, selected, loadError, load, ensureLoaded, select, clear };
});
