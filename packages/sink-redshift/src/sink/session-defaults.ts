/** How long a run's Data API session stays open between statements, by default (a dead run's transaction is rolled back after it). */
export const DEFAULT_SESSION_KEEP_ALIVE_SECONDS = 600;
