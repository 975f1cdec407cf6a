import { defineStore } from "pinia";
import { computed, ref, shallowRef, watch } from "vue";

import { analysisAlerts, analysisChoropleth, analysisHeat, analysisHotspots, type ChoroplethMeasure } from "../api/analysis";
import { ApiError } from "../api/invoke";
import { emptyQuery } from "../api/petitions";
import type { AlertList } from "../bindings/AlertList";
import type { ChoroplethLayer } from "../bindings/ChoroplethLayer";
import type { HeatLayer } from "../bindings/HeatLayer";
import type { HotspotLayer } from "../bindings/HotspotLayer";
import type { PetitionQuery } from "../bindings/PetitionQuery";
import { playbackFrames, type PlaybackFrame, type PlaybackStep } from "../composables/playback";

/** What the map shows over the grids. */
export type AnalysisView = "none" | "heat" | "choropleth" | "hotspots";

/** Milliseconds between playback frames (each waits for the previous layer, so a slow database slows it down). */
export const PLAYBACK_FRAME_MS = 1200;

/**
 * The map's analysis layer: the view, its filters and settings, the layer last computed, and time playback.
 * A newer request supersedes an older one still running (its answer is dropped), so a burst of changes or a
 * fast playback never paints an out-of-date layer over a newer one.
 */
export const useAnalysisStore = defineStore("analysis", () => {
  const view = ref<AnalysisView>("none");
  const categories = ref<string[]>([]);
  const statuses = ref<string[]>([]);
  const channels = ref<string[]>([]);
  const levels = ref<string[]>([]);
  /** Days received, both included (`YYYY-MM-DD`), or none for all time. */
  const range = ref<[string, string] | null>(null);
  const bandwidthM = ref(150);
  const opacity = ref(0.8);
  const measure = ref<ChoroplethMeasure>("per_1000_households");
  const layout = ref("grid");
  const crs = ref("wgs84");

  const heat = shallowRef<HeatLayer | null>(null);
  const choropleth = shallowRef<ChoroplethLayer | null>(null);
  const hotspots = shallowRef<HotspotLayer | null>(null);
  const alerts = shallowRef<AlertList | null>(null);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);

  const step = ref<PlaybackStep>("week");
  const frames = computed<PlaybackFrame[]>(() => (range.value ? playbackFrames(range.value[0], range.value[1], step.value) : []));
  /** The playback frame shown, or null when the whole range is shown. */
  const frame = ref<number | null>(null);
  const playing = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  function query(): PetitionQuery {
    const shown = frame.value !== null ? frames.value[frame.value] : null;
    return {
      ...emptyQuery(),
      categories: categories.value,
      statuses: statuses.value,
      channels: channels.value,
      levels: levels.value,
      received_from: shown?.from ?? range.value?.[0] ?? null,
      received_to: shown?.to ?? range.value?.[1] ?? null,
      display_crs: crs.value,
    };
  }

  /** Recomputes the layer in view (nothing when no analysis view is on). */
  async function refresh() {
    const ticket = ++latest;
    if (view.value === "none") return;
    loading.value = true;
    try {
      const q = query();
      if (view.value === "heat") {
        const layer = await analysisHeat(q, bandwidthM.value);
        if (ticket === latest) heat.value = layer;
      } else if (view.value === "choropleth") {
        const layer = await analysisChoropleth(q, measure.value);
        if (ticket === latest) choropleth.value = layer;
      } else {
        const layer = await analysisHotspots(q, layout.value);
        if (ticket === latest) hotspots.value = layer;
      }
      if (ticket === latest) error.value = null;
    } catch (e) {
      if (ticket === latest) {
        error.value = e instanceof ApiError ? e : new ApiError("ui.unknown", String(e));
        stop();
      }
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** Re-reads this week's spike alerts. */
  async function loadAlerts() {
    try {
      alerts.value = await analysisAlerts();
    } catch {
      // The list keeps what it had; the layer's error shows what is wrong.
    }
  }

  /** Shows frame `i` of the playback (null: the whole range). */
  async function show(i: number | null) {
    frame.value = i;
    await refresh();
  }

  /** Starts playback from the current frame (or the first), one frame every PLAYBACK_FRAME_MS. */
  function play() {
    if (frames.value.length === 0) return;
    playing.value = true;
    const next = async () => {
      if (!playing.value) return;
      const i = frame.value === null || frame.value >= frames.value.length - 1 ? 0 : frame.value + 1;
      await show(i);
      if (playing.value) {
        if (i >= frames.value.length - 1) playing.value = false;
        else timer = setTimeout(next, PLAYBACK_FRAME_MS);
      }
    };
    void next();
  }

  function stop() {
    playing.value = false;
    clearTimeout(timer);
  }

  /** Back to the plain grid view with no layer, filters or alerts (when users change). */
  function clear() {
    stop();
    latest++;
    view.value = "none";
    categories.value = [];
    statuses.value = [];
    channels.value = [];
    levels.value = [];
    range.value = null;
    frame.value = null;
    heat.value = null;
    choropleth.value = null;
    hotspots.value = null;
    alerts.value = null;
    error.value = null;
    loading.value = false;
  }

  // Any change of what is asked for recomputes the layer; the filters and the range also end playback.
  watch([view, bandwidthM, measure, layout, crs], () => void refresh());
  watch([categories, statuses, channels, levels, range, step], () => {
    stop();
    frame.value = null;
    void refresh();
  });

  return {
    view, categories, statuses, channels, levels, range, bandwidthM, opacity, measure, layout, crs,
    heat, choropleth, hotspots, alerts, loading, error,
    step, frames, frame, playing,
    refresh, loadAlerts, show, play, stop, clear,
  };
});
