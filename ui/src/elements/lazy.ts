/**
 * The Element Plus components the first screens (sign-in, shell, map) do not need, with their styles. Only
 * lazily loaded views and panels import this module, so it travels in a chunk of its own, fetched after the first
 * paint instead of delaying it (main.ts registers the few the first screens use).
 */
import "element-plus/es/components/card/style/css";
import "element-plus/es/components/date-picker/style/css";
import "element-plus/es/components/descriptions/style/css";
import "element-plus/es/components/descriptions-item/style/css";
import "element-plus/es/components/input-number/style/css";
import "element-plus/es/components/option/style/css";
import "element-plus/es/components/rate/style/css";
import "element-plus/es/components/select/style/css";
import "element-plus/es/components/slider/style/css";
import "element-plus/es/components/switch/style/css";
import "element-plus/es/components/table/style/css";
import "element-plus/es/components/table-column/style/css";
import "element-plus/es/components/timeline/style/css";
import "element-plus/es/components/timeline-item/style/css";

export {
  ElCard,
  ElDatePicker,
  ElDescriptions,
  ElDescriptionsItem,
  ElInputNumber,
  ElOption,
  ElRate,
  ElSelect,
  ElSlider,
  ElSwitch,
  ElTable,
  ElTableColumn,
  ElTimeline,
  ElTimelineItem,
} from "element-plus";
