/** The largest Trello export an import takes (Trello's exports of big boards stay well under it). */
export const TRELLO_MAX_BYTES = 50 * 1024 * 1024;
