import { createApp, type Plugin } from "vue";
import { createPinia } from "pinia";
import {
  ElAlert,
  ElDialog,
  ElAutocomplete,
  ElButton,
  ElConfigProvider,
  ElForm,
  ElFormItem,
  ElIcon,
  ElInput,
  ElRadio,
  ElRadioGroup,
  ElResult,
  ElTag,
} from "element-plus";
import "element-plus/es/components/alert/style/css";
import "element-plus/es/components/dialog/style/css";
import "element-plus/es/components/autocomplete/style/css";
import "element-plus/es/components/button/style/css";
import "element-plus/es/components/config-provider/style/css";
import "element-plus/es/components/form/style/css";
import "element-plus/es/components/form-item/style/css";
import "element-plus/es/components/icon/style/css";
import "element-plus/es/components/input/style/css";
import "element-plus/es/components/radio/style/css";
import "element-plus/es/components/radio-group/style/css";
import "element-plus/es/components/radio-button/style/css";
import "element-plus/es/components/result/style/css";
import "element-plus/es/components/tag/style/css";
import "element-plus/es/components/notification/style/css";
import "element-plus/es/components/message/style/css";
import "element-plus/theme-chalk/dark/css-vars.css";
import "leaflet/dist/leaflet.css";
import "./styles/main.css";

import App from "./App.vue";
import { router } from "./router";
import { useAuthStore } from "./stores/auth";

/**
 * Only the Element Plus components the first screens use are registered here; the rest come with the lazily loaded
 * views and panels that use them (elements/lazy.ts), which keeps the first bundle (and start-up) small.
 */
const COMPONENTS: Plugin[] = [
  ElAlert, ElAutocomplete, ElDialog, ElButton, ElConfigProvider, ElForm,
  ElFormItem, ElIcon, ElInput, ElRadio, ElRadioGroup, ElResult, ElTag,
];

document.documentElement.classList.add("dark");
const pinia = createPinia();
// Ask early whether the database needs its first administrator: the sign-in screen depends on it.
void useAuthStore(pinia).check();
const app = createApp(App).use(pinia).use(router);
COMPONENTS.forEach((c) => app.use(c));
app.mount("#app");
