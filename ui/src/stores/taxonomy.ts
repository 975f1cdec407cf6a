import { defineStore } from "pinia";
import { computed, shallowRef } from "vue";

import { categoriesList, categorySave } from "../api/petitions";
import type { CategoryInput } from "../bindings/CategoryInput";

/** The town's petition categories (kept by the administrator), for labels, filters and forms. */
export const useTaxonomyStore = defineStore("taxonomy", () => {
  const categories = shallowRef<CategoryInput[]>([]);
  let loading: Promise<void> | null = null;

  /** Those offered for new petitions. */
  const active = computed(() => categories.value.filter((c) => c.active));

  async function load() {
    try {
      categories.value = await categoriesList();
    } catch {
      // Labels fall back to the codes; the views show their own errors.
    } finally {
      loading = null;
    }
  }

  /** Loads once (again after {@link clear}). */
  function ensureLoaded(): Promise<void> {
    if (categories.value.length > 0) return Promise.resolve();
    loading ??= load();
    return loading;
  }

  /** The name of `code` (a retired category's too), else the code. */
  const label = (code: string) => categories.value.find((c) => c.code === code)?.name ?? code;

  async function save(category: CategoryInput) {
    categories.value = await categorySave(category);
  }

  function clear() {
    categories.value = [];
  }

  return { categories, active, load, ensureLoaded, label, save, clear };
});
