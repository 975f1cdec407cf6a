/** One colour per community (index = community order), readable on the map's dark background. */
export const COMMUNITY_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"];

/** The colour of community number `index`. */
export const communityColour = (index: number) => COMMUNITY_COLOURS[index % COMMUNITY_COLOURS.length];
