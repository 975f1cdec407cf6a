import type { ChangeEntityCode } from "../bindings/vocabulary";
import { ElNotification } from "element-plus";
import { onMounted, onUnmounted } from "vue";

import { onDbChanges, onDbConnection } from "../api/live";
import { useAuthStore } from "../stores/auth";
import { useMapStore } from "../stores/map";
import { usePetitionsStore } from "../stores/petitions";
import { useSessionStore } from "../stores/session";
import { useTaxonomyStore } from "../stores/taxonomy";

/** Re-reads at most this often under a burst of changes (ms): one refresh per burst, no flicker. */
export const REFRESH_DEBOUNCE_MS = 150;

/**
 * Keeps the open views current while signed in: every change committed anywhere (another workstation, the
 * intake server, this window) refreshes the queue and the map's petitions, and a new petition is announced.
 * The status bar follows the database's connection as the live feed sees it.
 */
export function useLiveUpdates() {
  const auth = useAuthStore();
  const petitions = usePetitionsStore();
  const map = useMapStore();
  const session = useSessionStore();
  const taxonomy = useTaxonomyStore();
  const unlisten: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let newOnes = 0;

  function refresh() {
    timer = undefined;
    if (!auth.user) return;
    void petitions.load();
    void petitions.loadMap(map.basemap?.crs ?? "wgs84");
    petitions.revision++;
    if (newOnes > 0) {
      ElNotification({ title: "新诉求", message: `收到 ${newOnes} 件新诉求，已加入诉求队列`, type: "warning", duration: 6000 });
      newOnes = 0;
    }
  }

  onMounted(async () => {
    unlisten.push(
      await onDbChanges((notice) => {
        const changed = (entity: ChangeEntityCode) => notice.entities.includes(entity);
        if (changed("category") && auth.user) void taxonomy.load();
        if (!changed("petition") && !changed("town")) return;
        newOnes += notice.new_petitions.length;
        timer ??= setTimeout(refresh, REFRESH_DEBOUNCE_MS);
      }),
    );
    unlisten.push(
      await onDbConnection((e) => {
        session.connected = e.ok;
        if (e.ok) {
          // Back after an outage: what changed meanwhile was not announced, so re-read what is shown.
          void session.refresh();
          timer ??= setTimeout(refresh, REFRESH_DEBOUNCE_MS);
        }
      }),
    );
  });
  onUnmounted(() => {
    unlisten.forEach((u) => u());
    clearTimeout(timer);
  });
}
