export {
  alliances,
  dutyActivities,
  dutyActivityAdd,
  dutyExport,
  dutyReview,
  dutyReviewExport,
  dutySchedule,
  dutySwap,
  dutyToday,
  holidays,
} from "../bindings/api";
