/** Petition vocabulary in Chinese; codes are the backend's stable codes. */

export const STATUS_LABEL: Record<string, string> = {
  received: "待受理",
  accepted: "已受理",
  in_progress: "办理中",
  resolved: "已办结",
  rated: "已评价",
  rejected: "不予受理",
  merged: "已合并",
};

export const STATUS_TAG: Record<string, "danger" | "warning" | "primary" | "success" | "info"> = {
  received: "danger",
  accepted: "warning",
  in_progress: "primary",
  resolved: "success",
  rated: "success",
  rejected: "info",
  merged: "info",
};

export const CHANNEL_LABEL: Record<string, string> = {
  miniprogram_photo: "随手拍",
  one_key_call: "一键呼叫",
  hotline: "12345热线",
  grid_patrol: "网格发现",
  walk_in: "来访",
  council: "社工委/议事会",
  friday_talk: "周五说事日",
};

export const LEVEL_LABEL: Record<string, string> = {
  grid: "网格",
  community: "社区",
  town: "镇",
  county: "县",
};

export const STEP_LABEL: Record<string, string> = {
  accept: "受理",
  reject: "不予受理",
  assign: "分级交办",
  transfer: "转办",
  escalate: "升级",
  resolve: "办结",
  rate: "评价",
  reopen: "退回重办",
  merge: "合并",
};

/** "剩 2 天 3 小时" / "超期 5 小时" from a deadline, at `now` (ms). */
export function countdown(deadline: string, now: number): { text: string; overdue: boolean } {
  const ms = Date.parse(deadline) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days} 天 ${hours} 小时` : hours > 0 ? `${hours} 小时 ${minutes} 分` : `${minutes} 分钟`;
  return ms >= 0 ? { text: `剩 ${span}`, overdue: false } : { text: `超期 ${span}`, overdue: true };
}
