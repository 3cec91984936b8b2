// The earlier months a validation run may link to: the state store's episodes of this provider's
// submissions before the period. Without a store, or without an earlier submission in it, the
// run gets the empty answer and SQLite is never loaded.
import { noPriorEpisodes, type PriorEpisodes } from "../validate/episode-links.ts";
import { StateStore, stateDbPath } from "./state-store.ts";

export interface OpenedPrior {
  readonly episodes: PriorEpisodes;
  close(): void;
}

const none: OpenedPrior = { episodes: noPriorEpisodes, close: () => {} };

export async function openPriorEpisodes(
  stateDir: string,
  providerCode: string,
  period: string,
): Promise<OpenedPrior> {
  const store = await StateStore.openExisting(stateDbPath(stateDir));
  if (store === null) return none;
  const episodes = store.priorEpisodes(providerCode, period);
  if (episodes === null) {
    store.close();
    return none;
  }
  return { episodes, close: () => store.close() };
}
